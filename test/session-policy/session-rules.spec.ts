import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionMethod } from '../../src/sessions/session.entity';
import { DEFAULT_SESSION_POLICY, SessionPolicy } from '../../src/identity/organizations/session-policy';
import { activityWindowMs, idleDeadlineMs, isIdleExpired, silentRenewalAllowed } from '../../src/sessions/policy/session-rules';

const MINUTE = 60_000;
const on = (fields: Partial<SessionPolicy> = {}): SessionPolicy => ({ ...DEFAULT_SESSION_POLICY, enabled: true, ...fields });

describe('session rules', () => {
  it('coalesces activity in a window of a twelfth of the idle timeout, between 1 s and 30 s', () => {
    assert.equal(activityWindowMs({ idleTimeoutMinutes: 1 }), 5_000);
    assert.equal(activityWindowMs({ idleTimeoutMinutes: 2 }), 10_000);
    assert.equal(activityWindowMs({ idleTimeoutMinutes: 30 }), 30_000);
    assert.equal(activityWindowMs({ idleTimeoutMinutes: 1440 }), 30_000);
    for (let idle = 1; idle <= 1440; idle++) assert.ok(activityWindowMs({ idleTimeoutMinutes: idle }) * 12 <= idle * MINUTE);
  });

  it('ends a session idle for exactly idleTimeoutMinutes, the deadline the SPA is told', () => {
    const policy = on({ idleTimeoutMinutes: 10 });
    assert.equal(isIdleExpired(0, 10 * MINUTE - 1, policy), false);
    assert.equal(isIdleExpired(0, 10 * MINUTE, policy), true);
    assert.equal(idleDeadlineMs(0, policy), 10 * MINUTE);
  });

  it('never ends a session for idleness while the policy is disabled', () => {
    assert.equal(isIdleExpired(0, 1e12, { ...DEFAULT_SESSION_POLICY, enabled: false }), false);
    assert.equal(idleDeadlineMs(0, { ...DEFAULT_SESSION_POLICY, enabled: false }), null);
  });

  it('allows silent renewal per way of signing in, only when the policy is enabled', () => {
    for (const password of [true, false]) {
      for (const sso of [true, false]) {
        const policy = on({ passwordSilentRenewalEnabled: password, ssoSilentRenewalEnabled: sso });
        assert.equal(silentRenewalAllowed(SessionMethod.Password, policy), password);
        assert.equal(silentRenewalAllowed(SessionMethod.Sso, policy), sso);
        assert.equal(silentRenewalAllowed(SessionMethod.Impersonation, policy), true, 'bounded by its own 60-minute limit');
        assert.equal(silentRenewalAllowed(SessionMethod.Password, { ...policy, enabled: false }), true);
        assert.equal(silentRenewalAllowed(SessionMethod.Sso, { ...policy, enabled: false }), true);
      }
    }
  });
});
