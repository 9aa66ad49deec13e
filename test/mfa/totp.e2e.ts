import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeJwt } from '../auth/auth-helpers';
import { codeAt, del, enrollTotp, mfaTokenFor, mfaUrl, passwordLogin, secondStep, setMfaPolicy } from './mfa-helpers';

describe('TOTP for local users', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-02T10:00:00Z'));
  let org: Awaited<ReturnType<typeof createOrganization>>;

  before(async () => {
    t = await startTestApp({ clock, captureLogs: true });
    org = await createOrganization(t.db, { name: 'acme' });
  });
  after(() => t.close());

  const newUser = (fields: Parameters<typeof createUser>[2] = {}) => createUser(t.db, org, fields);

  it('enrolls: a pending factor with its secret and otpauth URI, active after the first code, 10 recovery codes stored hashed', async () => {
    const user = await newUser();
    const { token } = (await passwordLogin(t, user.email)).body;
    const started = await post(mfaUrl(t, '/totp'), undefined, { token });
    assert.equal(started.status, 200, started.text);
    assert.deepEqual(Object.keys(started.body).sort(), ['otpauthUri', 'secret']);
    assert.match(started.body.secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(started.body.otpauthUri);
    assert.equal(uri.searchParams.get('secret'), started.body.secret);
    assert.equal(decodeURIComponent(uri.pathname), `/authgate:${user.email}`);

    // A second call replaces the pending factor: the first secret's codes no longer confirm.
    const again = await post(mfaUrl(t, '/totp'), undefined, { token });
    assert.notEqual(again.body.secret, started.body.secret);
    const stale = await post(mfaUrl(t, '/totp/confirm'), { code: codeAt(started.body.secret, clock) }, { token });
    assert.equal(stale.status, 401, stale.text);
    assert.equal(stale.body.code, 'MFA_CODE_INVALID');

    const [row] = await t.db.query(`SELECT secret_sealed, confirmed_at FROM mfa_factors WHERE user_id = $1`, [user.id]);
    assert.equal(row.confirmed_at, null);
    assert.ok(!row.secret_sealed.includes(again.body.secret), 'the secret is stored encrypted');
    assert.match(row.secret_sealed, /^v1\./);

    const confirmed = await post(mfaUrl(t, '/totp/confirm'), { code: codeAt(again.body.secret, clock) }, { token });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.recoveryCodes.length, 10);
    assert.equal(new Set(confirmed.body.recoveryCodes).size, 10);
    const codes = await t.db.query(`SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1`, [user.id]);
    assert.equal(codes.length, 10);
    for (const { code_hash } of codes) {
      assert.match(code_hash, /^[0-9a-f]{64}$/);
      for (const shown of confirmed.body.recoveryCodes as string[]) assert.ok(!code_hash.includes(shown.replace('-', '')));
    }
    const [active] = await t.db.query(`SELECT confirmed_at FROM mfa_factors WHERE user_id = $1`, [user.id]);
    assert.ok(active.confirmed_at instanceof Date);

    // Enrolling again while a factor is active is refused.
    const twice = await post(mfaUrl(t, '/totp'), undefined, { token });
    assert.equal(twice.status, 409, twice.text);
    assert.equal(twice.body.code, 'MFA_ALREADY_ENABLED');
    const [audit] = await t.db.query(`SELECT type, actor_user_id FROM audit_events WHERE type = 'mfa.enrolled' AND target_user_id = $1`, [user.id]);
    assert.equal(audit.actor_user_id, user.id);
  });

  it('login: a correct password answers 403 MFA_REQUIRED with a 5-minute token; the code completes it with amr pwd+otp', async () => {
    const user = await newUser();
    const { secret } = await enrollTotp(t, clock, user.email);
    const res = await passwordLogin(t, user.email);
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message', 'mfa', 'statusCode']);
    assert.equal(res.body.code, 'MFA_REQUIRED');
    assert.deepEqual(Object.keys(res.body.mfa).sort(), ['expiresAt', 'factors', 'token']);
    assert.deepEqual(res.body.mfa.factors, ['totp']);
    assert.equal(new Date(res.body.mfa.expiresAt).getTime() - clock.nowMs(), 5 * 60_000);
    assert.ok(!('token' in res.body) && !('refreshToken' in res.body), 'no session before the second factor');

    const done = await secondStep(t, { mfaToken: res.body.mfa.token, code: codeAt(secret, clock) });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(Object.keys(done.body).sort(), ['refreshToken', 'session', 'sessionConfig', 'token', 'user']);
    assert.deepEqual(decodeJwt(done.body.token).payload.amr, ['pwd', 'otp']);
    const me = await get(`${t.url}/api/auth/me`, { token: done.body.token });
    assert.equal(me.body.session.mfaAt, clock.now().toISOString());

    // A refreshed token keeps the session's amr.
    const refreshed = await post(`${t.url}/api/auth/refresh`, { refreshToken: done.body.refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual(decodeJwt(refreshed.body.token).payload.amr, ['pwd', 'otp']);

    // The token was single use.
    clock.advance(30_000);
    const reused = await secondStep(t, { mfaToken: res.body.mfa.token, code: codeAt(secret, clock) });
    assert.equal(reused.status, 401, reused.text);
    assert.equal(reused.body.code, 'MFA_TOKEN_INVALID');
  });

  it('a user without MFA signs in with the password alone: amr ["pwd"], me says mfaAt null', async () => {
    const user = await newUser();
    const res = await passwordLogin(t, user.email);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(decodeJwt(res.body.token).payload.amr, ['pwd']);
    const me = await get(`${t.url}/api/auth/me`, { token: res.body.token });
    assert.equal(me.body.session.mfaAt, null);
  });

  it('refuses the replay of a used code within its window (401 MFA_CODE_INVALID), and an older code after a newer one', async () => {
    const user = await newUser();
    const { secret } = await enrollTotp(t, clock, user.email);
    const code = codeAt(secret, clock);
    const first = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code });
    assert.equal(first.status, 200, first.text);
    const replay = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code });
    assert.equal(replay.status, 401, replay.text);
    assert.equal(replay.body.code, 'MFA_CODE_INVALID');
    // Ten seconds on, still the same 30-second window: still refused.
    clock.advance(10_000);
    const later = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code });
    assert.equal(later.body.code, 'MFA_CODE_INVALID');
    // The previous step's code is within the ±1 drift, but older than the one used.
    const older = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code: codeAt(secret, clock, -1) });
    assert.equal(older.body.code, 'MFA_CODE_INVALID');
    clock.advance(30_000);
    const next = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code: codeAt(secret, clock) });
    assert.equal(next.status, 200, next.text);
  });

  it('the fifth wrong code kills the token: even the right code is then MFA_TOKEN_INVALID', async () => {
    const user = await newUser();
    const { secret } = await enrollTotp(t, clock, user.email);
    const mfaToken = await mfaTokenFor(t, user.email);
    const right = codeAt(secret, clock);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await secondStep(t, { mfaToken, code: wrong });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.code, 'MFA_CODE_INVALID', `attempt ${i}`);
    }
    const fifth = await secondStep(t, { mfaToken, code: wrong });
    assert.equal(fifth.body.code, 'MFA_CODE_INVALID');
    const after = await secondStep(t, { mfaToken, code: right });
    assert.equal(after.status, 401, after.text);
    assert.equal(after.body.code, 'MFA_TOKEN_INVALID');
    const [row] = await t.db.query(`SELECT failed_attempts FROM mfa_login_challenges WHERE user_id = $1`, [user.id]);
    assert.equal(row.failed_attempts, 5);
  });

  it('the token dies after 5 minutes', async () => {
    const user = await newUser();
    const { secret } = await enrollTotp(t, clock, user.email);
    const mfaToken = await mfaTokenFor(t, user.email);
    clock.advance(5 * 60_000);
    const res = await secondStep(t, { mfaToken, code: codeAt(secret, clock) });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'MFA_TOKEN_INVALID');
    const unknown = await secondStep(t, { mfaToken: 'mfa_nope', code: '123456' });
    assert.equal(unknown.body.code, 'MFA_TOKEN_INVALID');
  });

  it('a recovery code works once, is audited, and the rest keep working', async () => {
    const user = await newUser();
    const { recoveryCodes } = await enrollTotp(t, clock, user.email);
    const used = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: recoveryCodes[0] });
    assert.equal(used.status, 200, used.text);
    assert.deepEqual(decodeJwt(used.body.token).payload.amr, ['pwd', 'otp']);
    const again = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: recoveryCodes[0] });
    assert.equal(again.status, 401, again.text);
    assert.equal(again.body.code, 'MFA_CODE_INVALID');
    const other = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: recoveryCodes[1].toUpperCase() });
    assert.equal(other.status, 200, other.text);
    const rows = await t.db.query(`SELECT details FROM audit_events WHERE type = 'mfa.recovery_code_used' AND target_user_id = $1 ORDER BY occurred_at`, [user.id]);
    assert.deepEqual(rows.map((r: { details: { recoveryCodesLeft: number } }) => r.details.recoveryCodesLeft), [9, 8]);
  });

  it('takes exactly one of code and recoveryCode', async () => {
    const user = await newUser();
    await enrollTotp(t, clock, user.email);
    const mfaToken = await mfaTokenFor(t, user.email);
    for (const body of [{ mfaToken }, { mfaToken, code: '123456', recoveryCode: 'abcde-fghjk' }, { mfaToken, code: 123456 }, { mfaToken, code: '1', extra: 1 }]) {
      const res = await secondStep(t, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
  });

  it('regenerates recovery codes with a code: the old set dies', async () => {
    const user = await newUser();
    const { secret, recoveryCodes, token } = await enrollTotp(t, clock, user.email);
    const res = await post(mfaUrl(t, '/recovery-codes'), { code: codeAt(secret, clock) }, { token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.recoveryCodes.length, 10);
    const old = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: recoveryCodes[2] });
    assert.equal(old.body.code, 'MFA_CODE_INVALID');
    const fresh = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: res.body.recoveryCodes[0] });
    assert.equal(fresh.status, 200, fresh.text);
  });

  it('disables with a code (or a recovery code), refused with 409 MFA_REQUIRED_BY_POLICY while the policy requires it', async () => {
    const admin = await newUser({ accessRole: AccessRole.ADMIN });
    const { secret, recoveryCodes, token } = await enrollTotp(t, clock, admin.email);
    await setMfaPolicy(t.db, org, 'admins');
    const refused = await del(mfaUrl(t, '/totp'), { code: codeAt(secret, clock) }, token);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.code, 'MFA_REQUIRED_BY_POLICY');
    await setMfaPolicy(t.db, org, 'none');
    const wrong = await del(mfaUrl(t, '/totp'), { code: '000000' === codeAt(secret, clock) ? '111111' : '000000' }, token);
    assert.equal(wrong.status, 401, wrong.text);
    assert.equal(wrong.body.code, 'MFA_CODE_INVALID');
    const removed = await del(mfaUrl(t, '/totp'), { code: recoveryCodes[0] }, token);
    assert.equal(removed.status, 204, removed.text);
    assert.deepEqual(await t.db.query(`SELECT 1 FROM mfa_factors WHERE user_id = $1`, [admin.id]), []);
    assert.deepEqual(await t.db.query(`SELECT 1 FROM mfa_recovery_codes WHERE user_id = $1`, [admin.id]), []);
    const plain = await passwordLogin(t, admin.email);
    assert.equal(plain.status, 200, plain.text);
    const [audit] = await t.db.query(`SELECT 1 FROM audit_events WHERE type = 'mfa.disabled' AND target_user_id = $1`, [admin.id]);
    assert.ok(audit);
  });

  it('never writes a secret, a code, a recovery code or an mfa token to the log', async () => {
    const user = await newUser();
    const { secret, recoveryCodes } = await enrollTotp(t, clock, user.email);
    const mfaToken = await mfaTokenFor(t, user.email);
    await secondStep(t, { mfaToken, code: '000000' });
    const code = codeAt(secret, clock);
    await secondStep(t, { mfaToken, code });
    const logs = t.logs.join('\n');
    assert.ok(t.logs.length > 0, 'logs were captured');
    const secrets = [secret, mfaToken, mfaToken.slice(4), code, ...recoveryCodes, ...recoveryCodes.map((c) => c.replace('-', ''))];
    for (const s of secrets) assert.ok(!new RegExp(`(^|[^0-9A-Za-z_-])${s}([^0-9A-Za-z_-]|$)`).test(logs), `the log contains ${s.slice(0, 4)}…`);
  });

  it('with another MFA_ENCRYPTION_KEY than the one that sealed a factor: 500 INTERNAL_ERROR, the log names the variable, the factor is untouched', async () => {
    const user = await newUser();
    const { secret } = await enrollTotp(t, clock, user.email);
    const [stored] = await t.db.query(`SELECT secret_sealed, last_used_step FROM mfa_factors WHERE user_id = $1`, [user.id]);
    // A second instance on the same data, started with a key of its own (testConfig draws one per app).
    const other = await startTestApp({ clock, captureLogs: true, databaseUrl: t.config.database.url });
    try {
      assert.notEqual(other.config.mfa.encryptionKey, t.config.mfa.encryptionKey);
      const mfaToken = await mfaTokenFor(other, user.email);
      const res = await secondStep(other, { mfaToken, code: codeAt(secret, clock) });
      assert.equal(res.status, 500, res.text);
      assert.deepEqual([res.body.code, res.body.message], ['INTERNAL_ERROR', 'An unexpected error occurred.']);
      assert.ok(!res.text.includes('MFA_ENCRYPTION_KEY'), 'the client is not told about the server configuration');
      // The process has one pino logger, made with the first app's destination, so both apps' lines land in t.logs.
      const logged = [...t.logs, ...other.logs].filter((line) => line.includes('"level":50'));
      assert.ok(
        logged.some((line) => line.includes('a sealed MFA secret did not open: MFA_ENCRYPTION_KEY is not the key it was sealed with')),
        `the error line names the variable: ${logged.join('\n')}`,
      );
      const [after] = await t.db.query(`SELECT secret_sealed, last_used_step FROM mfa_factors WHERE user_id = $1`, [user.id]);
      assert.deepEqual(after, stored);
      // The instance with the right key still takes the code.
      const ok = await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), code: codeAt(secret, clock) });
      assert.equal(ok.status, 200, ok.text);
    } finally {
      await other.close();
    }
  });
});
