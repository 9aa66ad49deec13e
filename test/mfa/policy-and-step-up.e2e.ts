import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post, put } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeJwt } from '../auth/auth-helpers';
import { codeAt, enrollTotp, mfaTokenFor, mfaUrl, passwordLogin, secondStep } from './mfa-helpers';

describe('the MFA policy, enrollment at login, and step-up for impersonation', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-03T08:00:00Z'));

  before(async () => {
    t = await startTestApp({ clock });
  });
  after(() => t.close());

  async function orgWithAdmin() {
    const org = await createOrganization(t.db);
    const admin = await createUser(t.db, org, { accessRole: AccessRole.ADMIN });
    const member = await createUser(t.db, org);
    return { org, admin, member };
  }

  it('GET/PUT mfa-policy: ADMIN of the organization only, validated, audited with before and after', async () => {
    const { org, admin, member } = await orgWithAdmin();
    const other = await orgWithAdmin();
    const adminToken = (await passwordLogin(t, admin.email)).body.token;
    const url = `${t.url}/api/organizations/${org.id}/mfa-policy`;
    const initial = await get(url, { token: adminToken });
    assert.equal(initial.status, 200, initial.text);
    assert.deepEqual(initial.body, { required: 'none' });

    const memberToken = (await passwordLogin(t, member.email)).body.token;
    assert.equal((await get(url, { token: memberToken })).body.code, 'FORBIDDEN');
    assert.equal((await get(`${t.url}/api/organizations/${other.org.id}/mfa-policy`, { token: adminToken })).status, 404);
    for (const bad of [{ required: 'some' }, { required: null }, {}, { required: 'all', extra: true }]) {
      const res = await put(url, bad, { token: adminToken });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    const changed = await put(url, { required: 'admins' }, { token: adminToken });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.body, { required: 'admins' });
    assert.deepEqual((await get(url, { token: adminToken })).body, { required: 'admins' });
    const [row] = await t.db.query(`SELECT actor_user_id, details FROM audit_events WHERE type = 'mfa_policy.updated' AND organization_id = $1`, [org.id]);
    assert.equal(row.actor_user_id, admin.id);
    assert.deepEqual(row.details, { changes: { required: { before: 'none', after: 'admins' } } });
  });

  it('policy `all` forces enrollment at login: 403 MFA_ENROLLMENT_REQUIRED, enroll, the first code signs in and answers the recovery codes', async () => {
    const { org, admin, member } = await orgWithAdmin();
    const adminToken = (await passwordLogin(t, admin.email)).body.token;
    await put(`${t.url}/api/organizations/${org.id}/mfa-policy`, { required: 'all' }, { token: adminToken });

    const res = await passwordLogin(t, member.email);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'MFA_ENROLLMENT_REQUIRED');
    assert.deepEqual(res.body.mfa.factors, ['totp']);
    const mfaToken = res.body.mfa.token as string;

    // The enrollment token is not a sign-in: a code before enrolling has nothing to match.
    const early = await secondStep(t, { mfaToken, code: '123456' });
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.code, 'MFA_ENROLLMENT_NOT_STARTED');

    const enrollment = await post(`${t.url}/api/auth/login/mfa/enroll`, { mfaToken });
    assert.equal(enrollment.status, 200, enrollment.text);
    assert.deepEqual(Object.keys(enrollment.body).sort(), ['otpauthUri', 'secret']);
    const done = await secondStep(t, { mfaToken, code: codeAt(enrollment.body.secret, clock) });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.recoveryCodes.length, 10);
    assert.deepEqual(decodeJwt(done.body.token).payload.amr, ['pwd', 'otp']);
    const [factor] = await t.db.query(`SELECT confirmed_at FROM mfa_factors WHERE user_id = $1`, [member.id]);
    assert.ok(factor.confirmed_at instanceof Date);

    // From now on the member has a factor: the next login asks for it, and it cannot be disabled.
    clock.advance(30_000);
    const next = await passwordLogin(t, member.email);
    assert.equal(next.body.code, 'MFA_REQUIRED');
    const disable = await fetch(mfaUrl(t, '/totp'), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${done.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeAt(enrollment.body.secret, clock) }),
    });
    assert.equal(disable.status, 409);
    assert.equal(((await disable.json()) as { code: string }).code, 'MFA_REQUIRED_BY_POLICY');

    // The admin (also required) is sent to enrollment too; a member of an org with policy `admins` is not.
    assert.equal((await passwordLogin(t, admin.email)).body.code, 'MFA_ENROLLMENT_REQUIRED');
    const relaxed = await orgWithAdmin();
    await t.db.query(`UPDATE organizations SET mfa_policy = 'admins' WHERE id = $1`, [relaxed.org.id]);
    assert.equal((await passwordLogin(t, relaxed.member.email)).status, 200);
    assert.equal((await passwordLogin(t, relaxed.admin.email)).body.code, 'MFA_ENROLLMENT_REQUIRED');
  });

  it('step-up: an ADMIN with MFA needs a second factor within 15 minutes to impersonate (403 STEP_UP_REQUIRED), then is accepted', async () => {
    const { admin, member } = await orgWithAdmin();
    const { secret } = await enrollTotp(t, clock, admin.email);
    const signedIn = await secondStep(t, { mfaToken: await mfaTokenFor(t, admin.email), code: codeAt(secret, clock) });
    assert.equal(signedIn.status, 200, signedIn.text);
    const token = signedIn.body.token as string;
    const impersonate = () => post(`${t.url}/api/auth/impersonate/${member.id}`, {}, { token });

    // Right after the second step the proof is fresh.
    assert.equal((await impersonate()).status, 200);
    clock.advance(15 * 60_000 + 1000);
    const stale = await impersonate();
    assert.equal(stale.status, 403, stale.text);
    assert.equal(stale.body.code, 'STEP_UP_REQUIRED');

    const wrong = await post(mfaUrl(t, '/step-up'), { code: codeAt(secret, clock) === '000000' ? '111111' : '000000' }, { token });
    assert.equal(wrong.status, 401, wrong.text);
    assert.equal(wrong.body.code, 'MFA_CODE_INVALID');
    assert.equal((await impersonate()).body.code, 'STEP_UP_REQUIRED');

    const proved = await post(mfaUrl(t, '/step-up'), { code: codeAt(secret, clock) }, { token });
    assert.equal(proved.status, 204, proved.text);
    const [row] = await t.db.query(`SELECT mfa_at FROM sessions WHERE id = $1`, [decodeJwt(token).payload.sid]);
    assert.equal(row.mfa_at.toISOString(), clock.now().toISOString());
    const accepted = await impersonate();
    assert.equal(accepted.status, 200, accepted.text);
    assert.ok(accepted.body.impersonationToken);

    // The admin view of the users says who has a second factor.
    const list = await get(`${t.url}/api/organizations/${admin.organizationId}/users`, { token });
    assert.equal(list.status, 200, list.text);
    const mfaOf = (id: string) => (list.body.items as { id: string; mfaEnabled: boolean }[]).find((u) => u.id === id)?.mfaEnabled;
    assert.equal(mfaOf(admin.id), true);
    assert.equal(mfaOf(member.id), false);
  });

  it('step-up is required of an ADMIN the policy requires to have MFA even before enrolling; one without MFA and no policy impersonates as before', async () => {
    const plain = await orgWithAdmin();
    const token = (await passwordLogin(t, plain.admin.email)).body.token;
    assert.equal((await post(`${t.url}/api/auth/impersonate/${plain.member.id}`, {}, { token })).status, 200);
    await t.db.query(`UPDATE organizations SET mfa_policy = 'admins' WHERE id = $1`, [plain.org.id]);
    const refused = await post(`${t.url}/api/auth/impersonate/${plain.member.id}`, {}, { token });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'STEP_UP_REQUIRED');
    const cannot = await post(mfaUrl(t, '/step-up'), { code: '123456' }, { token });
    assert.equal(cannot.status, 409, cannot.text);
    assert.equal(cannot.body.code, 'MFA_NOT_ENABLED');
  });
});
