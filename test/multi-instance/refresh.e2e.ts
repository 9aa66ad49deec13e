import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, decodeJwt, login, meUrl, refreshUrl } from '../auth/auth-helpers';
import { tally } from '../throttle/throttle-harness';

const START = Date.parse('2031-09-10T08:00:00.000Z');
const CONCURRENT = 24;
const ROUNDS = 3;
const GRACE_MS = 10_000;

/**
 * Rotation, the grace window and reuse detection with two instances in two
 * processes on one database. Both run on fake clocks kept at the same time, so
 * "after the grace window" needs no real waiting.
 */
describe('refresh rotation across two instances (two processes, one database)', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let second: AppProcess;
  let org: Awaited<ReturnType<typeof createOrganization>>;
  let users = 0;

  const instances = (): { url: string }[] => [t, second];
  const refreshOn = (instance: { url: string }, refreshToken: string): Promise<HttpResponse> => post(refreshUrl(instance), { refreshToken });
  /** Both clocks to the same time. */
  async function setTime(ms: number): Promise<void> {
    clock.set(ms);
    await second.setTime(ms);
  }
  async function freshLogin(on: { url: string }): Promise<{ res: HttpResponse; sid: string }> {
    const email = `multi${++users}@acme.example`;
    await createUser(t.db, org, { email });
    const res = await login(on, email, PASSWORD);
    return { res, sid: decodeJwt(res.body.token).payload.sid };
  }
  /** Unrotated refresh tokens of a session that is not ended: the live chains. */
  const liveChains = async (sid: string): Promise<number> => {
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
        WHERE rt.session_id = $1 AND rt.rotated_at IS NULL AND s.ended_at IS NULL`,
      [sid],
    );
    return n;
  };

  before(async () => {
    t = await startTestApp({ clock });
    second = await startAppProcess(t.config, { clockMs: START });
    org = await createOrganization(t.db, { sessionPolicy: { tokenExpiryHours: 2 } });
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it(`never makes two live chains or a 500 from ${CONCURRENT} concurrent refreshes of one token split over both, and every 200 carries one token`, async () => {
    const statuses: Record<number, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      await setTime(START + round * 60_000);
      const { res, sid } = await freshLogin(instances()[round % 2]);
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) => refreshOn(instances()[i % 2], res.body.refreshToken)),
      );
      for (const [status, n] of Object.entries(tally(answers))) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
      assert.deepEqual(tally(answers), { 200: CONCURRENT }, 'inside the grace window every racer gets 200');
      assert.equal(new Set(answers.map((a) => a.body.refreshToken)).size, 1, 'every 200 carries the same successor');
      assert.equal(await liveChains(sid), 1, 'exactly one live refresh token for the session');
      const [{ n }] = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1`, [sid]);
      assert.equal(n, 2, 'one rotation: the first token and its successor');

      // The successor works once more, on either instance, and the chain goes on.
      const next = await refreshOn(instances()[(round + 1) % 2], answers[0].body.refreshToken);
      assert.equal(next.status, 200, next.text);
      assert.equal(await liveChains(sid), 1);
    }
    console.log(`# refresh race: ${ROUNDS} rounds × ${CONCURRENT} concurrent refreshes of one token over 2 instances → ${JSON.stringify(statuses)}, one live chain each`);
  });

  for (const [rotatesOn, reusedOn] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const names = ['the in-test instance', 'the forked instance'];
    it(`revokes the whole session everywhere when a token rotated on ${names[rotatesOn]} is reused after the grace window on ${names[reusedOn]}`, async () => {
      await setTime(START + 3_600_000 * (rotatesOn + 1));
      const rotator = instances()[rotatesOn];
      const reuser = instances()[reusedOn];
      const { res: first, sid } = await freshLogin(rotator);
      const secondLink = await refreshOn(rotator, first.body.refreshToken);
      assert.equal(secondLink.status, 200, secondLink.text);
      // Both instances have the session live in their caches.
      for (const instance of instances()) assert.equal((await get(meUrl(instance), { token: secondLink.body.token })).status, 200);

      await setTime(clock.nowMs() + GRACE_MS + 1);
      assertApiError(await refreshOn(reuser, first.body.refreshToken), 401, 'REFRESH_TOKEN_REUSED');

      // The instance that rotated learns it from the database: its session cache (2 s of its clock) has run out.
      for (const instance of instances()) {
        assertApiError(await get(meUrl(instance), { token: secondLink.body.token }), 401, 'SESSION_REVOKED');
        assertApiError(await refreshOn(instance, secondLink.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      }
      const [session] = await t.db.query<{ end_reason: string }[]>(`SELECT end_reason FROM sessions WHERE id = $1`, [sid]);
      assert.equal(session.end_reason, 'refresh_reuse');
      assert.equal(await liveChains(sid), 0);
    });
  }

  it('ends a warm session on the rotating instance once its 2 s session cache runs out, after reuse on the other', async () => {
    // The contract's 5 s bound in real time, for logout, is test/auth/logout.e2e.ts; this is the reuse path, on fake clocks.
    await setTime(START + 10 * 3_600_000);
    const { res: first } = await freshLogin(t);
    const secondLink = await refreshOn(t, first.body.refreshToken);
    assert.equal((await get(meUrl(t), { token: secondLink.body.token })).status, 200);
    await setTime(clock.nowMs() + GRACE_MS + 1);
    assert.equal((await get(meUrl(t), { token: secondLink.body.token })).status, 200, 'the cache is warm on the first instance');
    assertApiError(await refreshOn(second, first.body.refreshToken), 401, 'REFRESH_TOKEN_REUSED');
    // 2 s of the fake clock pass on both: the cached answer is at its end of life.
    await setTime(clock.nowMs() + 2_000);
    assertApiError(await get(meUrl(t), { token: secondLink.body.token }), 401, 'SESSION_REVOKED');
  });
});
