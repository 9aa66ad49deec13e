import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fallbackFor, fromWorkspaceCode, idleDeadlines, renewalTime, sessionEndingCode, silentRenewalAllowed } from '../src/policy';
import { POLICY } from './fixtures';


describe('silent renewal, as the server decides it', () => {
  it('follows the per-method flags when the policy is enabled', () => {
    assert.equal(silentRenewalAllowed('password', POLICY), false);
    assert.equal(silentRenewalAllowed('sso', POLICY), true);
    assert.equal(silentRenewalAllowed('password', { ...POLICY, passwordSilentRenewalEnabled: true }), true);
    assert.equal(silentRenewalAllowed('sso', { ...POLICY, ssoSilentRenewalEnabled: false }), false);
  });

  it('always renews when the policy is off, and impersonated sessions always renew (their own 60-minute limit bounds them)', () => {
    assert.equal(silentRenewalAllowed('password', { ...POLICY, enabled: false }), true);
    assert.equal(silentRenewalAllowed('impersonation', { ...POLICY, ssoSilentRenewalEnabled: false }), true);
  });
});

describe('the fallback when a session ends', () => {
  it('redirects SSO sessions and signs password sessions out when they cannot renew, as the policy says', () => {
    for (const reason of ['SILENT_RENEWAL_DISABLED', 'TOKEN_EXPIRED', 'SESSION_EXPIRED', 'INVALID_REFRESH_TOKEN'] as const) {
      assert.equal(fallbackFor(reason, 'sso', POLICY), 'redirect', reason);
      assert.equal(fallbackFor(reason, 'password', POLICY), 'logout', reason);
      assert.equal(fallbackFor(reason, 'password', { ...POLICY, passwordFallbackBehavior: 'redirect' }), 'redirect', reason);
    }
  });

  it('never redirects after idleness, a revocation, a reused token or the user\'s own sign-out', () => {
    for (const reason of ['idle', 'SESSION_IDLE_TIMEOUT', 'SESSION_REVOKED', 'REFRESH_TOKEN_REUSED', 'user'] as const) {
      assert.equal(fallbackFor(reason, 'sso', POLICY), 'logout', reason);
    }
  });
});

describe('server codes as logout reasons', () => {
  it('recognises the codes that end a session and nothing else', () => {
    assert.equal(sessionEndingCode('SESSION_IDLE_TIMEOUT'), 'SESSION_IDLE_TIMEOUT');
    assert.equal(sessionEndingCode('REFRESH_TOKEN_REUSED'), 'REFRESH_TOKEN_REUSED');
    assert.equal(sessionEndingCode('FORBIDDEN'), null);
    assert.equal(sessionEndingCode(undefined), null);
  });

  it('reads the workspace API\'s PascalCase codes', () => {
    assert.equal(fromWorkspaceCode('SessionIdleTimeout'), 'SESSION_IDLE_TIMEOUT');
    assert.equal(fromWorkspaceCode('TokenExpired'), 'TOKEN_EXPIRED');
    assert.equal(fromWorkspaceCode('InvalidCredentials'), null);
  });
});

describe('deadlines', () => {
  it('puts the idle deadline idleTimeoutMinutes after the last input and the warning warningTimeMinutes before it', () => {
    const d = idleDeadlines({ policy: POLICY, lastActivity: 1_000_000, serverIdleDeadline: null, sessionDeadline: null });
    assert.deepEqual(d, { idle: 1_000_000 + 30 * 60_000, warning: 1_000_000 + 28 * 60_000 });
  });

  it('never lets the idle deadline pass the absolute end of the session', () => {
    const d = idleDeadlines({ policy: POLICY, lastActivity: 0, serverIdleDeadline: null, sessionDeadline: 60_000 });
    assert.equal(d.idle, 60_000);
  });

  it('follows the server\'s idle deadline when the policy turns input tracking off, and has none when the policy is off', () => {
    const d = idleDeadlines({ policy: { ...POLICY, idleTrackingEnabled: false }, lastActivity: 0, serverIdleDeadline: 5_000_000, sessionDeadline: null });
    assert.equal(d.idle, 5_000_000);
    assert.deepEqual(idleDeadlines({ policy: { ...POLICY, enabled: false }, lastActivity: 0, serverIdleDeadline: 1, sessionDeadline: null }), {
      idle: null,
      warning: null,
    });
  });

  it('renews a minute before the access token expires, or a tenth of a short lifetime', () => {
    assert.equal(renewalTime(10 * 3_600_000, 8 * 3_600_000), 10 * 3_600_000 - 60_000);
    assert.equal(renewalTime(100_000, 30_000), 97_000);
  });
});
