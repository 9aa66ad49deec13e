import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountService } from '../../src/auth/account/account.service';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, login, loginUrl, meUrl, refreshUrl } from './auth-helpers';

describe('account changes that end every session at once', () => {
  const clock = new FakeClock(Date.parse('2031-03-01T09:00:00Z'));
  let t: TestApp;
  let accounts: AccountService;
  let org: Awaited<ReturnType<typeof createOrganization>>;

  before(async () => {
    t = await startTestApp({ clock });
    accounts = t.app.get(AccountService);
    org = await createOrganization(t.db);
  });
  after(() => t.close());

  async function twoSessions(email: string) {
    const user = await createUser(t.db, org, { email });
    const a = await login(t, email, PASSWORD);
    const b = await login(t, email, PASSWORD);
    for (const s of [a, b]) assert.equal((await get(meUrl(t), { token: s.body.token })).status, 200);
    return { user, sessions: [a, b] };
  }

  it('a deactivated user loses every session: bearer and refresh refused, and cannot sign in', async () => {
    const { user, sessions } = await twoSessions('leaver@acme.example');
    assert.equal(await accounts.deactivate(user.id), 2);
    for (const s of sessions) {
      assertApiError(await get(meUrl(t), { token: s.body.token }), 401, 'SESSION_REVOKED');
      assertApiError(await post(refreshUrl(t), { refreshToken: s.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    }
    assertApiError(await post(loginUrl(t), { email: 'leaver@acme.example', password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    const rows = await t.db.query(`SELECT end_reason FROM sessions WHERE user_id = $1`, [user.id]);
    assert.deepEqual(rows.map((r: { end_reason: string }) => r.end_reason), ['user_deactivated', 'user_deactivated']);
  });

  it('a user deactivated straight in the database is refused at the next bearer request after the cache bound', async () => {
    const { user, sessions } = await twoSessions('dbleaver@acme.example');
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    clock.advance(t.config.sessionCacheMs);
    assertApiError(await get(meUrl(t), { token: sessions[0].body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await post(refreshUrl(t), { refreshToken: sessions[1].body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('a password change ends every session; the new password signs in, the old one does not', async () => {
    const { user, sessions } = await twoSessions('changer@acme.example');
    assert.equal(await accounts.changePassword(user.id, 'A-brand-new-passphrase!'), 2);
    for (const s of sessions) {
      assertApiError(await get(meUrl(t), { token: s.body.token }), 401, 'SESSION_REVOKED');
      assertApiError(await post(refreshUrl(t), { refreshToken: s.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    }
    assertApiError(await post(loginUrl(t), { email: 'changer@acme.example', password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    await login(t, 'changer@acme.example', 'A-brand-new-passphrase!');
  });
});
