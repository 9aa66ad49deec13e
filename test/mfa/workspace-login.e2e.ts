import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMembership, createOrganization, createUser, createWorkspace, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { enrollTotp, setMfaPolicy } from './mfa-helpers';

/**
 * The workspace login has no second step, so it must not be a way around one: a user
 * with a factor, or one the organization's policy requires to have one, is refused
 * there after the right password, and no session is opened.
 */
describe('the workspace login and the second factor', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-03T08:00:00Z'));

  before(async () => {
    t = await startTestApp({ clock });
  });
  after(() => t.close());

  const workspaceLogin = (UserNameOrEmail: string) =>
    post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail, Password: PASSWORD });
  const sessionsOf = async (userId: string) =>
    Number((await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]))[0].n);

  async function memberOfAWorkspace(org = undefined as Awaited<ReturnType<typeof createOrganization>> | undefined) {
    const organization = org ?? (await createOrganization(t.db));
    const user = await createUser(t.db, organization);
    await createMembership(t.db, await createWorkspace(t.db, organization), user, { isDefault: true });
    return { organization, user };
  }

  it('refuses a user with TOTP after the right password (400 MfaRequired in the envelope), opening no session', async () => {
    const { user } = await memberOfAWorkspace();
    assert.equal((await workspaceLogin(user.email)).status, 200, 'signs in before enrolling');
    await enrollTotp(t, clock, user.email);
    const before = await sessionsOf(user.id);

    const res = await workspaceLogin(user.email);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.Success, false);
    assert.equal(res.body.Data, null);
    assert.equal(res.body.Errors[0].Code, 'MfaRequired');
    assert.equal(res.body.Errors[0].Type, 1);
    assert.equal(await sessionsOf(user.id), before, 'no session was opened');
  });

  it('refuses a user the policy requires to have a factor, and still answers InvalidCredentials to a wrong password', async () => {
    const { organization, user } = await memberOfAWorkspace();
    await setMfaPolicy(t.db, organization, 'all');
    const res = await workspaceLogin(user.email);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.Errors[0].Code, 'MfaRequired');
    const wrong = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: user.email, Password: 'not-the-password' });
    assert.equal(wrong.body.Errors[0].Code, 'InvalidCredentials');
    assert.equal(await sessionsOf(user.id), 0);
  });
});
