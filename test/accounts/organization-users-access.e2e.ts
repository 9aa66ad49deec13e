import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { assertApiError } from '../auth/auth-helpers';
import { signIn } from '../support/sign-in';
import { createOrg, Org, redeem, setUser, ticketFor } from '../impersonation/fixture';
import { FakeClock } from '../support/fake-clock';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/** GET /api/organizations/{orgId}/users, as the one access rule (`@Authenticated`) declares it. */
describe('GET /api/organizations/{orgId}/users: ADMIN of that organization, never an impersonated session', () => {
  let t: TestApp;
  let acme: Org;
  let globex: Org;
  const clock = new FakeClock(new Date('2026-11-01T09:00:00Z'));
  const list = (orgId: string, token: string) => get(`${t.url}/api/organizations/${orgId}/users`, { token });

  before(async () => {
    t = await startTestApp({ clock });
    acme = await createOrg(t.db, 'acme');
    globex = await createOrg(t.db, 'globex');
  });
  after(() => t.close());

  it('lists the users of the admin\'s own organization', async () => {
    const { token } = await signIn(t, acme.admin.email);
    const res = await list(acme.org.id, token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 4);
    assert.deepEqual(
      res.body.items.map((u: { email: string }) => u.email),
      [acme.otherAdmin.email, acme.member2.email, acme.member.email, acme.admin.email].sort(),
    );
  });

  it('refuses a MEMBER with 403 FORBIDDEN', async () => {
    const { token } = await signIn(t, acme.member.email);
    assertApiError(await list(acme.org.id, token), 403, 'FORBIDDEN');
  });

  it('answers 404 NOT_FOUND for another organization, as for an unknown one', async () => {
    const { token } = await signIn(t, acme.admin.email);
    assertApiError(await list(globex.org.id, token), 404, 'NOT_FOUND');
    assertApiError(await list('00000000-0000-4000-8000-000000000000', token), 404, 'NOT_FOUND');
  });

  it('refuses an impersonated session with 403 even when its user has since become an ADMIN', async () => {
    const { token: adminToken } = await signIn(t, acme.admin.email);
    const ticket = await ticketFor(t, adminToken, acme.member2.id);
    const session = await redeem(t, acme.member2.email, ticket);
    assert.equal(session.status, 200, session.text);
    // The target is promoted while the admin acts as them; the session cache reloads after its bound.
    await setUser(t, acme.member2, { accessRole: AccessRole.ADMIN });
    clock.advance(t.config.sessionCacheMs + 1);
    const me = await get(`${t.url}/api/auth/me`, { token: session.body.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.accessRole, 'ADMIN', 'the session sees the promotion');
    assertApiError(await list(acme.org.id, session.body.token), 403, 'FORBIDDEN');
    // The user's own session, once promoted, passes: the refusal is about impersonation, not the role.
    const own = await signIn(t, acme.member2.email);
    assert.equal((await list(acme.org.id, own.token)).status, 200);
  });
});
