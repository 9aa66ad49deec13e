import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallArgs, CallResult, resolveOperation } from '../src/api-call';
import type { OperationKey, Operations } from '../src/api-types';
import type { LoginDto, MeResponseDto } from '../src/generated/openapi';

describe('resolveOperation', () => {
  it('fills path parameters (encoded) and appends the query', () => {
    assert.deepEqual(resolveOperation('GET /api/organizations/{orgId}/users', { path: { orgId: 'a/b c' }, query: { limit: 10, offset: undefined } }), {
      method: 'GET',
      path: '/api/organizations/a%2Fb%20c/users?limit=10',
    });
  });

  it('refuses to call an operation with a path parameter missing', () => {
    assert.throws(() => resolveOperation('GET /api/organizations/{orgId}/users', {}), /orgId/);
  });
});

/** Compile-time checks: `npm run typecheck` fails when the types derived from openapi-typescript's `paths` drift. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T | undefined => undefined;
export const derivedTypes = [
  expectType<Equal<CallResult<'GET /api/auth/me'>, MeResponseDto>>(),
  expectType<Equal<CallResult<'POST /api/auth/logout'>, void>>(),
  expectType<Equal<CallArgs<'POST /api/auth/login'>['body'], LoginDto>>(),
  expectType<Equal<CallArgs<'POST /api/auth/impersonate/{userId}'>['path'], { userId: string }>>(),
  expectType<'GET /api/auth/me' extends OperationKey ? true : false>(),
  expectType<'DELETE /api/auth/me' extends OperationKey ? false : true>(),
  expectType<Equal<Operations['POST /api/auth/login']['errorStatus'] & 401, 401>>(),
];
