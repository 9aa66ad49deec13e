import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planTimeline, TimelineInput } from '../src/session-timeline';
import { POLICY } from './fixtures';

const MIN = 60_000;
const T0 = 1_800_000_000_000;

/** A password session opened at T0 with the seed's policy, renewal allowed. */
const input = (over: Partial<TimelineInput> = {}): TimelineInput => ({
  now: T0,
  policy: { ...POLICY, passwordSilentRenewalEnabled: true },
  method: 'password',
  refreshable: true,
  lastActivity: T0,
  lastServerContact: T0,
  serverIdleDeadline: T0 + 30 * MIN,
  sessionDeadline: T0 + 720 * 60 * MIN,
  accessTokenDeadline: T0 + 8 * 60 * MIN,
  accessTokenLifetimeMs: 8 * 60 * MIN,
  warningShown: false,
  expiringShown: false,
  renewalRefused: false,
  refreshBackoffUntil: 0,
  ...over,
});

const types = (plan: ReturnType<typeof planTimeline>) => plan.actions.map((a) => ('reason' in a ? `${a.type}:${a.reason}` : a.type));

describe('the session timeline', () => {
  it('does nothing right after sign-in and wakes up when the warning is due', () => {
    const plan = planTimeline(input());
    assert.deepEqual(types(plan), []);
    assert.equal(plan.wakeAt, T0 + 28 * MIN);
  });

  it('warns warningTimeMinutes before the idle deadline, once', () => {
    const plan = planTimeline(input({ now: T0 + 28 * MIN }));
    assert.deepEqual(plan.actions, [{ type: 'warn', deadline: T0 + 30 * MIN }]);
    assert.deepEqual(types(planTimeline(input({ now: T0 + 29 * MIN, warningShown: true }))), []);
  });

  it('clears the warning when input anywhere moved the deadline', () => {
    const plan = planTimeline(input({ now: T0 + 29 * MIN, lastActivity: T0 + 29 * MIN, warningShown: true, lastServerContact: T0 + 29 * MIN }));
    assert.deepEqual(types(plan), ['clear-warning']);
  });

  it('signs out with the client\'s own reason `idle` at the idle deadline', () => {
    assert.deepEqual(types(planTimeline(input({ now: T0 + 30 * MIN, warningShown: true }))), ['end:idle']);
  });

  it('follows the server\'s idle deadline, with its code, when the policy turns input tracking off', () => {
    const policy = { ...POLICY, idleTrackingEnabled: false, passwordSilentRenewalEnabled: true };
    assert.deepEqual(types(planTimeline(input({ policy, now: T0 + 31 * MIN, lastActivity: T0 + 31 * MIN, serverIdleDeadline: T0 + 30 * MIN }))), [
      'end:SESSION_IDLE_TIMEOUT',
    ]);
  });

  it('has no idle limit at all when the policy is disabled', () => {
    const plan = planTimeline(input({ policy: { ...POLICY, enabled: false }, now: T0 + 120 * MIN }));
    assert.deepEqual(types(plan), []);
    assert.equal(plan.deadlines.idle, null);
  });

  it('tells the server about recent input once half the idle window passed since it last heard from the session', () => {
    assert.deepEqual(types(planTimeline(input({ now: T0 + 14 * MIN, lastActivity: T0 + 14 * MIN }))), []);
    assert.deepEqual(types(planTimeline(input({ now: T0 + 15 * MIN, lastActivity: T0 + 15 * MIN }))), ['touch']);
    // No input since: nothing to report, the server may count down.
    assert.deepEqual(types(planTimeline(input({ now: T0 + 20 * MIN }))), []);
  });

  it('refreshes a minute before the access token expires when renewal is allowed', () => {
    const plan = planTimeline(input({ now: T0 + 8 * 60 * MIN - MIN, lastActivity: T0 + 8 * 60 * MIN - MIN, lastServerContact: T0 + 8 * 60 * MIN - MIN }));
    assert.deepEqual(types(plan), ['refresh']);
  });

  it('waits out a refresh backoff after a failure', () => {
    const now = T0 + 8 * 60 * MIN - MIN;
    const plan = planTimeline(input({ now, lastActivity: now, lastServerContact: now, refreshBackoffUntil: now + 10_000 }));
    assert.deepEqual(types(plan), []);
    assert.equal(plan.wakeAt, now + 10_000);
  });

  it('without silent renewal: announces the end warningTimeMinutes ahead, then ends with SILENT_RENEWAL_DISABLED at token expiry', () => {
    const policy = { ...POLICY, passwordSilentRenewalEnabled: false, idleTimeoutMinutes: 1440 };
    const expiry = T0 + 8 * 60 * MIN;
    const near = expiry - 2 * MIN;
    assert.deepEqual(planTimeline(input({ policy, now: near, lastActivity: near, lastServerContact: near })).actions, [
      { type: 'expiring', deadline: expiry },
    ]);
    assert.deepEqual(types(planTimeline(input({ policy, now: expiry, lastActivity: expiry, lastServerContact: expiry }))), [
      'end:SILENT_RENEWAL_DISABLED',
    ]);
  });

  it('treats a server refusal of renewal like a policy that forbids it', () => {
    const expiry = T0 + 8 * 60 * MIN;
    assert.deepEqual(types(planTimeline(input({ renewalRefused: true, now: expiry, lastActivity: expiry, lastServerContact: expiry }))), [
      'end:SILENT_RENEWAL_DISABLED',
    ]);
  });

  it('ends a workspace session (no refresh token) with TOKEN_EXPIRED', () => {
    const plan = planTimeline(input({ policy: null, method: null, refreshable: false, sessionDeadline: null, serverIdleDeadline: null, now: T0 + 8 * 60 * MIN }));
    assert.deepEqual(types(plan), ['end:TOKEN_EXPIRED']);
  });

  it('ends at the absolute limit with SESSION_EXPIRED before anything else', () => {
    assert.deepEqual(types(planTimeline(input({ now: T0 + 10 * MIN, sessionDeadline: T0 + 10 * MIN }))), ['end:SESSION_EXPIRED']);
  });
});
