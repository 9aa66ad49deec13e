import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AuthApiError, AuthClient, LoginResult, MfaEvents, MfaRequired } from '../../client/src';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { AccessRole } from '../../src/identity/users/user.entity';
import { MetricsService } from '../../src/platform/metrics/metrics.service';
import { decodeJwt } from '../auth/auth-helpers';
import { codeAt, setMfaPolicy } from '../mfa/mfa-helpers';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';

/** The SPA client's second factor against the real service: typed login steps, settings, step-up. */
describe('the client: the login second step, enrollment and step-up as typed results and events', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let org: Organization;
  let client: AuthClient | null = null;
  const events: { name: keyof MfaEvents; payload: unknown }[] = [];

  const newClient = () => {
    const auth = new AuthClient({ baseUrl: t.url, storage: null, broadcastChannel: null, locks: null, activityTarget: null }).start();
    for (const name of ['second-factor-required', 'mfa-enrolled', 'mfa-disabled', 'recovery-codes-regenerated', 'step-up-required', 'stepped-up'] as const) {
      auth.on(name, (payload) => events.push({ name, payload }));
    }
    return (client = auth);
  };
  /** A code from a later time step than the last one used: each code works once. */
  const nextCode = (secret: string) => {
    clock.advance(30_000);
    return codeAt(secret, clock);
  };
  const statusOf = (result: LoginResult) => result.status;

  before(async () => {
    t = await startTestApp({ clock, captureLogs: true });
    org = await createOrganization(t.db, { slug: 'acme', name: 'Acme' });
  });
  afterEach(() => {
    client?.stop();
    client = null;
    events.length = 0;
  });
  after(() => t.close());

  /** Signed in with the password alone, enrolls from the settings; answers the secret and the recovery codes. */
  async function enrollFromSettings(auth: AuthClient, email: string) {
    assert.equal(statusOf(await auth.login({ email, password: PASSWORD })), 'signed-in');
    const enrollment = await auth.enrollTotp();
    assert.equal(new URL(enrollment.otpauthUri).searchParams.get('secret'), enrollment.secret);
    const recoveryCodes = await auth.confirmTotp(codeAt(enrollment.secret, clock));
    return { secret: enrollment.secret, recoveryCodes };
  }

  /** Signs out, and in again with the password: the login waits for the second factor. */
  async function toSecondStep(auth: AuthClient, email: string): Promise<MfaRequired> {
    if (auth.snapshot().status === 'signed-in') await auth.logout();
    const step = await auth.login({ email, password: PASSWORD });
    if (step.status !== 'mfa-required') return assert.fail(`expected mfa-required, got ${step.status}`);
    return step;
  }

  it('enrolls from the settings, then a login answers mfa-required; a wrong code keeps the step, the right one signs in with amr pwd+otp', async () => {
    const user = await createUser(t.db, org, { email: 'mia@acme.example' });
    const auth = newClient();
    const { secret, recoveryCodes } = await enrollFromSettings(auth, user.email);
    assert.equal(recoveryCodes.length, 10);
    assert.deepEqual(events, [{ name: 'mfa-enrolled', payload: { during: 'settings' } }]);
    const [factor] = await t.db.query(`SELECT confirmed_at FROM mfa_factors WHERE user_id = $1`, [user.id]);
    assert.ok(factor.confirmed_at instanceof Date, 'the factor is active');
    await auth.logout();
    events.length = 0;

    const step = await auth.login({ email: user.email, password: PASSWORD });
    assert.equal(step.status, 'mfa-required');
    if (step.status !== 'mfa-required') return;
    assert.deepEqual(step.factors, ['totp']);
    assert.equal(step.error, null);
    assert.equal(new Date(step.expiresAt).getTime() - clock.nowMs(), 5 * 60_000);
    assert.equal(auth.snapshot().status, 'signed-out', 'no session before the second factor');
    assert.ok(!JSON.stringify(step).includes('mfa_'), 'the step token stays inside the client');
    assert.deepEqual(events, [{ name: 'second-factor-required', payload: { status: 'mfa-required', expiresAt: step.expiresAt } }]);

    const current = nextCode(secret);
    const again = await step.submitCode(current === '000000' ? '111111' : '000000');
    assert.equal(again.status, 'mfa-required');
    if (again.status !== 'mfa-required') return;
    assert.equal(again.error?.code, 'MFA_CODE_INVALID');
    assert.equal(auth.snapshot().status, 'signed-out');

    const done = await again.submitCode(current);
    assert.equal(done.status, 'signed-in');
    assert.equal(auth.snapshot(), done, 'the snapshot itself');
    assert.equal(auth.snapshot().user?.email, user.email);
    assert.deepEqual(decodeJwt(auth.token ?? '').payload.amr, ['pwd', 'otp']);
    assert.ok(auth.mfaAt, 'the second step counts as a proof on the session');
    await auth.logout();
  });

  it('a recovery code signs in once; a used one is refused as a wrong code; regenerate and disable from the settings', async () => {
    const user = await createUser(t.db, org, { email: 'max@acme.example' });
    const auth = newClient();
    const { secret, recoveryCodes } = await enrollFromSettings(auth, user.email);
    const step = await toSecondStep(auth, user.email);
    const done = await step.submitRecoveryCode(recoveryCodes[0]);
    assert.equal(done.status, 'signed-in');
    const [used] = await t.db.query(`SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [user.id]);
    assert.equal(used.n, 1);

    const second = await toSecondStep(auth, user.email);
    const replay = await second.submitRecoveryCode(recoveryCodes[0]);
    assert.equal(replay.status, 'mfa-required');
    assert.equal(replay.status === 'mfa-required' && replay.error?.code, 'MFA_CODE_INVALID');
    assert.equal(auth.snapshot().status, 'signed-out');
    if (replay.status !== 'mfa-required') return;
    assert.equal((await replay.submitCode(nextCode(secret))).status, 'signed-in');

    events.length = 0;
    const fresh = await auth.regenerateRecoveryCodes(nextCode(secret));
    assert.equal(fresh.length, 10);
    assert.equal(fresh.filter((c) => recoveryCodes.includes(c)).length, 0);
    await assert.rejects(auth.disableTotp(recoveryCodes[1]), (err: unknown) => err instanceof AuthApiError && err.code === 'MFA_CODE_INVALID', 'the old set is dead');
    await auth.disableTotp(fresh[0]);
    assert.deepEqual(
      events.map((e) => e.name),
      ['recovery-codes-regenerated', 'mfa-disabled'],
    );
    const factors = await t.db.query(`SELECT 1 FROM mfa_factors WHERE user_id = $1`, [user.id]);
    assert.equal(factors.length, 0);
    await auth.logout();
    assert.equal(statusOf(await auth.login({ email: user.email, password: PASSWORD })), 'signed-in', 'the password alone again');
    await auth.logout();
  });

  it('policy `all`: the login answers mfa-enrollment-required; enroll, the first code signs in with the recovery codes (mfa-enrolled)', async () => {
    const strict = await createOrganization(t.db, { slug: 'strict', name: 'Strict' });
    await setMfaPolicy(t.db, strict, 'all');
    const user = await createUser(t.db, strict, { email: 'sam@strict.example' });
    const auth = newClient();
    const step = await auth.login({ email: user.email, password: PASSWORD });
    assert.equal(step.status, 'mfa-enrollment-required');
    if (step.status !== 'mfa-enrollment-required') return;
    const { secret, otpauthUri } = await step.enroll();
    assert.match(otpauthUri, /^otpauth:\/\/totp\//);
    const done = await step.submitCode(codeAt(secret, clock));
    assert.equal(done.status, 'mfa-enrolled');
    if (done.status !== 'mfa-enrolled') return;
    assert.equal(done.recoveryCodes.length, 10);
    assert.equal(done.snapshot.status, 'signed-in');
    assert.equal(auth.snapshot().user?.email, user.email);
    assert.deepEqual(
      events.map((e) => e.name),
      ['second-factor-required', 'mfa-enrolled'],
    );
    assert.deepEqual(events[1].payload, { during: 'login' });
    await assert.rejects(auth.disableTotp(nextCode(secret)), (err: unknown) => err instanceof AuthApiError && err.code === 'MFA_REQUIRED_BY_POLICY');
    await auth.logout();
  });

  it('step-up before impersonation: step-up-required after 15 minutes, a wrong code keeps the step, prove(code) steps up and impersonates', async () => {
    const admin = await createUser(t.db, org, { email: 'ops@acme.example', accessRole: AccessRole.ADMIN });
    const member = await createUser(t.db, org, { email: 'nia@acme.example' });
    const auth = newClient();
    const { secret } = await enrollFromSettings(auth, admin.email);
    const step = await toSecondStep(auth, admin.email);
    assert.equal((await step.submitCode(nextCode(secret))).status, 'signed-in');
    const provedAt = auth.mfaAt;

    clock.advance(15 * 60_000 + 1000);
    events.length = 0;
    const refused = await auth.startImpersonation(member.id, { reason: 'support ticket' });
    assert.equal(refused.status, 'step-up-required');
    if (refused.status !== 'step-up-required') return;
    assert.equal(refused.error, null);
    assert.deepEqual(events, [{ name: 'step-up-required', payload: { message: refused.message } }]);
    assert.equal(auth.snapshot().impersonating, false);

    const code = nextCode(secret);
    const wrong = await refused.prove(code === '000000' ? '111111' : '000000');
    assert.equal(wrong.status, 'step-up-required');
    if (wrong.status !== 'step-up-required') return;
    assert.equal(wrong.error?.code, 'MFA_CODE_INVALID');

    const impersonating = await wrong.prove(code);
    assert.equal(impersonating.status, 'signed-in');
    assert.equal(auth.snapshot().impersonating, true);
    assert.equal(auth.snapshot().user?.email, member.email);
    assert.equal(auth.snapshot().impersonator?.email, admin.email);
    const stepped = events.find((e) => e.name === 'stepped-up')?.payload as { mfaAt: string };
    assert.ok(stepped && provedAt && Date.parse(stepped.mfaAt) > Date.parse(provedAt), 'the session proved a fresh factor');
    const [row] = await t.db.query(`SELECT mfa_at FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND impersonator_id IS NULL`, [admin.id]);
    assert.equal(row.mfa_at.getTime(), Date.parse(stepped.mfaAt));
    await auth.endImpersonation();
    await auth.logout();
  });

  it('nothing secret in the logs: no TOTP secret, code, recovery code or step token', async () => {
    const user = await createUser(t.db, org, { email: 'lea@acme.example' });
    const auth = newClient();
    const { secret, recoveryCodes } = await enrollFromSettings(auth, user.email);
    const step = await toSecondStep(auth, user.email);
    const code = nextCode(secret);
    await step.submitCode(code);
    const logs = t.logs.join('\n');
    assert.ok(logs.length > 0);
    for (const secretText of [secret, ...recoveryCodes, code]) assert.ok(!logs.includes(secretText), `logged: ${secretText}`);
    assert.doesNotMatch(logs, /mfa_[A-Za-z0-9_-]{20,}/);
    await auth.logout();
  });
});

describe("the client: a migrated user's email verification (WorkOS) as a login step", () => {
  let t: TestApp;
  let workos: WorkosStandIn;

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.failFastConfig() } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('email-verification-required; a wrong code keeps the step, the emailed code signs in through WorkOS', async () => {
    const org = await createOrganization(t.db);
    const email = 'moved@acme.example';
    const password = 'Only-WorkOS-Knows-This-1';
    const remote = workos.addUser({ email, password });
    await createUser(t.db, org, { email, workosUserId: remote.id, migratedAt: new Date(), passwordHash: null });
    workos.setScenario(email, 'email_verification_required');
    const auth = new AuthClient({ baseUrl: t.url, storage: null, broadcastChannel: null, locks: null, activityTarget: null }).start();
    try {
      const step = await auth.login({ email, password });
      assert.equal(step.status, 'email-verification-required');
      if (step.status !== 'email-verification-required') return;
      const code = workos.emailedCodeFor(remote.id) as string;
      const again = await step.submitCode(code === '000000' ? '111111' : '000000');
      assert.equal(again.status, 'email-verification-required');
      assert.equal(again.status === 'email-verification-required' && again.error?.code, 'MFA_CODE_INVALID');
      if (again.status !== 'email-verification-required') return;
      const done = await again.submitCode(code);
      assert.equal(done.status, 'signed-in');
      assert.equal(auth.snapshot().user?.email, email);
      await auth.logout();

      // WorkOS's own step is a login outcome of its own, and the code checks are counted.
      const { body: metrics } = await t.app.get(MetricsService).scrape();
      assert.match(metrics, /^authgate_logins_total\{method="password",outcome="mfa_required"\} 1$/m);
      assert.match(metrics, /^authgate_mfa_outcomes_total\{step="email_verification",factor="email_code",outcome="required"\} 1$/m);
      assert.match(metrics, /^authgate_mfa_outcomes_total\{step="email_verification",factor="email_code",outcome="rejected"\} 1$/m);
      assert.match(metrics, /^authgate_mfa_outcomes_total\{step="email_verification",factor="email_code",outcome="accepted"\} 1$/m);
    } finally {
      auth.stop();
    }
  });
});
