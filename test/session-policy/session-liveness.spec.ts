import assert from 'node:assert/strict';
import { MetricsService } from '../../src/platform/metrics/metrics.service';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { SessionMethod } from '../../src/sessions/session.entity';
import { SessionLivenessService } from '../../src/sessions/session-liveness.service';
import type { SessionRow } from '../../src/sessions/session-snapshot';
import type { SessionsService } from '../../src/sessions/sessions.service';
import type { AppConfig } from '../../src/platform/config/app-config';
import type { SessionsRepository } from '../../src/sessions/sessions.repository';
import { AccessRole } from '../../src/identity/users/user.entity';
import { FakeClock } from '../support/fake-clock';

const T0 = Date.parse('2032-01-01T00:00:00.000Z');
const SID = '11111111-1111-4111-8111-111111111111';

/** The two repository calls the service makes, against one session row held in memory. */
class FakeSql {
  readonly writes: number[] = [];
  loads = 0;
  constructor(readonly row: SessionRow) {}
  async snapshotRow(): Promise<SessionRow> {
    this.loads++;
    return { ...this.row };
  }
  async recordActivity(_sessionId: string, at: Date): Promise<void> {
    this.writes.push(at.getTime() - T0);
    if (at > this.row.last_activity_at) this.row.last_activity_at = at;
  }
}

function sessionRow(idleTimeoutMinutes: number): SessionRow {
  return {
    session_id: SID,
    user_id: 'u',
    organization_id: 'o',
    method: SessionMethod.Password,
    impersonator_id: null,
    impersonator_email: null,
    impersonator_in_good_standing: true,
    workspace_id: null,
    created_at: new Date(T0),
    last_activity_at: new Date(T0),
    expires_at: new Date(T0 + 86_400_000),
    ended_at: null,
    end_reason: null,
    mfa_at: null,
    email: 'm@acme.example',
    first_name: 'M',
    last_name: 'M',
    access_role: AccessRole.MEMBER,
    conversation_open_preference: 'split',
    active: true,
    session_policy: { enabled: true, idleTimeoutMinutes },
  };
}

describe('SessionLivenessService: coalesced activity', () => {
  let clock: FakeClock;
  let sql: FakeSql;
  let liveness: SessionLivenessService;
  const sessions = { onEndedLocally: () => undefined, useActivitySeen: () => undefined, end: async () => true } as unknown as SessionsService;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    clock = new FakeClock(T0);
    // One-minute idle timeout: a 5 s activity window. The cache bound is longer than the timeout so that
    // "stale by age" never hides the paths under test.
    sql = new FakeSql(sessionRow(1));
    liveness = new SessionLivenessService(sql as unknown as SessionsRepository, clock, sessions, { sessionCacheMs: 120_000 } as AppConfig, new MetricsService());
  });
  afterEach(async () => {
    await liveness.onApplicationShutdown();
    mock.timers.reset();
  });
  const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('writes the first request of a window at once and the rest of the window once, when it closes', async () => {
    clock.set(T0 + 6_000);
    await liveness.check(SID);
    assert.deepEqual(sql.writes, [6_000], 'a new window: written at once');
    for (const at of [7_000, 8_000, 9_500]) {
      clock.set(T0 + at);
      await liveness.check(SID);
    }
    assert.deepEqual(sql.writes, [6_000], 'inside the window: nothing written per request');
    mock.timers.tick(5_000);
    await flushMicrotasks();
    assert.deepEqual(sql.writes, [6_000, 9_500], 'the trailing write carries the latest activity');
    mock.timers.tick(120_000);
    await flushMicrotasks();
    assert.equal(sql.writes.length, 2, 'nothing more to write');
  });

  it('writes what is still waiting when the application shuts down', async () => {
    clock.set(T0 + 1_000);
    await liveness.check(SID);
    assert.deepEqual(sql.writes, []);
    await liveness.onApplicationShutdown();
    assert.deepEqual(sql.writes, [1_000]);
  });

  it('looks at the database again before ending a session as idle on a cached snapshot', async () => {
    await liveness.check(SID);
    assert.equal(sql.loads, 1);
    // Another instance recorded activity at +50 s; this one cached the session at T0.
    sql.row.last_activity_at = new Date(T0 + 50_000);
    clock.set(T0 + 70_000);
    await liveness.check(SID);
    assert.equal(sql.loads, 2, 'reloaded instead of ending the session');
  });

  it('reloads the snapshots of an organization whose policy changed', async () => {
    await liveness.check(SID);
    liveness.invalidateOrganization('other');
    await liveness.check(SID);
    assert.equal(sql.loads, 1);
    liveness.invalidateOrganization('o');
    await liveness.check(SID);
    assert.equal(sql.loads, 2);
  });
});
