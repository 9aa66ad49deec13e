import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOperation } from '../src/api-call';

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
