import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, login, meUrl, refreshUrl } from './auth-helpers';

/**
 * A user made inactive by the admin API loses every session at once (test/accounts/admin-users.e2e.ts), a
 * password change or reset every other one (test/accounts/own-sessions-and-password-change.e2e.ts,
 * password-reset.e2e.ts). A user made inactive behind the service's back, straight in the database, is
 * refused too: the bearer check and refresh read the user's standing themselves.
 */
describe('a user deactivated straight in the database', () => {
  const clock = new FakeClock(Date.parse('2031-03-01T09:00:00Z'));
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrganization>>;

  before(async () => {
    t = await startTestApp({ clock });
    org = await createOrganization(t.db);
  });
  after(() => t.close());

  it('is refused at the next bearer request after the cache bound, and at refresh', async () => {
    const user = await createUser(t.db, org, { email: 'dbleaver@acme.example' });
    const sessions = [await login(t, user.email, PASSWORD), await login(t, user.email, PASSWORD)];
    for (const s of sessions) assert.equal((await get(meUrl(t), { token: s.body.token })).status, 200);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    clock.advance(t.config.sessionCacheMs);
    assertApiError(await get(meUrl(t), { token: sessions[0].body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await post(refreshUrl(t), { refreshToken: sessions[1].body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
  });
});
