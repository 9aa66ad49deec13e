import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { assertApiError } from '../auth/auth-helpers';
import { AppProcess, startAppProcess } from '../support/app-process';
import { FakeClock } from '../support/fake-clock';
import { HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { ENFORCED, me, MINUTE, orgWithPeople, refresh, setPolicy } from './fixture';

const START = Date.parse('2032-07-01T12:00:00.000Z');
/** The contract: another instance refuses a revoked session within 5 s. */
const CROSS_INSTANCE_BOUND_MS = 5_000;

/**
 * Two instances of the service on one database: this process (`t`) and a forked one
 * (`second`), each with its own fake clock, moved together. Policy: 10 minutes idle.
 */
describe('two instances on one database', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let second: AppProcess;
  let people: Awaited<ReturnType<typeof orgWithPeople>>;

  const setBoth = async (ms: number) => {
    clock.set(ms);
    await second.setTime(ms);
  };

  /** Polls `instance` in real time until the session is refused; answers the refusal and how long it took. */
  async function untilRefused(instance: { url: string }, token: string, sinceMs: number): Promise<{ res: HttpResponse; afterMs: number }> {
    let res = await me(instance, token);
    while (res.status === 200 && Date.now() - sinceMs < CROSS_INSTANCE_BOUND_MS + 1_000) {
      await sleep(100);
      res = await me(instance, token);
    }
    return { res, afterMs: Date.now() - sinceMs };
  }

  /** Activity is written in the background, after the answer: wait (a bounded, real moment) for it to land before moving the clocks. */
  async function activityWritten(sessionId: string, atMs: number): Promise<void> {
    for (let i = 0; i < 40; i++) {
      const [row] = await t.db.query(`SELECT last_activity_at FROM sessions WHERE id = $1`, [sessionId]);
      if ((row.last_activity_at as Date).getTime() >= atMs) return;
      await sleep(50);
    }
  }

  before(async () => {
    t = await startTestApp({ clock });
    second = await startAppProcess(t.config, { clockMs: START });
    people = await orgWithPeople(t, ENFORCED);
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it('activity seen by one instance keeps the session alive on the other, both ways, and idleness ends it on both', async () => {
    await setBoth(START);
    const session = await signIn(t, people.member.email);
    const token: string = session.body.token;
    assert.equal((await me(second, token)).status, 200, 'the second instance knows (and caches) the session');
    assert.equal((await me(t, token)).status, 200);

    // Used only on the second instance for a while: the first would have ended it at START + 10 min otherwise.
    await setBoth(START + 6 * MINUTE);
    assert.equal((await me(second, token)).status, 200);
    await activityWritten(session.body.session.id, START + 6 * MINUTE);
    await setBoth(START + 12 * MINUTE);
    assert.equal((await me(t, token)).status, 200, 'alive on the first thanks to the activity on the second');
    await activityWritten(session.body.session.id, START + 12 * MINUTE);

    // And the other way round: used on the first, the second (which cached the session at START + 6) keeps it alive.
    await setBoth(START + 21 * MINUTE);
    assert.equal((await me(second, token)).status, 200, 'alive on the second thanks to the activity on the first');
    const renewed = await refresh(t, session.body.refreshToken);
    assert.equal(renewed.status, 200, renewed.text);

    // A refresh on the first counts as activity on the second too.
    await setBoth(START + 30 * MINUTE);
    assert.equal((await me(second, renewed.body.token)).status, 200, 'the refresh at +21 keeps it alive at +30');

    // Now nobody uses it for the idle timeout.
    await setBoth(START + 40 * MINUTE);
    assertApiError(await me(second, renewed.body.token), 401, 'SESSION_IDLE_TIMEOUT');
    assertApiError(await me(t, renewed.body.token), 401, 'SESSION_IDLE_TIMEOUT');
    assertApiError(await refresh(t, renewed.body.refreshToken), 401, 'SESSION_IDLE_TIMEOUT');
  });

  it('coalesces activity on each instance: a burst of requests does not write per request', async () => {
    await setBoth(START + 60 * MINUTE);
    const session = await signIn(t, people.member.email);
    const sid: string = session.body.session.id;
    await setBoth(START + 60 * MINUTE + 1_000);
    for (let i = 0; i < 10; i++) {
      assert.equal((await me(second, session.body.token)).status, 200);
      assert.equal((await me(t, session.body.token)).status, 200);
    }
    const [row] = await t.db.query(`SELECT last_activity_at FROM sessions WHERE id = $1`, [sid]);
    assert.equal(row.last_activity_at.getTime(), START + 60 * MINUTE, 'still the login time: nothing written inside the window');
  });

  it('a policy tightened on one instance reaches running sessions on the other at their next request', async () => {
    await setBoth(START + 120 * MINUTE);
    const session = await signIn(t, people.member.email);
    assert.equal((await me(second, session.body.token)).status, 200);
    await setBoth(START + 127 * MINUTE);
    const adminToken = (await signIn(t, people.admin.email)).body.token;
    await setPolicy(t, people.org.id, adminToken, { ...ENFORCED, idleTimeoutMinutes: 5 });
    assertApiError(await me(second, session.body.token), 401, 'SESSION_IDLE_TIMEOUT');
    await setPolicy(t, people.org.id, adminToken, ENFORCED);
  });

  it('a logout on one instance is enforced by the other within 5 s (real time; the fake clocks stand still)', async () => {
    await setBoth(START + 200 * MINUTE);
    const session = await signIn(t, people.member.email);
    assert.equal((await me(second, session.body.token)).status, 200);
    assert.equal((await me(second, session.body.token)).status, 200, 'cached on the second');

    const loggedOutAt = Date.now();
    assert.equal((await post(`${t.url}/api/auth/logout`, undefined, { token: session.body.token })).status, 204);
    assertApiError(await refresh(second, session.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    const { res, afterMs } = await untilRefused(second, session.body.token, loggedOutAt);
    assertApiError(res, 401, 'SESSION_REVOKED');
    assert.ok(afterMs < CROSS_INSTANCE_BOUND_MS, `refused after ${afterMs} ms`);
  });

  it('a logout on the other instance is enforced by this one within 5 s', async () => {
    const session = await signIn(second, people.member.email);
    assert.equal((await me(t, session.body.token)).status, 200, 'cached on the first');
    const loggedOutAt = Date.now();
    assert.equal((await post(`${second.url}/api/auth/logout`, undefined, { token: session.body.token })).status, 204);
    const { res, afterMs } = await untilRefused(t, session.body.token, loggedOutAt);
    assertApiError(res, 401, 'SESSION_REVOKED');
    assert.ok(afterMs < CROSS_INSTANCE_BOUND_MS, `refused after ${afterMs} ms`);
  });
});
