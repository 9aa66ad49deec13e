import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization, createUser, hashOf, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { Scenario, WorkosStandIn } from '../support/workos-stand-in';

const LOGIN = '/api/auth/login';
const WORKOS_PASSWORD = 'Only-WorkOS-Knows-This-1';
const UA = 'Mozilla/5.0 (test) authgate-e2e';

/** A port nothing listens on: WorkOS "down" as connection refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('POST /api/auth/login for migrated users (WorkOS verifies the password)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let org: Organization;

  /** A migrated user: linked to a WorkOS user that knows WORKOS_PASSWORD, no local hash. */
  async function migratedUser(fields: { active?: boolean; localHash?: string | null } = {}) {
    const email = `migrated-${randomBytes(4).toString('hex')}@acme.example`;
    const remote = workos.addUser({ email, password: WORKOS_PASSWORD, firstName: 'Mig', lastName: 'Rated' });
    const user = await createUser(t.db, org, {
      email,
      workosUserId: remote.id,
      migratedAt: new Date(),
      passwordHash: fields.localHash ?? null,
      active: fields.active ?? true,
    });
    return { email, remote, user };
  }

  const login = (email: string, password: string) => post(`${t.url}${LOGIN}`, { email, password }, { headers: { 'user-agent': UA } });

  before(async () => {
    workos = await WorkosStandIn.start();
    // Small per-attempt timeout and one SDK retry, as the brief's bounded-time rule wants.
    t = await startTestApp({ config: { workos: { ...workos.config(), timeoutMs: 300, maxRetries: 1 } } });
    org = await createOrganization(t.db, { slug: 'acme-migrated' });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });
  beforeEach(() => {
    workos.requests.length = 0;
  });

  it('signs a migrated user in through WorkOS, passing on the client IP and user agent', async () => {
    const { email, user } = await migratedUser();
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.user.id, user.id);
    assert.equal(res.body.session.method, 'password');

    const [call] = workos.requestsTo('POST', '/user_management/authenticate');
    assert.equal(call.body.grant_type, 'password');
    assert.equal(call.body.email, email);
    assert.equal(call.body.client_id, workos.clientId);
    assert.equal(call.body.client_secret, workos.apiKey);
    assert.equal(call.body.ip_address, '127.0.0.1');
    assert.equal(call.body.user_agent, UA);
    assert.equal(call.headers.authorization, `Bearer ${workos.apiKey}`);
  });

  it('answers INVALID_CREDENTIALS when WorkOS says the password is wrong (its 400 invalid_credentials)', async () => {
    const { email } = await migratedUser();
    const res = await login(email, 'not-the-password');
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 1);
  });

  it('never falls back to a local hash: a leftover hash matching the password does not open the account', async () => {
    const { email, user } = await migratedUser({ localHash: await hashOf(PASSWORD) });
    const wrongAtWorkos = await login(email, PASSWORD);
    assert.equal(wrongAtWorkos.status, 401, wrongAtWorkos.text);
    assert.equal(wrongAtWorkos.body.code, 'INVALID_CREDENTIALS');

    workos.enqueue({ status: 503, body: { message: 'down' }, headers: { 'retry-after': '0' } }, { status: 503, body: { message: 'down' }, headers: { 'retry-after': '0' } });
    const down = await login(email, PASSWORD);
    assert.equal(down.status, 503, down.text);
    assert.equal(down.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user.id]);
    assert.equal(n, 0);
  });

  it('refuses a WorkOS success for another WorkOS user than the one linked', async () => {
    const email = `relinked-${randomBytes(4).toString('hex')}@acme.example`;
    workos.addUser({ email, password: WORKOS_PASSWORD });
    await createUser(t.db, org, { email, workosUserId: 'user_01SOMEONEELSE', migratedAt: new Date(), passwordHash: null });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
  });

  it('refuses a locally inactive user even when WorkOS accepts the password', async () => {
    const { email } = await migratedUser({ active: false });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
  });

  const demands: [Scenario, number, string][] = [
    ['email_verification_required', 403, 'EMAIL_VERIFICATION_REQUIRED'],
    ['mfa_enrollment', 403, 'MFA_REQUIRED'],
    ['mfa_challenge', 403, 'MFA_REQUIRED'],
    ['sso_required', 403, 'SSO_REQUIRED'],
    ['email_password_auth_disabled', 403, 'SSO_REQUIRED'],
    ['organization_selection_required', 403, 'ADDITIONAL_VERIFICATION_REQUIRED'],
  ];
  for (const [scenario, status, code] of demands) {
    it(`answers ${status} ${code} when WorkOS answers ${scenario}`, async () => {
      const { email } = await migratedUser();
      workos.setScenario(email, scenario);
      const res = await login(email, WORKOS_PASSWORD);
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.code, code);
      assert.doesNotMatch(res.text, /pat_/, 'the pending authentication token is not passed on');
    });
  }

  it('lets the SDK retry a 503 (Retry-After: 0) and succeeds on the second attempt, with one idempotency key', async () => {
    const { email } = await migratedUser();
    workos.enqueue({ status: 503, body: { message: 'Service Unavailable' }, headers: { 'retry-after': '0' } });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 200, res.text);
    const calls = workos.requestsTo('POST', '/user_management/authenticate');
    assert.equal(calls.length, 2);
    assert.ok(calls[0].headers['idempotency-key']);
    assert.equal(calls[0].headers['idempotency-key'], calls[1].headers['idempotency-key']);
  });

  it('answers 503 IDENTITY_PROVIDER_UNAVAILABLE after the retries when WorkOS keeps answering 500', async () => {
    const { email } = await migratedUser();
    const fail = { status: 500, body: { message: 'Internal Server Error' }, headers: { 'retry-after': '0' } };
    workos.enqueue(fail, fail);
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 2, 'maxRetries 1: two attempts');
  });

  it('answers 503 when WorkOS sends an HTML error page (502)', async () => {
    const { email } = await migratedUser();
    const page = { status: 502, raw: { text: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' }, headers: { 'retry-after': '0' } };
    workos.enqueue(page, page);
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('answers 503 when WorkOS does not answer within the per-attempt timeout', async () => {
    const { email } = await migratedUser();
    workos.enqueue({ delayMs: 1500 }, { delayMs: 1500 });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 2, 'the timeout was retried once');
  });

  it('answers 503 with the Retry-After when WorkOS rate-limits for longer than a login may wait, without retrying', async () => {
    const { email } = await migratedUser();
    workos.enqueue({ status: 429, body: { code: 'daily_quota_exceeded', message: 'Slow down.' }, headers: { 'retry-after': '30' } });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    assert.equal(res.headers.get('retry-after'), '30');
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 1);
  });

  it('waits out a short 429 (Retry-After: 0) through the SDK retry and signs in', async () => {
    const { email } = await migratedUser();
    workos.enqueue({ status: 429, body: { message: 'Slow down.' }, headers: { 'retry-after': '0' } });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 200, res.text);
  });

  it('reads a 401 from WorkOS as a bad API key (503), never as a wrong password, whatever its body says', async () => {
    const { email } = await migratedUser();
    // What the official emulator sends for a wrong password; the SDK drops the body of any 401.
    workos.enqueue({ status: 401, body: { code: 'invalid_credentials', message: 'Invalid credentials.' } });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('answers 503 when a 200 from WorkOS is not JSON', async () => {
    const { email } = await migratedUser();
    workos.enqueue({ status: 200, raw: { text: 'OK', contentType: 'text/plain' } });
    const res = await login(email, WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });
});

// One app per process at a time: passport's strategies are registered globally by name.
describe('POST /api/auth/login with WorkOS unreachable (connection refused)', () => {
  let t: TestApp;
  let org: Organization;

  before(async () => {
    const port = await closedPort();
    t = await startTestApp({ config: { workos: { apiKey: 'sk_test_x', clientId: 'client_x', hostname: '127.0.0.1', https: false, port, timeoutMs: 300, maxRetries: 1 } } });
    org = await createOrganization(t.db, { slug: 'acme-down' });
  });
  after(() => t.close());

  it('answers a migrated user 503 IDENTITY_PROVIDER_UNAVAILABLE', async () => {
    await createUser(t.db, org, { email: 'mig@down.example', workosUserId: 'user_01DOWN', migratedAt: new Date(), passwordHash: null });
    const res = await post(`${t.url}${LOGIN}`, { email: 'mig@down.example', password: WORKOS_PASSWORD });
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('leaves local (not migrated) logins unaffected', async () => {
    await createUser(t.db, org, { email: 'local@down.example' });
    const res = await post(`${t.url}${LOGIN}`, { email: 'local@down.example', password: PASSWORD });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.session.method, 'password');
  });

});

describe('POST /api/auth/login with a WorkOS API key that WorkOS rejects', () => {
  let t: TestApp;
  let workos: WorkosStandIn;

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: { ...workos.config(), apiKey: 'sk_test_revoked', timeoutMs: 300, maxRetries: 1 } } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('answers 503, not INVALID_CREDENTIALS', async () => {
    const remote = workos.addUser({ email: 'mig@key.example', password: WORKOS_PASSWORD });
    const org = await createOrganization(t.db, { slug: 'acme-key' });
    await createUser(t.db, org, { email: 'mig@key.example', workosUserId: remote.id, migratedAt: new Date(), passwordHash: null });
    const res = await post(`${t.url}${LOGIN}`, { email: 'mig@key.example', password: WORKOS_PASSWORD });
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    assert.equal(workos.requests.at(-1)?.headers.authorization, 'Bearer sk_test_revoked');
  });
});
