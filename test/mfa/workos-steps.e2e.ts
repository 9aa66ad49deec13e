import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateSync } from 'otplib';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization, createUser } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';
import { decodeJwt } from '../auth/auth-helpers';

const WORKOS_PASSWORD = 'Only-WorkOS-Knows-This-1';

/** WorkOS's pending steps, finished through our API with the real @workos-inc/node client against the stand-in. */
describe("WorkOS's mfa_challenge and email_verification_required through /api/auth/login/*", () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let org: Organization;

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.failFastConfig() }, captureLogs: true });
    org = await createOrganization(t.db);
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  async function migratedUser() {
    const email = `migrated-${randomBytes(4).toString('hex')}@acme.example`;
    const remote = workos.addUser({ email, password: WORKOS_PASSWORD });
    const user = await createUser(t.db, org, { email, workosUserId: remote.id, migratedAt: new Date(), passwordHash: null });
    return { email, remote, user };
  }
  const login = (email: string) => post(`${t.url}/api/auth/login`, { email, password: WORKOS_PASSWORD });

  it('mfa_challenge: 403 MFA_REQUIRED with an mfa token; the code challenges the WorkOS factor and authenticates through WorkOS', async () => {
    const { email, remote } = await migratedUser();
    workos.setScenario(email, 'mfa_challenge');
    const res = await login(email);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'MFA_REQUIRED');
    assert.deepEqual(res.body.mfa.factors, ['totp']);
    assert.doesNotMatch(res.text, /pat_/, "WorkOS's pending authentication token stays on the server");
    const [stored] = await t.db.query(`SELECT purpose, provider_state FROM mfa_login_challenges WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
    assert.equal(stored.purpose, 'provider_mfa');
    assert.doesNotMatch(stored.provider_state, /pat_/, 'sealed at rest');

    const secret = workos.totpSecretOf(remote.id);
    const wrong = generateSync({ secret }) === '000000' ? '111111' : '000000';
    const refused = await post(`${t.url}/api/auth/login/mfa`, { mfaToken: res.body.mfa.token, code: wrong });
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.body.code, 'MFA_CODE_INVALID');

    workos.requests.length = 0;
    const done = await post(`${t.url}/api/auth/login/mfa`, { mfaToken: res.body.mfa.token, code: generateSync({ secret }) });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(decodeJwt(done.body.token).payload.amr, ['pwd', 'otp']);
    assert.equal(done.body.user.email, email);

    // What the SDK sent: challenge the factor, then authenticate with its grant, the pending token and the challenge id.
    const [challenge, authenticate] = workos.requests;
    assert.equal(challenge.method, 'POST');
    assert.match(challenge.path, /^\/auth\/factors\/auth_factor_[0-9A-Z]+\/challenge$/);
    assert.equal(authenticate.path, '/user_management/authenticate');
    assert.equal(authenticate.body.grant_type, 'urn:workos:oauth:grant-type:mfa-totp');
    assert.equal(authenticate.body.client_id, workos.clientId);
    assert.equal(authenticate.body.client_secret, workos.apiKey);
    assert.match(authenticate.body.pending_authentication_token, /^pat_/);
    assert.match(authenticate.body.authentication_challenge_id, /^auth_challenge_/);

    const reused = await post(`${t.url}/api/auth/login/mfa`, { mfaToken: res.body.mfa.token, code: generateSync({ secret }) });
    assert.equal(reused.body.code, 'MFA_TOKEN_INVALID');
  });

  it('email_verification_required: 403 with verification { token, expiresAt }; the emailed code finishes the login through WorkOS', async () => {
    const { email, remote } = await migratedUser();
    workos.setScenario(email, 'email_verification_required');
    const res = await login(email);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'EMAIL_VERIFICATION_REQUIRED');
    assert.deepEqual(Object.keys(res.body.verification).sort(), ['expiresAt', 'token']);
    assert.doesNotMatch(res.text, /pat_/);

    const code = workos.emailedCodeFor(remote.id) as string;
    const refused = await post(`${t.url}/api/auth/login/email-verification`, { token: res.body.verification.token, code: code === '000000' ? '111111' : '000000' });
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.body.code, 'MFA_CODE_INVALID');

    workos.requests.length = 0;
    const done = await post(`${t.url}/api/auth/login/email-verification`, { token: res.body.verification.token, code });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(decodeJwt(done.body.token).payload.amr, ['pwd']);
    const [authenticate] = workos.requests;
    assert.equal(authenticate.body.grant_type, 'urn:workos:oauth:grant-type:email-verification:code');
    assert.equal(authenticate.body.code, code);
    assert.match(authenticate.body.pending_authentication_token, /^pat_/);
    // The mfa endpoint does not take a verification token, nor the reverse.
    assert.equal((await post(`${t.url}/api/auth/login/mfa`, { mfaToken: res.body.verification.token, code: '123456' })).body.code, 'MFA_TOKEN_INVALID');
  });

  it("logs no pending authentication token, code or step token", async () => {
    const logs = t.logs.join('\n');
    assert.ok(t.logs.length > 0);
    assert.doesNotMatch(logs, /pat_[0-9a-f]{16}/);
    assert.doesNotMatch(logs, /mfa_[A-Za-z0-9_-]{43}/);
  });
});
