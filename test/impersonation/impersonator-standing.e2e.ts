import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole, User } from '../../src/identity/users/user.entity';
import { assertApiError } from '../auth/auth-helpers';
import { createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { auditRows, createOrg, me, Org, redeem, setUser, ticketFor } from './fixture';

/** An impersonated session lives only while the admin behind it is still an active ADMIN of the organization. */
describe('the impersonating admin\'s standing is part of the session\'s liveness', () => {
  const clock = new FakeClock(new Date('2026-11-01T09:00:00Z'));
  let t: TestApp;
  let acme: Org;
  let n = 0;

  before(async () => {
    t = await startTestApp({ clock });
    acme = await createOrg(t.db, 'acme');
  });
  after(() => t.close());

  /** A fresh admin (so each test may demote theirs) and an impersonated session of the member opened by them. */
  async function impersonatedByNewAdmin(): Promise<{ admin: User; session: { token: string; refreshToken: string; id: string } }> {
    const admin = await createUser(t.db, acme.org, { email: `admin${++n}@acme.example`, accessRole: AccessRole.ADMIN });
    const { token } = await signIn(t, admin.email);
    const res = await redeem(t, acme.member.email, await ticketFor(t, token, acme.member.id));
    assert.equal(res.status, 200, res.text);
    return { admin, session: { token: res.body.token, refreshToken: res.body.refreshToken, id: res.body.session.id } };
  }
  const endOf = async (sessionId: string) => (await t.db.query(`SELECT end_reason FROM sessions WHERE id = $1`, [sessionId]))[0].end_reason;
  const refresh = (refreshToken: string) => post(`${t.url}/api/auth/refresh`, { refreshToken });

  it('keeps answering while the admin stays an active ADMIN (the control)', async () => {
    const { session } = await impersonatedByNewAdmin();
    clock.advance(t.config.sessionCacheMs + 1);
    assert.equal((await me(t, session.token)).status, 200);
    assert.equal((await refresh(session.refreshToken)).status, 200);
  });

  it('ends once the admin is demoted: me answers SESSION_REVOKED, refresh INVALID_REFRESH_TOKEN', async () => {
    const { admin, session } = await impersonatedByNewAdmin();
    assert.equal((await me(t, session.token)).status, 200);
    await setUser(t, admin, { accessRole: AccessRole.MEMBER });
    clock.advance(t.config.sessionCacheMs + 1);
    assertApiError(await me(t, session.token), 401, 'SESSION_REVOKED');
    assertApiError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    assert.equal(await endOf(session.id), 'impersonator_lost_access');
    const ended = (await auditRows(t, 'impersonation.ended')).filter((e) => e.sessionId === session.id);
    assert.equal(ended.length, 1);
    assert.deepEqual(ended[0].details, { endReason: 'impersonator_lost_access', impersonatorId: admin.id });
    assert.equal(ended[0].actorUserId, admin.id);
  });

  it('ends once the admin is deactivated, on the refresh path too (before any bearer request notices)', async () => {
    const { admin, session } = await impersonatedByNewAdmin();
    await setUser(t, admin, { active: false });
    assertApiError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    assert.equal(await endOf(session.id), 'impersonator_lost_access');
    clock.advance(t.config.sessionCacheMs + 1);
    assertApiError(await me(t, session.token), 401, 'SESSION_REVOKED');
  });

  it('ends once the admin has moved to another organization', async () => {
    const globex = await createOrg(t.db, 'globex');
    const { admin, session } = await impersonatedByNewAdmin();
    await setUser(t, admin, { organizationId: globex.org.id });
    clock.advance(t.config.sessionCacheMs + 1);
    assertApiError(await me(t, session.token), 401, 'SESSION_REVOKED');
    assert.equal(await endOf(session.id), 'impersonator_lost_access');
  });
});
