import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ApiErrorCode } from '../../src/platform/errors/api-error-code';
import { ApiException, apiError } from '../../src/platform/errors/api.exception';
import { pascalCaseCode, toWorkspaceFailure } from '../../src/workspace/envelope/workspace-failure';

const only = (err: unknown) => {
  const failure = toWorkspaceFailure(err);
  assert.equal(failure.body.Errors.length, 1);
  const [e] = failure.body.Errors;
  return { status: failure.status, headers: failure.headers, code: e.Code, type: e.Type, severity: e.Severity, unexpected: failure.unexpected };
};

describe('toWorkspaceFailure: every thrown value as the envelope', () => {
  it('maps the throttle\'s TOO_MANY_ATTEMPTS to 429 TooManyAttempts, Type 1, keeping Retry-After', () => {
    const throttled = new ApiException(ApiErrorCode.TOO_MANY_ATTEMPTS, 'Too many failed attempts; try again later.', undefined, { 'Retry-After': '42' });
    assert.deepEqual(only(throttled), {
      status: 429,
      headers: { 'Retry-After': '42' },
      code: 'TooManyAttempts',
      type: 1,
      severity: 2,
      unexpected: false,
    });
  });

  it('answers INVALID_CREDENTIALS with 400 (the seed\'s refusal status), not /api/auth\'s 401', () => {
    assert.deepEqual(only(apiError(ApiErrorCode.INVALID_CREDENTIALS)), {
      status: 400,
      headers: {},
      code: 'InvalidCredentials',
      type: 1,
      severity: 2,
      unexpected: false,
    });
  });

  it('answers the identity provider\'s login refusals (403 on /api/auth) with 400, Type 1', () => {
    for (const code of [ApiErrorCode.MFA_REQUIRED, ApiErrorCode.EMAIL_VERIFICATION_REQUIRED, ApiErrorCode.SSO_REQUIRED]) {
      const e = only(apiError(code));
      assert.deepEqual([e.status, e.code, e.type], [400, pascalCaseCode(code), 1], code);
    }
  });

  it('classes unavailability and unknown errors as Type 2 system errors', () => {
    assert.deepEqual([only(apiError(ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE)).status, only(apiError(ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE)).type], [503, 2]);
    assert.deepEqual([only(apiError(ApiErrorCode.SERVICE_UNAVAILABLE)).code, only(apiError(ApiErrorCode.SERVICE_UNAVAILABLE)).type], ['ServiceUnavailable', 2]);
    const boom = only(new TypeError('cannot read properties of undefined'));
    assert.deepEqual([boom.status, boom.code, boom.type, boom.unexpected], [500, 'InternalError', 2, true]);
    assert.doesNotMatch(JSON.stringify(toWorkspaceFailure(new TypeError('secret detail')).body), /secret detail/);
  });

  it('looks inside the HttpException Nest wraps around Fastify body-parse errors', () => {
    const parseError = Object.assign(new Error('Body is not valid JSON but content-type is set to \'application/json\''), {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
      name: 'FastifyError',
    });
    const wrapped = new HttpException(parseError.message, 400, { cause: parseError });
    assert.deepEqual([only(wrapped).code, only(wrapped).type, toWorkspaceFailure(wrapped).body.Errors[0].Field], ['InvalidJson', 0, 'Body']);
  });

  it('keeps Nest\'s own HTTP errors as envelopes too', () => {
    assert.deepEqual([only(new NotFoundException()).status, only(new NotFoundException()).code], [404, 'NotFound']);
    assert.deepEqual([only(new BadRequestException('x')).status, only(new BadRequestException('x')).type], [400, 0]);
  });

  it('spells every error code in PascalCase', () => {
    assert.equal(pascalCaseCode('WORKSPACE_ACCESS_DENIED'), 'WorkspaceAccessDenied');
    assert.equal(pascalCaseCode('IDENTITY_PROVIDER_UNAVAILABLE'), 'IdentityProviderUnavailable');
    assert.equal(pascalCaseCode('MFA_REQUIRED'), 'MfaRequired');
  });
});
