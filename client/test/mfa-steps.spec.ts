import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthApiError } from '../src/http';
import { isCodeRefusal, isStepUpRefusal, pendingLoginOf } from '../src/mfa-steps';

const EXPIRES = '2026-11-02T10:05:00.000Z';
const refusal = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new AuthApiError(status, code, `message of ${code}`, { statusCode: status, code, message: `message of ${code}`, ...extra });

describe('pendingLoginOf: which 403s of the login are a step, not a refusal', () => {
  it('MFA_REQUIRED: the second factor, with the token and factors of `mfa`', () => {
    const err = refusal(403, 'MFA_REQUIRED', { mfa: { token: 'mfa_abc', factors: ['totp'], expiresAt: EXPIRES } });
    assert.deepEqual(pendingLoginOf(err), {
      status: 'mfa-required',
      message: 'message of MFA_REQUIRED',
      token: 'mfa_abc',
      factors: ['totp'],
      expiresAt: EXPIRES,
    });
  });

  it('MFA_ENROLLMENT_REQUIRED: enrollment during login, with the same `mfa` object', () => {
    const err = refusal(403, 'MFA_ENROLLMENT_REQUIRED', { mfa: { token: 'mfa_def', factors: ['totp'], expiresAt: EXPIRES } });
    assert.equal(pendingLoginOf(err)?.status, 'mfa-enrollment-required');
    assert.equal(pendingLoginOf(err)?.token, 'mfa_def');
  });

  it('EMAIL_VERIFICATION_REQUIRED: the token of `verification`, no factors', () => {
    const err = refusal(403, 'EMAIL_VERIFICATION_REQUIRED', { verification: { token: 'mfa_ghi', expiresAt: EXPIRES } });
    assert.deepEqual(pendingLoginOf(err), {
      status: 'email-verification-required',
      message: 'message of EMAIL_VERIFICATION_REQUIRED',
      token: 'mfa_ghi',
      factors: [],
      expiresAt: EXPIRES,
    });
  });

  it('keeps only string factors', () => {
    const err = refusal(403, 'MFA_REQUIRED', { mfa: { token: 'mfa_abc', factors: ['totp', 7, null], expiresAt: EXPIRES } });
    assert.deepEqual(pendingLoginOf(err)?.factors, ['totp']);
  });

  it('is null for real refusals: other codes, other statuses, and answers without a usable token', () => {
    assert.equal(pendingLoginOf(refusal(401, 'INVALID_CREDENTIALS')), null);
    assert.equal(pendingLoginOf(refusal(403, 'SSO_REQUIRED')), null);
    assert.equal(pendingLoginOf(refusal(401, 'MFA_REQUIRED', { mfa: { token: 'mfa_abc', expiresAt: EXPIRES } })), null);
    // The workspace envelope's MfaRequired is a refusal: that API has no second step.
    assert.equal(pendingLoginOf(new AuthApiError(400, 'MfaRequired', 'MFA required', { Success: false })), null);
    assert.equal(pendingLoginOf(refusal(403, 'MFA_REQUIRED')), null);
    assert.equal(pendingLoginOf(refusal(403, 'MFA_REQUIRED', { mfa: { token: '', expiresAt: EXPIRES } })), null);
    assert.equal(pendingLoginOf(refusal(403, 'MFA_REQUIRED', { mfa: { token: 'mfa_abc' } })), null);
    assert.equal(pendingLoginOf(refusal(403, 'EMAIL_VERIFICATION_REQUIRED', { mfa: { token: 'mfa_abc', expiresAt: EXPIRES } })), null);
    assert.equal(pendingLoginOf(new AuthApiError(403, 'MFA_REQUIRED', 'x', 'not json')), null);
    assert.equal(pendingLoginOf(new Error('network down')), null);
    assert.equal(pendingLoginOf(refusal(403, 'toString')), null, 'a code naming an Object.prototype member is not a step');
  });
});

describe('isCodeRefusal / isStepUpRefusal', () => {
  it('tell a wrong code (the step may be tried again) and a step-up demand from everything else', () => {
    assert.equal(isCodeRefusal(refusal(401, 'MFA_CODE_INVALID')), true);
    assert.equal(isCodeRefusal(refusal(401, 'MFA_TOKEN_INVALID')), false, 'a dead token ends the step');
    assert.equal(isCodeRefusal(new Error('MFA_CODE_INVALID')), false);
    assert.equal(isStepUpRefusal(refusal(403, 'STEP_UP_REQUIRED')), true);
    assert.equal(isStepUpRefusal(refusal(403, 'FORBIDDEN')), false);
  });
});
