import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, HttpResponse, post } from '../support/http';
import { assertApiError } from '../auth/auth-helpers';
import { recordStatements } from '../support/recording-pg-client';
import { signIn } from '../support/sign-in';
import { AccountsWorld, auditTypes, liveSessions, mailTo, NEW_PASSWORD, OTHER_PASSWORD, startAccountsWorld, tokenOf } from './accounts-fixture';

/** What a client can tell apart: everything but the per-request id and the date. */
const visible = (res: HttpResponse) => ({
  status: res.status,
  body: res.text,
  headers: [...res.headers.entries()].filter(([name]) => !['date', 'x-request-id'].includes(name)),
});

describe('forgot and reset password', () => {
  let w: AccountsWorld;
  const clock = new FakeClock();
  /** Every statement the app's pool sends, in order (the same connections serve each request). */
  const sent: string[] = [];
  const forgot = (email: string) => post(`${w.t.url}/api/auth/password/forgot`, { email });
  const reset = (token: string, newPassword = NEW_PASSWORD) => post(`${w.t.url}/api/auth/password/reset`, { token, newPassword });

  before(async () => {
    w = await startAccountsWorld({ clock, overrides: [recordStatements(sent)] });
  });
  after(() => w.close());

  it('emails an active user a link into the SPA (plain text and HTML) that sets the password once and ends every session', async () => {
    const user = await createUser(w.t.db, w.org, { email: 'reset-me@acme.example', firstName: 'Rhea' });
    const a = await signIn(w.t, user.email);
    await signIn(w.t, user.email);
    const res = await forgot('  Reset-Me@ACME.example ');
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body, {});
    const mail = await mailTo(w.smtp, user.email, /Reset your password/);
    assert.equal(mail.from?.value[0]?.address, 'no-reply@acme.example');
    assert.match(mail.text ?? '', /Hello Rhea,/);
    const token = tokenOf(mail, '/reset-password');
    assert.match(String(mail.html), new RegExp(`href="http://app\\.test/spa/reset-password\\?token=${token}"`));
    // Stored only as a hash.
    const [stored] = await w.t.db.query(`SELECT token_hash, kind, EXTRACT(epoch FROM expires_at - created_at)::int AS ttl FROM account_tokens WHERE user_id = $1`, [user.id]);
    assert.equal(stored.kind, 'password_reset');
    assert.ok(!Buffer.from(stored.token_hash).toString('utf8').includes(token));
    assert.equal(stored.ttl, 30 * 60);

    const done = await reset(token);
    assert.equal(done.status, 204, done.text);
    assert.equal(done.text, '');
    assertApiError(await get(`${w.t.url}/api/auth/me`, { token: a.token }), 401, 'SESSION_REVOKED');
    assert.equal(await liveSessions(w.t.db, user.id), 0);
    assertApiError(await post(`${w.t.url}/api/auth/login`, { email: user.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    await signIn(w.t, user.email, NEW_PASSWORD);
    assertApiError(await reset(token, OTHER_PASSWORD), 400, 'INVALID_RESET_TOKEN');
    assert.deepEqual(await auditTypes(w.t.db, user.id), ['user.password_reset']);
    const [row] = await w.t.db.query(`SELECT email_verified_at FROM users WHERE id = $1`, [user.id]);
    assert.ok(row.email_verified_at instanceof Date);
  });

  it('10 concurrent uses of one token: exactly one 204, the others INVALID_RESET_TOKEN, one password and one audit row', async () => {
    const user = await createUser(w.t.db, w.org, { email: 'race@acme.example' });
    const before = w.smtp.messages.length;
    await forgot(user.email);
    const token = tokenOf(await mailTo(w.smtp, user.email, /Reset/, before), '/reset-password');
    const passwords = Array.from({ length: 10 }, (_, i) => `${NEW_PASSWORD} number ${i}`);
    const answers = await Promise.all(passwords.map((p) => reset(token, p)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [204, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
    for (const r of answers.filter((x) => x.status === 400)) assertApiError(r, 400, 'INVALID_RESET_TOKEN');
    const winner = passwords[answers.findIndex((r) => r.status === 204)];
    await signIn(w.t, user.email, winner);
    assert.deepEqual(await auditTypes(w.t.db, user.id), ['user.password_reset']);
  });

  it('forgot answers byte-identical 202s for real, unknown, inactive, migrated accounts, and runs the same statements', async () => {
    const real = await createUser(w.t.db, w.org, { email: 'real@acme.example' });
    await createUser(w.t.db, w.org, { email: 'inactive@acme.example', active: false });
    await createUser(w.t.db, w.org, { email: 'migrated@acme.example', workosUserId: 'user_01MIGRATED', migratedAt: new Date(), passwordHash: null });
    const workOf = async (email: string) => {
      sent.length = 0;
      const res = await forgot(email);
      return { res, statements: [...sent] };
    };
    const answers = [];
    for (const email of ['real@acme.example', 'nobody@acme.example', 'inactive@acme.example', 'migrated@acme.example']) {
      answers.push(await workOf(email));
    }
    for (const a of answers) {
      assert.equal(a.res.status, 202);
      assert.deepEqual(visible(a.res), visible(answers[0].res));
      assert.deepEqual(a.statements, answers[0].statements);
    }
    assert.ok(answers[0].statements.length > 0);
    // Only the real account got a link.
    await mailTo(w.smtp, real.email, /Reset/);
    const [{ n }] = await w.t.db.query(
      `SELECT count(*)::int AS n FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE u.email IN ('inactive@acme.example', 'migrated@acme.example')`,
    );
    assert.equal(n, 0);
    assert.ok(!w.smtp.messages.some((m) => /inactive|migrated|nobody/.test(JSON.stringify(m.to))));
  });

  it('the SMTP server down at the request: the same answer, and the email goes out once it is back', async () => {
    const user = await createUser(w.t.db, w.org, { email: 'outage@acme.example' });
    const healthy = await forgot('nobody-at-all@acme.example');
    await w.smtp.stop();
    let res: HttpResponse;
    try {
      res = await forgot(user.email);
    } finally {
      // Back after the first attempts failed (the mailer retries every 100–3200 ms in this test).
      await new Promise((r) => setTimeout(r, 400));
      await w.smtp.start();
    }
    assert.deepEqual(visible(res), visible(healthy));
    const mail = await mailTo(w.smtp, user.email, /Reset/);
    assert.equal(await reset(tokenOf(mail, '/reset-password')).then((r) => r.status), 204);
  });

  it('a link expires after PASSWORD_RESET_TTL_MINUTES (30 by default)', async () => {
    const user = await createUser(w.t.db, w.org, { email: 'slow@acme.example' });
    const before = w.smtp.messages.length;
    await forgot(user.email);
    const token = tokenOf(await mailTo(w.smtp, user.email, /Reset/, before), '/reset-password');
    clock.advanceMinutes(31);
    try {
      assertApiError(await reset(token), 400, 'INVALID_RESET_TOKEN');
    } finally {
      clock.advanceMinutes(-31);
    }
    await signIn(w.t, user.email);
  });

  it('a weak new password is refused with reasons, and the link still works afterwards', async () => {
    const user = await createUser(w.t.db, w.org, { email: 'weakling@acme.example', userName: 'weakling' });
    const before = w.smtp.messages.length;
    await forgot(user.email);
    const token = tokenOf(await mailTo(w.smtp, user.email, /Reset/, before), '/reset-password');
    for (const [password, reason] of [
      ['Xy7#kq-Lm', 'TOO_SHORT'],
      ['x'.repeat(73), 'TOO_LONG'],
      ['qwerty123456', 'TOO_COMMON'],
      ['weakling-forever-2026', 'CONTAINS_IDENTIFIER'],
    ]) {
      const res = await reset(token, password);
      assertApiError(res, 400, 'WEAK_PASSWORD');
      assert.deepEqual(
        res.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason]),
        [['newPassword', reason]],
      );
    }
    await signIn(w.t, user.email);
    assert.equal((await reset(token)).status, 204);
  });

  it('refuses unknown, malformed and missing tokens and unknown fields with 400, writing nothing', async () => {
    assertApiError(await reset('A'.repeat(43)), 400, 'INVALID_RESET_TOKEN');
    assertApiError(await reset('not a token'), 400, 'INVALID_RESET_TOKEN');
    const missing = await post(`${w.t.url}/api/auth/password/reset`, { newPassword: NEW_PASSWORD });
    assertApiError(missing, 400, 'VALIDATION_FAILED');
    assert.ok(missing.body.errors.some((e: { field: string }) => e.field === 'token'));
    const extra = await post(`${w.t.url}/api/auth/password/reset`, { token: 'A'.repeat(43), newPassword: NEW_PASSWORD, admin: true });
    assertApiError(extra, 400, 'VALIDATION_FAILED');
    assert.ok(extra.body.errors.some((e: { field: string }) => e.field === 'admin'));
    const nul = await post(`${w.t.url}/api/auth/password/reset`, { token: 'A'.repeat(43), newPassword: `${NEW_PASSWORD}\u0000x` });
    assertApiError(nul, 400, 'VALIDATION_FAILED');
    assertApiError(await forgot('not-an-email'), 400, 'VALIDATION_FAILED');
  });

  it("a migrated user's reset link (issued before the migration) answers 409, and forgot sends them nothing", async () => {
    const user = await createUser(w.t.db, w.org, { email: 'soon-migrated@acme.example', accessRole: AccessRole.MEMBER });
    const before = w.smtp.messages.length;
    await forgot(user.email);
    const token = tokenOf(await mailTo(w.smtp, user.email, /Reset/, before), '/reset-password');
    await w.t.db.query(`UPDATE users SET workos_user_id = 'user_01SOON', migrated_at = now() WHERE id = $1`, [user.id]);
    assertApiError(await reset(token), 409, 'PASSWORD_MANAGED_BY_IDENTITY_PROVIDER');
    const [row] = await w.t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    assert.equal(row.password_hash, user.passwordHash);
  });

  it('forgot is throttled per email like logins: 429 with Retry-After, for unknown emails alike', async () => {
    for (const email of ['throttle-me@acme.example', 'nobody-throttled@acme.example']) {
      if (email.startsWith('throttle')) await createUser(w.t.db, w.org, { email });
      const statuses: number[] = [];
      let last: HttpResponse | undefined;
      // 5 free, then growing waits, and after the 19th closed for the hour: a 429 comes however slow the machine.
      while (statuses.length < 25 && statuses[statuses.length - 1] !== 429) {
        last = await forgot(email);
        statuses.push(last.status);
      }
      assert.deepEqual(statuses.slice(0, 5), [202, 202, 202, 202, 202]);
      assert.equal(statuses[statuses.length - 1], 429, statuses.join(','));
      assertApiError(last as HttpResponse, 429, 'TOO_MANY_ATTEMPTS');
      assert.match((last as HttpResponse).headers.get('retry-after') ?? '', /^\d+$/);
    }
  });
});
