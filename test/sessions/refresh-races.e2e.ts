import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/identity/users/user.entity';
import { SessionEndReason } from '../../src/sessions/session.entity';
import { SessionsService } from '../../src/sessions/sessions.service';
import { createOrg, Org, redeem, ticketFor } from '../impersonation/fixture';
import { createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every way a session ends races a refresh of it, for real: both requests in flight at once,
 * many times over. The refresh answers 200 (it won) or 401 (the end won), never 500; and when
 * it won, the tokens it handed out die with the session all the same.
 */
const ROUNDS = { logout: 200, reuse: 60, adminEnd: 60, deactivation: 60 };
const START = Date.parse('2031-09-10T08:00:00.000Z');

describe('refresh racing every way a session ends', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let acme: Org;
  let counter = 0;
  const refresh = (refreshToken: string) => post(`${t.url}/api/auth/refresh`, { refreshToken });

  before(async () => {
    t = await startTestApp({ clock });
    acme = await createOrg(t.db, 'acme');
  });
  after(() => t.close());

  async function logins(n: number): Promise<{ user: User; body: { token: string; refreshToken: string } }[]> {
    const out = [];
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, async () => {
          const user = await createUser(t.db, acme.org, { email: `racer${++counter}@acme.example` });
          const res = await post(`${t.url}/api/auth/login`, { email: user.email, password: PASSWORD });
          assert.equal(res.status, 200, res.text);
          return { user, body: res.body };
        }),
      );
      out.push(...batch);
    }
    return out;
  }

  /** The refresh's answer is 200 or a 401 with one of `codes`; a 200's new refresh token is dead afterwards. */
  async function assertSettled(res: HttpResponse, codes: string[], outcomes: Map<string, number>): Promise<void> {
    const key = res.status === 200 ? '200' : `${res.status} ${res.body?.code}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    if (res.status === 200) {
      const after = await refresh(res.body.refreshToken);
      assert.equal(after.status, 401, `the session ended, so the chain it rotated to is dead: ${after.text}`);
      return;
    }
    assert.equal(res.status, 401, res.text);
    assert.ok(codes.includes(res.body.code), res.text);
  }

  it(`against logout (${ROUNDS.logout} races): 200 or 401 INVALID_REFRESH_TOKEN, and the logout always holds`, async (ctx) => {
    const sessions = await logins(ROUNDS.logout);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < sessions.length; i += 10) {
      await Promise.all(
        sessions.slice(i, i + 10).map(async ({ body }) => {
          const [refreshed, loggedOut] = await Promise.all([
            refresh(body.refreshToken),
            post(`${t.url}/api/auth/logout`, undefined, { token: body.token }),
          ]);
          assert.equal(loggedOut.status, 204, loggedOut.text);
          await assertSettled(refreshed, ['INVALID_REFRESH_TOKEN'], outcomes);
        }),
      );
    }
    const ended = await t.db.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = ANY($1) AND end_reason = 'logout'`,
      [sessions.map((s) => s.user.id)],
    );
    assert.equal(ended[0].n, ROUNDS.logout);
    assert.equal([...outcomes.values()].reduce((a, b) => a + b, 0), ROUNDS.logout, JSON.stringify([...outcomes]));
    ctx.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  });

  it(`against reuse of a rotated token (${ROUNDS.reuse} races): the reuse is REFRESH_TOKEN_REUSED, the other 200 or 401`, async () => {
    clock.set(START);
    const sessions = await logins(ROUNDS.reuse);
    const rotated = await Promise.all(sessions.map(async ({ body }) => ({ old: body.refreshToken, current: (await refresh(body.refreshToken)).body.refreshToken as string })));
    clock.advance(t.config.refreshGraceSeconds * 1000 + 1000);
    const outcomes = new Map<string, number>();
    await Promise.all(
      rotated.map(async ({ old, current }) => {
        const [reused, refreshed] = await Promise.all([refresh(old), refresh(current)]);
        assert.equal(reused.status, 401, reused.text);
        assert.equal(reused.body.code, 'REFRESH_TOKEN_REUSED', reused.text);
        await assertSettled(refreshed, ['INVALID_REFRESH_TOKEN'], outcomes);
      }),
    );
    clock.set(START);
  });

  it(`against an admin ending the impersonated session (${ROUNDS.adminEnd} races): 200 or 401`, async () => {
    clock.set(START);
    const admin = await post(`${t.url}/api/auth/login`, { email: acme.admin.email, password: PASSWORD });
    const outcomes = new Map<string, number>();
    for (let i = 0; i < ROUNDS.adminEnd; i++) {
      const session = await redeem(t, acme.member.email, await ticketFor(t, admin.body.token, acme.member.id));
      assert.equal(session.status, 200, session.text);
      const [refreshed, endedEarly] = await Promise.all([
        refresh(session.body.refreshToken),
        post(`${t.url}/api/auth/impersonations/${session.body.session.id}/end`, {}, { token: admin.body.token }),
      ]);
      assert.equal(endedEarly.status, 204, endedEarly.text);
      await assertSettled(refreshed, ['INVALID_REFRESH_TOKEN'], outcomes);
    }
  });

  it(`against the user's deactivation (${ROUNDS.deactivation} races): 200 or 401`, async () => {
    clock.set(START);
    const sessions = await logins(ROUNDS.deactivation);
    const kernel = t.app.get(SessionsService);
    const outcomes = new Map<string, number>();
    await Promise.all(
      sessions.map(async ({ user, body }) => {
        const deactivate = async () => {
          await t.db.getRepository(User).update({ id: user.id }, { active: false });
          await kernel.endAllOfUser(user.id, SessionEndReason.UserDeactivated);
        };
        const [refreshed] = await Promise.all([refresh(body.refreshToken), deactivate()]);
        await assertSettled(refreshed, ['INVALID_REFRESH_TOKEN'], outcomes);
      }),
    );
  });
});
