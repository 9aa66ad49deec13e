import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountKeyOf } from '../../src/throttle/throttle-keys';
import { createUser, PASSWORD } from '../support/factories';
import { get, post, request } from '../support/http';
import { assertApiError } from '../auth/auth-helpers';
import { redeem, ticketFor } from '../impersonation/fixture';
import { signIn } from '../support/sign-in';
import { AccountsWorld, auditTypes, liveSessions, NEW_PASSWORD, startAccountsWorld } from './accounts-fixture';

describe("the user's own password and sessions", () => {
  let w: AccountsWorld;
  const sessionsUrl = () => `${w.t.url}/api/auth/sessions`;
  const change = (token: string, currentPassword: string, newPassword = NEW_PASSWORD) =>
    post(`${w.t.url}/api/auth/password`, { currentPassword, newPassword }, { token });

  before(async () => {
    w = await startAccountsWorld();
  });
  after(() => w.close());

  it('lists the live sessions newest first, marking this one; ended ones are gone', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'lister@acme.example' });
    const first = await signIn(w.t, u.email);
    const second = await post(`${w.t.url}/api/auth/login`, { email: u.email, password: PASSWORD }, { headers: { 'user-agent': 'Phone/1.0' } });
    const ended = await signIn(w.t, u.email);
    await post(`${w.t.url}/api/auth/logout`, undefined, { token: ended.token });
    const res = await get(sessionsUrl(), { token: first.token });
    assert.equal(res.status, 200, res.text);
    const items = res.body.items;
    assert.equal(items.length, 2);
    assert.deepEqual(Object.keys(items[0]).sort(), [
      'createdAt', 'current', 'expiresAt', 'id', 'idleExpiresAt', 'impersonator', 'ip', 'lastActivityAt', 'method', 'userAgent',
    ]);
    assert.deepEqual(items.map((s: { current: boolean }) => s.current), [false, true]);
    assert.equal(items[0].userAgent, 'Phone/1.0');
    assert.equal(items[0].method, 'password');
    assert.equal(items[0].impersonator, null);
    assert.equal(items[1].id, first.sessionId);
    assert.ok(Date.parse(items[0].createdAt) >= Date.parse(items[1].createdAt));
    assert.equal(second.status, 200);
  });

  it("names the impersonator of an impersonated session; an impersonated session cannot end the user's sessions", async () => {
    const u = await createUser(w.t.db, w.org, { email: 'watched@acme.example' });
    const own = await signIn(w.t, u.email);
    const adminToken = (await signIn(w.t, w.admin.email)).token;
    const imp = await redeem(w.t, u.email, await ticketFor(w.t, adminToken, u.id));
    assert.equal(imp.status, 200, imp.text);
    const list = await get(sessionsUrl(), { token: own.token });
    const impersonated = list.body.items.find((s: { method: string }) => s.method === 'impersonation');
    assert.deepEqual(impersonated.impersonator, { id: w.admin.id, email: w.admin.email });
    assertApiError(await post(`${sessionsUrl()}/revoke-others`, undefined, { token: imp.body.token }), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await request('DELETE', `${sessionsUrl()}/${own.sessionId}`, undefined, { token: imp.body.token }), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await change(imp.body.token, PASSWORD), 403, 'IMPERSONATION_RESTRICTED');
    assert.equal((await get(`${w.t.url}/api/auth/me`, { token: own.token })).status, 200);
  });

  it("ends one session by id (204); someone else's, unknown or malformed ids answer 404", async () => {
    const u = await createUser(w.t.db, w.org, { email: 'ender@acme.example' });
    const a = await signIn(w.t, u.email);
    const b = await signIn(w.t, u.email);
    const stranger = await signIn(w.t, w.member.email);
    assert.equal((await request('DELETE', `${sessionsUrl()}/${b.sessionId}`, undefined, { token: a.token })).status, 204);
    assertApiError(await get(`${w.t.url}/api/auth/me`, { token: b.token }), 401, 'SESSION_REVOKED');
    assertApiError(await request('DELETE', `${sessionsUrl()}/${b.sessionId}`, undefined, { token: a.token }), 404, 'NOT_FOUND');
    assertApiError(await request('DELETE', `${sessionsUrl()}/${stranger.sessionId}`, undefined, { token: a.token }), 404, 'NOT_FOUND');
    assertApiError(await request('DELETE', `${sessionsUrl()}/nope`, undefined, { token: a.token }), 404, 'NOT_FOUND');
    assert.equal((await get(`${w.t.url}/api/auth/me`, { token: stranger.token })).status, 200);
    const [row] = await w.t.db.query(`SELECT end_reason FROM sessions WHERE id = $1`, [b.sessionId]);
    assert.equal(row.end_reason, 'revoked');
  });

  it('revoke-others ends every session but this one', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'others@acme.example' });
    const keep = await signIn(w.t, u.email);
    const gone = await signIn(w.t, u.email);
    await signIn(w.t, u.email);
    assert.equal((await post(`${sessionsUrl()}/revoke-others`, undefined, { token: keep.token })).status, 204);
    assert.equal(await liveSessions(w.t.db, u.id), 1);
    assertApiError(await get(`${w.t.url}/api/auth/me`, { token: gone.token }), 401, 'SESSION_REVOKED');
    assert.equal((await get(`${w.t.url}/api/auth/me`, { token: keep.token })).status, 200);
  });

  it('change password: this session stays, every other ends, the new password works and the old does not', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'changer@acme.example' });
    const here = await signIn(w.t, u.email);
    const elsewhere = await signIn(w.t, u.email);
    const res = await change(here.token, PASSWORD);
    assert.equal(res.status, 204, res.text);
    assert.equal((await get(`${w.t.url}/api/auth/me`, { token: here.token })).status, 200);
    assertApiError(await get(`${w.t.url}/api/auth/me`, { token: elsewhere.token }), 401, 'SESSION_REVOKED');
    assertApiError(await post(`${w.t.url}/api/auth/refresh`, { refreshToken: elsewhere.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    const [ended] = await w.t.db.query<{ end_reason: string }[]>(`SELECT end_reason FROM sessions WHERE id = $1`, [elsewhere.sessionId]);
    assert.equal(ended.end_reason, 'credentials_changed');
    assert.equal(await liveSessions(w.t.db, u.id), 1);
    await signIn(w.t, u.email, NEW_PASSWORD);
    assertApiError(await post(`${w.t.url}/api/auth/login`, { email: u.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    assert.deepEqual(await auditTypes(w.t.db, u.id), ['user.password_changed']);
  });

  it('a wrong current password is 400 CURRENT_PASSWORD_INCORRECT, writes nothing, and spends the login budget: 429 after it', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'guesser@acme.example' });
    const s = await signIn(w.t, u.email);
    const other = await signIn(w.t, u.email);
    const statuses: number[] = [];
    // The first 5 failures are free; from then on waits grow, and after the 19th the pair is closed for the hour.
    while (statuses.length < 25 && statuses[statuses.length - 1] !== 429) statuses.push((await change(s.token, `wrong password ${statuses.length}`)).status);
    assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400]);
    assert.equal(statuses[statuses.length - 1], 429, statuses.join(','));
    assertApiError(await change(s.token, 'wrong password'), 429, 'TOO_MANY_ATTEMPTS');
    // The same budget as logins: the account's login counter holds every failed check.
    const failures = statuses.filter((x) => x === 400).length;
    const counter = async () =>
      (await w.t.db.query(`SELECT failures FROM throttle_counters WHERE key = $1`, [`acct:${accountKeyOf(u.email)}`]))[0]?.failures;
    assert.equal(await counter(), failures);
    assert.equal((await get(`${w.t.url}/api/auth/me`, { token: other.token })).status, 200, 'nothing ended');
    const [row] = await w.t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [u.id]);
    assert.equal(row.password_hash, u.passwordHash);
    assert.deepEqual(await auditTypes(w.t.db, u.id), []);
  });

  it('a weak new password answers WEAK_PASSWORD naming newPassword; a migrated user answers 409', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'simple.simon@acme.example' });
    const s = await signIn(w.t, u.email);
    const res = await change(s.token, PASSWORD, 'Simple.Simon-1234');
    assertApiError(res, 400, 'WEAK_PASSWORD');
    assert.deepEqual(res.body.errors, [{ field: 'newPassword', message: 'newPassword must not contain your email address or user name', reason: 'CONTAINS_IDENTIFIER' }]);
    assertApiError(await post(`${w.t.url}/api/auth/password`, { currentPassword: PASSWORD }, { token: s.token }), 400, 'VALIDATION_FAILED');
    await w.t.db.query(`UPDATE users SET workos_user_id = 'user_01SIMON', migrated_at = now() WHERE id = $1`, [u.id]);
    assertApiError(await change(s.token, PASSWORD), 409, 'PASSWORD_MANAGED_BY_IDENTITY_PROVIDER');
  });
});
