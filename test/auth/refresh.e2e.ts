import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, decodeJwt, login, meUrl, refreshUrl, sha256 } from './auth-helpers';

const START = Date.parse('2031-09-10T08:00:00.000Z');

describe('POST /api/auth/refresh: rotation, the grace window and reuse', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let userCounter = 0;

  const refresh = (refreshToken: unknown) => post(refreshUrl(t), { refreshToken });
  /** A fresh user and session per test, so no test depends on another's chain. */
  async function freshLogin(): Promise<HttpResponse> {
    clock.set(START);
    const email = `user${++userCounter}@acme.example`;
    await createUser(t.db, org, { email });
    return login(t, email, PASSWORD);
  }
  const chainOf = (sessionId: string) =>
    t.db.query(`SELECT id, token_hash, rotated_at, successor_id FROM refresh_tokens WHERE session_id = $1 ORDER BY created_at, rotated_at NULLS LAST`, [
      sessionId,
    ]);
  const liveTokensOf = async (sessionId: string): Promise<number> =>
    Number((await t.db.query(`SELECT count(*) AS n FROM refresh_tokens WHERE session_id = $1 AND rotated_at IS NULL`, [sessionId]))[0].n);

  let org: Awaited<ReturnType<typeof createOrganization>>;
  before(async () => {
    t = await startTestApp({ clock });
    org = await createOrganization(t.db, { sessionPolicy: { tokenExpiryHours: 2 } });
  });
  after(() => t.close());

  it('exchanges a refresh token for a new access token, a new refresh token and the current sessionConfig', async () => {
    const first = await freshLogin();
    const sid = decodeJwt(first.body.token).payload.sid;
    clock.advance(60_000);
    const res = await refresh(first.body.refreshToken);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['token', 'refreshToken', 'sessionConfig', 'user', 'session']);
    assert.match(res.body.refreshToken, /^rt_[0-9a-f]{32}$/);
    assert.notEqual(res.body.refreshToken, first.body.refreshToken);
    assert.notEqual(res.body.token, first.body.token);
    assert.deepEqual(res.body.sessionConfig, first.body.sessionConfig);
    assert.deepEqual(res.body.user, first.body.user);
    assert.equal(res.body.session.id, sid);
    const claims = decodeJwt(res.body.token).payload;
    assert.equal(claims.sid, sid, 'the same session');
    assert.equal(claims.iat, (START + 60_000) / 1000);
    assert.equal(claims.exp - claims.iat, 2 * 3600);
    assert.equal((await get(meUrl(t), { token: res.body.token })).status, 200);

    const chain = await chainOf(sid);
    assert.equal(chain.length, 2);
    assert.deepEqual(chain[0].token_hash, sha256(first.body.refreshToken));
    assert.equal(chain[0].rotated_at.getTime(), START + 60_000);
    assert.equal(chain[0].successor_id, chain[1].id);
    assert.deepEqual(chain[1].token_hash, sha256(res.body.refreshToken));
    assert.equal(chain[1].rotated_at, null);
  });

  it('takes the sessionConfig as it stands at the refresh, not as it was at login', async () => {
    clock.set(START);
    const policyOrg = await createOrganization(t.db, { sessionPolicy: { tokenExpiryHours: 4 } });
    await createUser(t.db, policyOrg, { email: 'policy@acme.example' });
    const res = await login(t, 'policy@acme.example', PASSWORD);
    await t.db.query(`UPDATE organizations SET session_policy = $2 WHERE id = $1`, [policyOrg.id, JSON.stringify({ tokenExpiryHours: 6 })]);
    const renewed = await refresh(res.body.refreshToken);
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.body.sessionConfig.tokenExpiryHours, 6);
    const claims = decodeJwt(renewed.body.token).payload;
    assert.equal(claims.exp - claims.iat, 6 * 3600);
  });

  it('lets a chain go on: each new refresh token works once in turn', async () => {
    const first = await freshLogin();
    const sid = decodeJwt(first.body.token).payload.sid;
    const seen = new Set<string>([first.body.refreshToken]);
    let token: string = first.body.refreshToken;
    for (let i = 0; i < 5; i++) {
      clock.advance(20_000);
      const res = await refresh(token);
      assert.equal(res.status, 200, res.text);
      assert.ok(!seen.has(res.body.refreshToken), 'never a token seen before');
      seen.add(res.body.refreshToken);
      token = res.body.refreshToken;
    }
    assert.equal((await chainOf(sid)).length, 6);
    assert.equal(await liveTokensOf(sid), 1);
  });

  it('answers a rotated token inside the grace window with the SAME successor and a fresh access token', async () => {
    const first = await freshLogin();
    const sid = decodeJwt(first.body.token).payload.sid;
    const winner = await refresh(first.body.refreshToken);
    assert.equal(winner.status, 200);
    clock.advance(9_000);
    const late = await refresh(first.body.refreshToken);
    assert.equal(late.status, 200, late.text);
    assert.equal(late.body.refreshToken, winner.body.refreshToken, 'the very token it was rotated to');
    assert.notEqual(late.body.token, winner.body.token, 'a fresh access token');
    assert.equal(decodeJwt(late.body.token).payload.sid, sid);
    assert.equal((await get(meUrl(t), { token: late.body.token })).status, 200);
    assert.equal(await liveTokensOf(sid), 1, 'still one chain');
    assert.equal((await chainOf(sid)).length, 2, 'no extra link was made');
    // The successor handed out twice still works exactly once.
    const next = await refresh(winner.body.refreshToken);
    assert.equal(next.status, 200, next.text);
  });

  it('treats a rotated token presented after the grace window as reuse and revokes the whole session', async () => {
    const first = await freshLogin();
    const sid = decodeJwt(first.body.token).payload.sid;
    const second = await refresh(first.body.refreshToken);
    clock.advance(5_000);
    const third = await refresh(second.body.refreshToken);
    assert.equal(third.status, 200);
    assert.equal((await get(meUrl(t), { token: third.body.token })).status, 200);

    clock.advance(10_001);
    assertApiError(await refresh(second.body.refreshToken), 401, 'REFRESH_TOKEN_REUSED');

    assertApiError(await get(meUrl(t), { token: third.body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await get(meUrl(t), { token: first.body.token }), 401, 'SESSION_REVOKED');
    for (const token of [first.body.refreshToken, second.body.refreshToken, third.body.refreshToken]) {
      assertApiError(await refresh(token), 401, 'INVALID_REFRESH_TOKEN');
    }
    const [session] = await t.db.query(`SELECT ended_at, end_reason FROM sessions WHERE id = $1`, [sid]);
    assert.equal(session.end_reason, 'refresh_reuse');
    assert.equal(session.ended_at.getTime(), START + 15_001);
  });

  it('revokes on reuse even when the rotated token comes back much later', async () => {
    const first = await freshLogin();
    const second = await refresh(first.body.refreshToken);
    clock.advance(3_600_000);
    assertApiError(await refresh(first.body.refreshToken), 401, 'REFRESH_TOKEN_REUSED');
    assertApiError(await refresh(second.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('never lets 20 concurrent refreshes of one token make two chains or a 500, and all 200s carry one token', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await freshLogin();
      const sid = decodeJwt(first.body.token).payload.sid;
      const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(first.body.refreshToken)));
      const statuses = answers.map((a) => a.status);
      assert.ok(statuses.every((s) => s === 200 || s === 401), `statuses: ${statuses.join(',')}`);
      const ok = answers.filter((a) => a.status === 200);
      assert.ok(ok.length >= 1, 'one of them rotates');
      assert.equal(new Set(ok.map((a) => a.body.refreshToken)).size, 1, 'every 200 carries the same refresh token');
      assert.equal(await liveTokensOf(sid), 1, 'exactly one unrotated refresh token for the session');
      assert.equal((await chainOf(sid)).length, 2);
      const again = await refresh(ok[0].body.refreshToken);
      assert.equal(again.status, 200, again.text);
      assert.equal(await liveTokensOf(sid), 1);
    }
  });

  it('has PostgreSQL itself refuse a second live refresh token for a session (one chain, whatever the code does)', async () => {
    const first = await freshLogin();
    const sid = decodeJwt(first.body.token).payload.sid;
    await assert.rejects(
      t.db.query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [sid, sha256('a second chain')]),
      /UQ_refresh_tokens_live_per_session/,
    );
    assert.equal(await liveTokensOf(sid), 1);
  });

  it('answers INVALID_REFRESH_TOKEN for unknown, malformed and ended-session tokens', async () => {
    assertApiError(await refresh(`rt_${'0'.repeat(32)}`), 401, 'INVALID_REFRESH_TOKEN');
    assertApiError(await refresh('rt_short'), 401, 'INVALID_REFRESH_TOKEN');
    assertApiError(await refresh(`RT_${'a'.repeat(32)}`), 401, 'INVALID_REFRESH_TOKEN');
    assertApiError(await refresh(`rt_${'A'.repeat(32)}`), 401, 'INVALID_REFRESH_TOKEN');
    const first = await freshLogin();
    await t.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'revoked' WHERE id = $1`, [decodeJwt(first.body.token).payload.sid]);
    assertApiError(await refresh(first.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('does not renew past the absolute session limit: SESSION_EXPIRED', async () => {
    const first = await freshLogin();
    clock.advance(t.config.sessionAbsoluteHours * 3_600_000);
    assertApiError(await refresh(first.body.refreshToken), 401, 'SESSION_EXPIRED');
  });
});
