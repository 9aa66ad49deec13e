import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post, request } from '../support/http';
import { assertApiError } from '../auth/auth-helpers';
import { redeem, ticketFor } from '../impersonation/fixture';
import { signIn } from '../support/sign-in';
import { AccountsWorld, auditTypes, liveSessions, mailTo, NEW_PASSWORD, startAccountsWorld, tokenOf } from './accounts-fixture';

const patch = (url: string, body: unknown, token: string) => request('PATCH', url, body, { token });

describe('the admin API on an organization users', () => {
  let w: AccountsWorld;
  let adminToken: string;
  let users: string;

  before(async () => {
    w = await startAccountsWorld();
    adminToken = (await signIn(w.t, w.admin.email)).token;
    users = `${w.t.url}/api/organizations/${w.org.id}/users`;
  });
  after(() => w.close());

  it('creates an invited user with an invitation email; accepting it sets the password, activates and signs in', async () => {
    const res = await post(users, { email: ' Nia.New@Acme.example ', firstName: 'Nia', lastName: 'New', userName: 'nia' }, { token: adminToken });
    assert.equal(res.status, 201, res.text);
    const { user, invitation } = res.body;
    assert.deepEqual(Object.keys(user).sort(), [
      'accessRole', 'active', 'createdAt', 'email', 'firstName', 'fullName', 'id', 'lastLoginAt', 'lastName', 'mfaEnabled', 'migrated', 'status', 'userName',
    ]);
    assert.equal(user.email, 'nia.new@acme.example');
    assert.equal(user.status, 'invited');
    assert.equal(user.accessRole, 'MEMBER');
    assert.equal(user.fullName, 'Nia New');
    assert.equal(user.lastLoginAt, null);
    const expiresIn = Date.parse(invitation.expiresAt) - Date.parse(user.createdAt);
    assert.ok(Math.abs(expiresIn - 7 * 24 * 3600_000) < 60_000, `${expiresIn}`);
    const [row] = await w.t.db.query(`SELECT password_hash, invited_at FROM users WHERE id = $1`, [user.id]);
    assert.equal(row.password_hash, null);
    assert.deepEqual(await auditTypes(w.t.db, user.id), ['user.created', 'user.invited']);
    // No password yet: nothing to sign in with.
    assertApiError(await post(`${w.t.url}/api/auth/login`, { email: user.email, password: '' }), 400, 'VALIDATION_FAILED');

    const mail = await mailTo(w.smtp, user.email, /invited to Acme/);
    assert.match(mail.text ?? '', /Hello Nia,/);
    const token = tokenOf(mail, '/accept-invitation');
    assert.equal((await post(`${w.t.url}/api/auth/password/reset`, { token, newPassword: NEW_PASSWORD })).status, 204);
    await signIn(w.t, user.email, NEW_PASSWORD);
    const read = await get(`${users}/${user.id}`, { token: adminToken });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.status, 'active');
    assert.ok(read.body.lastLoginAt);
    assert.deepEqual(await auditTypes(w.t.db, user.id), ['user.created', 'user.invited', 'user.invitation_accepted']);
  });

  it('refuses a taken email or user name with 409, and bad input with 400 naming the field: nothing written', async () => {
    const count = async () => (await w.t.db.query(`SELECT (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM account_tokens)::int AS t`))[0];
    const before = await count();
    assertApiError(await post(users, { email: w.member.email.toUpperCase(), firstName: 'A', lastName: 'B' }, { token: adminToken }), 409, 'EMAIL_TAKEN');
    await createUser(w.t.db, w.org, { email: 'named@acme.example', userName: 'Taken' });
    const mid = await count();
    assertApiError(await post(users, { email: 'x1@acme.example', firstName: 'A', lastName: 'B', userName: 'TAKEN' }, { token: adminToken }), 409, 'USERNAME_TAKEN');
    for (const [body, field] of [
      [{ email: 'x2@acme.example', firstName: 'A', lastName: 'B', role: 'ADMIN' }, 'role'],
      [{ email: 'not-an-email', firstName: 'A', lastName: 'B' }, 'email'],
      [{ email: 'x3@acme.example', lastName: 'B' }, 'firstName'],
      [{ email: 'x4@acme.example', firstName: 'A', lastName: 'B', accessRole: 'OWNER' }, 'accessRole'],
      [{ email: 'x5@acme.example', firstName: 'A', lastName: 'B', userName: 'a@b' }, 'userName'],
      [{ email: 'x6@acme.example', firstName: null, lastName: 'B' }, 'firstName'],
    ] as const) {
      const res = await post(users, body, { token: adminToken });
      assertApiError(res, 400, 'VALIDATION_FAILED');
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), res.text);
    }
    assert.deepEqual(await count(), { u: before.u + 1, t: before.t });
    assert.deepEqual(await count(), mid);
  });

  it('is for ADMINs of the organization in their own session: 403 for members, 403 IMPERSONATION_RESTRICTED, 404 for other organizations', async () => {
    const member = await signIn(w.t, w.member.email);
    const body = { email: 'nope@acme.example', firstName: 'N', lastName: 'O' };
    assertApiError(await post(users, body, { token: member.token }), 403, 'FORBIDDEN');
    assertApiError(await get(users, { token: member.token }), 403, 'FORBIDDEN');
    const other = await createOrganization(w.t.db, { name: 'Other' });
    const otherAdmin = await createUser(w.t.db, other, { email: 'admin@other.example', accessRole: AccessRole.ADMIN });
    const otherToken = (await signIn(w.t, otherAdmin.email)).token;
    assertApiError(await post(users, body, { token: otherToken }), 404, 'NOT_FOUND');
    assertApiError(await get(`${users}/${w.member.id}`, { token: otherToken }), 404, 'NOT_FOUND');
    assertApiError(await get(`${w.t.url}/api/organizations/${other.id}/users/${w.member.id}`, { token: otherToken }), 404, 'USER_NOT_FOUND');
    assertApiError(await get(`${users}/not-a-uuid`, { token: adminToken }), 404, 'USER_NOT_FOUND');

    // An admin impersonating another admin of the organization is still refused.
    const otherOrgAdmin = await createUser(w.t.db, w.org, { email: 'second-admin@acme.example', accessRole: AccessRole.ADMIN });
    const ticket = await ticketFor(w.t, adminToken, w.member.id);
    const impersonated = await redeem(w.t, w.member.email, ticket);
    assert.equal(impersonated.status, 200, impersonated.text);
    // The list keeps the FORBIDDEN it documented before IMPERSONATION_RESTRICTED existed (test/accounts/organization-users-access.e2e.ts).
    assertApiError(await get(users, { token: impersonated.body.token }), 403, 'FORBIDDEN');
    assertApiError(await get(`${users}/${w.member.id}`, { token: impersonated.body.token }), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await post(users, body, { token: impersonated.body.token }), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await patch(`${users}/${otherOrgAdmin.id}`, { active: false }, impersonated.body.token), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await post(users, body), 401, 'TOKEN_INVALID');
    const [{ n }] = await w.t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'nope@acme.example'`);
    assert.equal(n, 0);
  });

  it('lists with status and q filters, as admin views', async () => {
    await createUser(w.t.db, w.org, { email: 'quentin@acme.example', firstName: 'Quentin', lastName: 'Quiet', active: false });
    const all = await get(`${users}?limit=200`, { token: adminToken });
    assert.equal(all.status, 200, all.text);
    assert.ok(all.body.items.every((u: { status: string; migrated: boolean }) => ['invited', 'active', 'inactive'].includes(u.status)));
    const inactive = await get(`${users}?status=inactive`, { token: adminToken });
    assert.deepEqual(inactive.body.items.map((u: { email: string }) => u.email), ['quentin@acme.example']);
    const byName = await get(`${users}?q=quiet`, { token: adminToken });
    assert.deepEqual(byName.body.items.map((u: { email: string }) => u.email), ['quentin@acme.example']);
    assert.equal(byName.body.total, 1);
    const percent = await get(`${users}?q=%25`, { token: adminToken });
    assert.equal(percent.body.total, 0, 'a % in q is a literal %');
    assertApiError(await get(`${users}?status=gone`, { token: adminToken }), 400, 'VALIDATION_FAILED');
  });

  it('PATCH changes names, user name and role, audits each, and changes nothing when nothing differs', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'pat@acme.example', firstName: 'Pat', lastName: 'Old' });
    const res = await patch(`${users}/${u.id}`, { lastName: 'New', userName: 'patty', accessRole: 'ADMIN' }, adminToken);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.fullName, 'Pat New');
    assert.equal(res.body.userName, 'patty');
    assert.equal(res.body.accessRole, 'ADMIN');
    assert.deepEqual((await auditTypes(w.t.db, u.id)).sort(), ['user.role_changed', 'user.updated']);
    const [updated] = await w.t.db.query(`SELECT details FROM audit_events WHERE target_user_id = $1 AND type = 'user.updated'`, [u.id]);
    assert.deepEqual(updated.details, { changes: { lastName: { before: 'Old', after: 'New' }, userName: { before: null, after: 'patty' } } });
    assert.equal((await patch(`${users}/${u.id}`, { lastName: 'New' }, adminToken)).status, 200);
    assert.equal((await auditTypes(w.t.db, u.id)).length, 2);
    const unknown = await patch(`${users}/${u.id}`, { email: 'x@y.example' }, adminToken);
    assertApiError(unknown, 400, 'VALIDATION_FAILED');
    assert.ok(unknown.body.errors.some((e: { field: string }) => e.field === 'email'));
    assertApiError(await patch(`${users}/${u.id}`, { active: 'no' }, adminToken), 400, 'VALIDATION_FAILED');
  });

  it('deactivation ends every session of the user at once and kills their links; reactivation lets them in again', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'leaver@acme.example' });
    const s1 = await signIn(w.t, u.email);
    const s2 = await signIn(w.t, u.email);
    const before = w.smtp.messages.length;
    await post(`${w.t.url}/api/auth/password/forgot`, { email: u.email });
    const token = tokenOf(await mailTo(w.smtp, u.email, /Reset/, before), '/reset-password');
    const res = await patch(`${users}/${u.id}`, { active: false }, adminToken);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'inactive');
    assert.equal(await liveSessions(w.t.db, u.id), 0);
    for (const s of [s1, s2]) {
      assertApiError(await get(`${w.t.url}/api/auth/me`, { token: s.token }), 401, 'SESSION_REVOKED');
      assertApiError(await post(`${w.t.url}/api/auth/refresh`, { refreshToken: s.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    }
    const reasons = await w.t.db.query<{ end_reason: string }[]>(`SELECT end_reason FROM sessions WHERE user_id = $1`, [u.id]);
    assert.deepEqual(reasons.map((r) => r.end_reason), ['user_deactivated', 'user_deactivated']);
    assertApiError(await post(`${w.t.url}/api/auth/password/reset`, { token, newPassword: NEW_PASSWORD }), 400, 'INVALID_RESET_TOKEN');
    assertApiError(await post(`${w.t.url}/api/auth/login`, { email: u.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    const [ev] = await w.t.db.query(`SELECT details, actor_user_id FROM audit_events WHERE target_user_id = $1 AND type = 'user.deactivated'`, [u.id]);
    assert.deepEqual(ev.details, { sessionsEnded: 2 });
    assert.equal(ev.actor_user_id, w.admin.id);
    assert.equal((await patch(`${users}/${u.id}`, { active: true }, adminToken)).body.status, 'active');
    await signIn(w.t, u.email);
    assert.deepEqual((await auditTypes(w.t.db, u.id)).slice(-2), ['user.deactivated', 'user.reactivated']);
  });

  it('LAST_ADMIN: the last active ADMIN can be neither demoted nor deactivated, self included, even when two try at once', async () => {
    const org = await createOrganization(w.t.db, { name: 'Solo' });
    const a = await createUser(w.t.db, org, { email: 'a@solo.example', accessRole: AccessRole.ADMIN });
    const b = await createUser(w.t.db, org, { email: 'b@solo.example', accessRole: AccessRole.ADMIN });
    const ta = (await signIn(w.t, a.email)).token;
    const tb = (await signIn(w.t, b.email)).token;
    const soloUsers = `${w.t.url}/api/organizations/${org.id}/users`;
    // Each demotes the other at the same moment: one wins, the other meets LAST_ADMIN.
    const [x, y] = await Promise.all([patch(`${soloUsers}/${b.id}`, { accessRole: 'MEMBER' }, ta), patch(`${soloUsers}/${a.id}`, { active: false }, tb)]);
    // One wins. The other meets LAST_ADMIN when both passed their access check before the winner
    // committed; when it arrived later, its own access check refuses it first (its admin was demoted:
    // 403, or deactivated with every session: 401), which timing decides (seen through PgBouncer).
    // Either way the organization keeps exactly one active ADMIN.
    assert.equal([x.status, y.status].filter((s) => s === 200).length, 1, `${x.text} ${y.text}`);
    const loser = x.status === 200 ? y : x;
    if (loser.status === 409) assertApiError(loser, 409, 'LAST_ADMIN');
    else assert.ok(
      (loser.status === 403 && loser.body.code === 'FORBIDDEN') || (loser.status === 401 && loser.body.code === 'SESSION_REVOKED'),
      loser.text,
    );
    const [{ n }] = await w.t.db.query(`SELECT count(*)::int AS n FROM users WHERE organization_id = $1 AND active AND access_role = 'ADMIN'`, [org.id]);
    assert.equal(n, 1);
    const survivor = x.status === 200 ? { id: a.id, token: ta } : { id: b.id, token: tb };
    assertApiError(await patch(`${soloUsers}/${survivor.id}`, { accessRole: 'MEMBER' }, survivor.token), 409, 'LAST_ADMIN');
    assertApiError(await patch(`${soloUsers}/${survivor.id}`, { active: false }, survivor.token), 409, 'LAST_ADMIN');
  });

  it('sessions/revoke ends every session of the user and is audited', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'revoked@acme.example' });
    const s = await signIn(w.t, u.email);
    const res = await post(`${users}/${u.id}/sessions/revoke`, undefined, { token: adminToken });
    assert.equal(res.status, 204, res.text);
    assertApiError(await get(`${w.t.url}/api/auth/me`, { token: s.token }), 401, 'SESSION_REVOKED');
    assert.deepEqual(await auditTypes(w.t.db, u.id), ['user.sessions_revoked']);
    assertApiError(await post(`${users}/00000000-0000-4000-8000-000000000000/sessions/revoke`, undefined, { token: adminToken }), 404, 'USER_NOT_FOUND');
  });

  it('invitation resend: a new link, the older one dead; NOT_INVITED for anyone else', async () => {
    const created = await post(users, { email: 'twice@acme.example', firstName: 'Tw', lastName: 'Ice' }, { token: adminToken });
    const id = created.body.user.id;
    const first = tokenOf(await mailTo(w.smtp, 'twice@acme.example', /invited/), '/accept-invitation');
    const count = w.smtp.messages.length;
    const res = await post(`${users}/${id}/invitation`, undefined, { token: adminToken });
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body, {});
    const second = tokenOf(await mailTo(w.smtp, 'twice@acme.example', /invited/, count), '/accept-invitation');
    assert.notEqual(first, second);
    assertApiError(await post(`${w.t.url}/api/auth/password/reset`, { token: first, newPassword: NEW_PASSWORD }), 400, 'INVALID_RESET_TOKEN');
    assert.equal((await post(`${w.t.url}/api/auth/password/reset`, { token: second, newPassword: NEW_PASSWORD })).status, 204);
    assertApiError(await post(`${users}/${id}/invitation`, undefined, { token: adminToken }), 409, 'NOT_INVITED');
    assertApiError(await post(`${users}/${w.member.id}/invitation`, undefined, { token: adminToken }), 409, 'NOT_INVITED');
  });

  it('password-reset sends the user a reset link; a migrated user answers 409', async () => {
    const u = await createUser(w.t.db, w.org, { email: 'helped@acme.example' });
    const count = w.smtp.messages.length;
    const res = await post(`${users}/${u.id}/password-reset`, undefined, { token: adminToken });
    assert.equal(res.status, 202, res.text);
    const token = tokenOf(await mailTo(w.smtp, u.email, /Reset/, count), '/reset-password');
    assert.equal((await post(`${w.t.url}/api/auth/password/reset`, { token, newPassword: NEW_PASSWORD })).status, 204);
    assert.deepEqual(await auditTypes(w.t.db, u.id), ['user.password_reset_sent', 'user.password_reset']);
    const migrated = await createUser(w.t.db, w.org, { email: 'wo@acme.example', workosUserId: 'user_01WO', migratedAt: new Date(), passwordHash: null });
    assertApiError(await post(`${users}/${migrated.id}/password-reset`, undefined, { token: adminToken }), 409, 'PASSWORD_MANAGED_BY_IDENTITY_PROVIDER');
  });
});
