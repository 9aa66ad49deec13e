import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { SessionPolicy } from '../../src/identity/organizations/session-policy';
import { assertApiError, decodeJwt } from '../auth/auth-helpers';
import { createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';
import { signIn } from '../support/sign-in';
import { ENFORCED, me, MINUTE, orgWithPeople, refresh, setPolicy } from './fixture';

const START = Date.parse('2032-05-04T07:00:00.000Z');
const ABSOLUTE_HOURS = 24;
const iso = (ms: number) => new Date(ms).toISOString();

describe('server-side enforcement of the session policy (injected clock, no waiting)', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let workos: WorkosStandIn;

  const lastActivityOf = async (sessionId: string): Promise<number> =>
    ((await t.db.query(`SELECT last_activity_at FROM sessions WHERE id = $1`, [sessionId]))[0].last_activity_at as Date).getTime();
  /** Activity is written in the background, after the answer: wait (a bounded, real moment) for the write to land. */
  const writtenActivityOf = async (sessionId: string, expected: number): Promise<number> => {
    let seen = await lastActivityOf(sessionId);
    for (let i = 0; i < 40 && seen !== expected; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await lastActivityOf(sessionId);
    }
    return seen;
  };
  const endReasonOf = async (sessionId: string): Promise<string | null> =>
    (await t.db.query(`SELECT end_reason FROM sessions WHERE id = $1`, [sessionId]))[0].end_reason;

  /** A fresh organization on `policy`, with an admin and a member; the clock back at START. */
  async function scene(policy: Partial<SessionPolicy> = ENFORCED) {
    clock.set(START);
    return orgWithPeople(t, policy);
  }

  /** An SSO sign-in through the real endpoints and the WorkOS stand-in: a session of method `sso`. */
  async function ssoSignIn(org: Organization): Promise<HttpResponse> {
    const workosOrg = `org_01${randomBytes(6).toString('hex').toUpperCase()}`;
    await t.db.query(`UPDATE organizations SET workos_organization_id = $2 WHERE id = $1`, [org.id, workosOrg]);
    const email = `sso-${randomBytes(3).toString('hex')}@acme.example`;
    await createUser(t.db, org, { email });
    const remote = workos.addUser({ email, emailVerified: true });
    const browserNonce = randomBytes(32).toString('base64url');
    const started = await get(
      `${t.url}/api/auth/workos/authorize?organizationId=${org.id}&redirectUri=${encodeURIComponent('http://localhost:5173/cb')}&browserNonce=${browserNonce}`,
    );
    assert.equal(started.status, 200, started.text);
    const res = await post(`${t.url}/api/auth/workos/callback`, { code: workos.issueCode(remote.id, workosOrg), state: started.body.state, browserNonce });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.session.method, 'sso');
    return res;
  }

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ clock, config: { sessionAbsoluteHours: ABSOLUTE_HOURS, workos: workos.config() } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  describe('idle timeout', () => {
    it('ends a session idle for exactly idleTimeoutMinutes: 401 SESSION_IDLE_TIMEOUT, for its access and its refresh token', async () => {
      const { member } = await scene();
      const session = await signIn(t, member.email);
      clock.advance(10 * MINUTE - 1);
      assert.equal((await me(t, session.body.token)).status, 200, 'one millisecond before the deadline');
      clock.advance(10 * MINUTE);
      assertApiError(await me(t, session.body.token), 401, 'SESSION_IDLE_TIMEOUT');
      assertApiError(await me(t, session.body.token), 401, 'SESSION_IDLE_TIMEOUT');
      assertApiError(await refresh(t, session.body.refreshToken), 401, 'SESSION_IDLE_TIMEOUT');
      assert.equal(await endReasonOf(session.body.session.id), 'idle_timeout');
    });

    it('ends a session that only refreshes too late: the refresh answers SESSION_IDLE_TIMEOUT, and so does its access token', async () => {
      const { member } = await scene();
      const session = await signIn(t, member.email);
      clock.advance(10 * MINUTE);
      assertApiError(await refresh(t, session.body.refreshToken), 401, 'SESSION_IDLE_TIMEOUT');
      assertApiError(await me(t, session.body.token), 401, 'SESSION_IDLE_TIMEOUT');
    });

    it('keeps a session alive while it is used: every request and every refresh restarts the countdown', async () => {
      const { member } = await scene();
      const first = await signIn(t, member.email);
      let token: string = first.body.token;
      let refreshToken: string = first.body.refreshToken;
      for (let i = 0; i < 8; i++) {
        clock.advance(9 * MINUTE);
        if (i % 2 === 0) {
          const res = await me(t, token);
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.session.idleExpiresAt, iso(clock.nowMs() + 10 * MINUTE));
        } else {
          const res = await refresh(t, refreshToken);
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.session.idleExpiresAt, iso(clock.nowMs() + 10 * MINUTE));
          token = res.body.token;
          refreshToken = res.body.refreshToken;
        }
      }
      assert.ok(clock.nowMs() - START > 7 * 10 * MINUTE, 'alive across many idle timeouts');
      clock.advance(10 * MINUTE);
      assertApiError(await me(t, token), 401, 'SESSION_IDLE_TIMEOUT');
    });

    it('records activity without a database write per request, and still counts the unwritten activity', async () => {
      const { member } = await scene();
      const session = await signIn(t, member.email);
      const sid: string = session.body.session.id;
      clock.advance(1_000);
      for (let i = 0; i < 20; i++) assert.equal((await me(t, session.body.token)).status, 200);
      assert.equal(await lastActivityOf(sid), START, 'twenty requests inside one activity window: no write');
      clock.advance(10 * MINUTE - 500);
      // START + 1 s was seen (not yet written): the deadline is START + 1 s + 10 min, not START + 10 min.
      assert.equal((await me(t, session.body.token)).status, 200);
      assert.equal(await writtenActivityOf(sid, clock.nowMs()), clock.nowMs(), 'the first request of a new window writes at once');
    });

    it('does not enforce idleness while the policy is disabled, but still tracks activity', async () => {
      const { member } = await scene({ ...ENFORCED, enabled: false, tokenExpiryHours: 8 });
      const session = await signIn(t, member.email);
      assert.equal(session.body.session.idleExpiresAt, null);
      clock.advance(3 * 60 * MINUTE);
      const res = await me(t, session.body.token);
      assert.equal(res.status, 200, res.text);
      assert.equal(await writtenActivityOf(session.body.session.id, clock.nowMs()), clock.nowMs());
    });
  });

  describe('silent renewal, per way of signing in', () => {
    it('refuses to refresh a password session unless passwordSilentRenewalEnabled: 401 SILENT_RENEWAL_DISABLED, the session itself lives on', async () => {
      const { org, admin, member } = await scene({ ...ENFORCED, passwordSilentRenewalEnabled: false });
      const session = await signIn(t, member.email);
      assert.equal(session.body.sessionConfig.passwordFallbackBehavior, 'logout');
      clock.advance(MINUTE);
      assertApiError(await refresh(t, session.body.refreshToken), 401, 'SILENT_RENEWAL_DISABLED');
      assert.equal((await me(t, session.body.token)).status, 200, 'the access token still works until it expires');
      assert.equal(await endReasonOf(session.body.session.id), null);

      const adminToken = (await signIn(t, admin.email)).body.token;
      await setPolicy(t, org.id, adminToken, { ...ENFORCED, passwordSilentRenewalEnabled: true });
      assert.equal((await refresh(t, session.body.refreshToken)).status, 200, 'allowed once the policy says so');
    });

    it('refuses to refresh an SSO session unless ssoSilentRenewalEnabled, independently of the password flag', async () => {
      const { org, member } = await scene({ ...ENFORCED, ssoSilentRenewalEnabled: false, passwordSilentRenewalEnabled: true });
      const sso = await ssoSignIn(org);
      const password = await signIn(t, member.email);
      assert.equal(sso.body.sessionConfig.ssoFallbackBehavior, 'redirect');
      clock.advance(MINUTE);
      assertApiError(await refresh(t, sso.body.refreshToken), 401, 'SILENT_RENEWAL_DISABLED');
      assert.equal((await refresh(t, password.body.refreshToken)).status, 200, 'password sessions of the same org renew');
    });

    it('renews an SSO session when ssoSilentRenewalEnabled while password sessions of the org are refused', async () => {
      const { org, member } = await scene({ ...ENFORCED, ssoSilentRenewalEnabled: true, passwordSilentRenewalEnabled: false });
      const sso = await ssoSignIn(org);
      const password = await signIn(t, member.email);
      clock.advance(MINUTE);
      const renewed = await refresh(t, sso.body.refreshToken);
      assert.equal(renewed.status, 200, renewed.text);
      assert.equal(renewed.body.session.method, 'sso');
      assertApiError(await refresh(t, password.body.refreshToken), 401, 'SILENT_RENEWAL_DISABLED');
    });

    it('renews every session while the policy is disabled, whatever its flags say', async () => {
      const { org, member } = await scene({ ...ENFORCED, enabled: false, ssoSilentRenewalEnabled: false, passwordSilentRenewalEnabled: false });
      const sso = await ssoSignIn(org);
      const password = await signIn(t, member.email);
      assert.equal((await refresh(t, sso.body.refreshToken)).status, 200);
      assert.equal((await refresh(t, password.body.refreshToken)).status, 200);
    });
  });

  describe('absolute lifetime', () => {
    it(`never lets refreshes carry a session past SESSION_ABSOLUTE_HOURS from its login: then 401 SESSION_EXPIRED`, async () => {
      const { member } = await scene();
      const first = await signIn(t, member.email);
      const expiresAt = START + ABSOLUTE_HOURS * 60 * MINUTE;
      assert.equal(first.body.session.expiresAt, iso(expiresAt));
      let { token, refreshToken } = first.body as { token: string; refreshToken: string };
      // A refresh every 9 minutes (idle 10): always active, 160 refreshes reach the limit exactly.
      while (clock.nowMs() + 9 * MINUTE < expiresAt) {
        clock.advance(9 * MINUTE);
        const res = await refresh(t, refreshToken);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.session.expiresAt, iso(expiresAt), 'refresh never moves the absolute limit');
        assert.equal(res.body.session.idleExpiresAt, iso(Math.min(clock.nowMs() + 10 * MINUTE, expiresAt)));
        ({ token, refreshToken } = res.body);
      }
      clock.set(expiresAt);
      assertApiError(await refresh(t, refreshToken), 401, 'SESSION_EXPIRED');
      assertApiError(await me(t, token), 401, 'SESSION_EXPIRED');
      assert.equal(await endReasonOf(first.body.session.id), 'expired');
      assert.equal((await signIn(t, member.email)).res.status, 200, 'signing in again opens a new session');
    });

    it('holds the limit on a bearer request too, even while the policy is disabled', async () => {
      const { member } = await scene({ ...ENFORCED, enabled: false, tokenExpiryHours: 720 });
      const session = await signIn(t, member.email);
      clock.advance(ABSOLUTE_HOURS * 60 * MINUTE - 1);
      assert.equal((await me(t, session.body.token)).status, 200);
      clock.advance(1);
      assertApiError(await me(t, session.body.token), 401, 'SESSION_EXPIRED');
    });
  });

  describe('policy changes', () => {
    it('applies a tightened idle timeout to running sessions at their next request and refresh', async () => {
      const { org, admin, member } = await scene();
      const used = await signIn(t, member.email);
      const refreshOnly = await signIn(t, member.email);
      clock.advance(8 * MINUTE);
      assert.equal((await me(t, used.body.token)).status, 200);
      clock.advance(6 * MINUTE);
      const adminToken = (await signIn(t, admin.email)).body.token;
      await setPolicy(t, org.id, adminToken, { ...ENFORCED, idleTimeoutMinutes: 5 });
      // Idle 6 minutes (14 for the other) under a 5-minute policy: both dead, though alive under the old 10 minutes.
      assertApiError(await me(t, used.body.token), 401, 'SESSION_IDLE_TIMEOUT');
      assertApiError(await refresh(t, refreshOnly.body.refreshToken), 401, 'SESSION_IDLE_TIMEOUT');
    });

    it('applies to running sessions once enabled: activity was tracked while the policy was off', async () => {
      const { org, admin, member } = await scene({ ...ENFORCED, enabled: false });
      const session = await signIn(t, member.email);
      clock.advance(40 * MINUTE);
      const adminToken = (await signIn(t, admin.email)).body.token;
      await setPolicy(t, org.id, adminToken, { ...ENFORCED, idleTimeoutMinutes: 30 });
      assertApiError(await me(t, session.body.token), 401, 'SESSION_IDLE_TIMEOUT');
    });

    it('is in the sessionConfig of the next request on this instance at once, of the next refresh and of the next login', async () => {
      const { org, admin, member } = await scene();
      const session = await signIn(t, member.email);
      assert.equal((await me(t, session.body.token)).body.sessionConfig.tokenExpiryHours, 1, 'cached now');
      const adminToken = (await signIn(t, admin.email)).body.token;
      const changed = { ...ENFORCED, tokenExpiryHours: 3, idleTimeoutMinutes: 20 };
      await setPolicy(t, org.id, adminToken, changed);

      const seen = await me(t, session.body.token);
      assert.deepEqual(seen.body.sessionConfig, changed, 'no stale cached policy on the instance that took the PUT');
      assert.equal(seen.body.session.idleExpiresAt, iso(clock.nowMs() + 20 * MINUTE));
      clock.advance(MINUTE);
      const renewed = await refresh(t, session.body.refreshToken);
      assert.equal(renewed.status, 200, renewed.text);
      assert.deepEqual(renewed.body.sessionConfig, changed);
      const claims = decodeJwt(renewed.body.token).payload;
      assert.equal(claims.exp - claims.iat, 3 * 3600);
      const again = await signIn(t, member.email);
      assert.deepEqual(again.body.sessionConfig, changed);
    });
  });

  describe('deadlines in the responses', () => {
    it('answers the same session block on login, refresh and me, computed by the server', async () => {
      const { member } = await scene();
      const login = await signIn(t, member.email);
      const sid = decodeJwt(login.body.token).payload.sid;
      const expected = (now: number) => ({
        id: sid,
        method: 'password',
        createdAt: iso(START),
        expiresAt: iso(START + ABSOLUTE_HOURS * 60 * MINUTE),
        idleExpiresAt: iso(now + 10 * MINUTE),
        accessTokenExpiresAt: iso(now + 60 * MINUTE),
        mfaAt: null,
      });
      assert.deepEqual(login.body.session, expected(START));
      clock.advance(7 * MINUTE);
      const renewed = await refresh(t, login.body.refreshToken);
      assert.equal(renewed.status, 200, renewed.text);
      assert.deepEqual(renewed.body.session, expected(clock.nowMs()));
      assert.equal(decodeJwt(renewed.body.token).payload.exp * 1000, clock.nowMs() + 60 * MINUTE);
      clock.advance(2 * MINUTE);
      const mine = await me(t, renewed.body.token);
      assert.equal(mine.body.session.idleExpiresAt, iso(clock.nowMs() + 10 * MINUTE));
      assert.equal(
        mine.body.session.accessTokenExpiresAt,
        iso(decodeJwt(renewed.body.token).payload.exp * 1000),
        'me tells when the token it was called with expires, not when a fresh one would',
      );
    });
  });
});
