import assert from 'node:assert/strict';
import bcrypt from 'bcrypt';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { METRICS_ON_ANY_PORT, scrapedValue } from '../support/metrics';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, login, loginUrl, meUrl, refreshUrl } from './auth-helpers';

/** 72 bytes exactly: 70 ASCII characters and a two-byte "é". */
const SEVENTY_TWO = `${'a'.repeat(70)}é`;

describe('passwords: bcrypt rules of the contract', () => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrganization>>;

  before(async () => {
    t = await startTestApp({ captureLogs: true, config: { bcryptCost: 10, ...METRICS_ON_ANY_PORT } });
    org = await createOrganization(t.db);
  });
  after(() => t.close());

  /** bcrypt compares the action cost, as the app counts them (authgate_password_checks_total). */
  async function comparesDuring(action: () => Promise<unknown>): Promise<number> {
    const before = await scrapedValue(t, 'authgate_password_checks_total');
    await action();
    return (await scrapedValue(t, 'authgate_password_checks_total')) - before;
  }
  const storedHash = async (email: string): Promise<string> =>
    (await t.db.query<{ password_hash: string }[]>(`SELECT password_hash FROM users WHERE email = $1`, [email]))[0].password_hash;

  it('costs exactly one bcrypt compare for an unknown email, a wrong password and an inactive user, with one answer', async () => {
    await createUser(t.db, org, { email: 'known@acme.example' });
    await createUser(t.db, org, { email: 'gone@acme.example', active: false });
    const answers: string[] = [];
    for (const email of ['nobody@acme.example', 'known@acme.example', 'gone@acme.example']) {
      const password = email === 'gone@acme.example' ? PASSWORD : 'wrong-password';
      const used = await comparesDuring(async () => {
        const res = await post(loginUrl(t), { email, password });
        assertApiError(res, 401, 'INVALID_CREDENTIALS');
        answers.push(res.text);
      });
      assert.equal(used, 1, `${email}: ${used} compares`);
    }
    assert.equal(new Set(answers).size, 1, 'the three refusals are byte-identical');
  });

  it('matches a password of exactly 72 bytes, and never one longer (bcrypt would cut it to the same 72)', async () => {
    await createUser(t.db, org, { email: 'long@acme.example', password: SEVENTY_TWO });
    await login(t, 'long@acme.example', SEVENTY_TWO);
    // Same first 72 bytes, one more: bcrypt alone would say it matches.
    assert.equal(await bcrypt.compare(`${SEVENTY_TWO}x`, await storedHash('long@acme.example')), true, 'the control: raw bcrypt truncates');
    const used = await comparesDuring(async () =>
      assertApiError(await post(loginUrl(t), { email: 'long@acme.example', password: `${SEVENTY_TWO}x` }), 401, 'INVALID_CREDENTIALS'),
    );
    assert.equal(used, 1, 'a refused long password still costs one compare');
  });

  it('compares a password with a NUL byte in full', async () => {
    const withNul = 'before\u0000after';
    await createUser(t.db, org, { email: 'nul@acme.example', password: withNul });
    await login(t, 'nul@acme.example', withNul);
    assertApiError(await post(loginUrl(t), { email: 'nul@acme.example', password: 'before' }), 401, 'INVALID_CREDENTIALS');
    assertApiError(await post(loginUrl(t), { email: 'nul@acme.example', password: 'before\u0000other' }), 401, 'INVALID_CREDENTIALS');
  });

  it('accepts $2a$, $2b$ and $2y$ hashes, and rehashes $2a$/$2y$ to $2b$ at login', async () => {
    const b = await bcrypt.hash(PASSWORD, 10);
    for (const [prefix, email] of [
      ['$2a$', 'a@acme.example'],
      ['$2b$', 'b@acme.example'],
      ['$2y$', 'y@acme.example'],
    ]) {
      await createUser(t.db, org, { email, passwordHash: `${prefix}${b.slice(4)}` });
      await login(t, email, PASSWORD);
      const after = await storedHash(email);
      assert.ok(after.startsWith('$2b$10$'), `${prefix} → ${after.slice(0, 7)}`);
      if (prefix === '$2b$') assert.equal(after, b, 'a current $2b$ hash at the configured cost is left alone');
      else assert.notEqual(after.slice(4), b.slice(4), 'rehashed, not just renamed');
      await login(t, email, PASSWORD);
    }
  });

  it('refuses the buggy $2x$ variant and anything that is not bcrypt', async () => {
    const b = await bcrypt.hash(PASSWORD, 10);
    await createUser(t.db, org, { email: 'x@acme.example', passwordHash: `$2x$${b.slice(4)}` });
    await createUser(t.db, org, { email: 'md5@acme.example', passwordHash: '5f4dcc3b5aa765d61d8327deb882cf99' });
    assertApiError(await post(loginUrl(t), { email: 'x@acme.example', password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    assertApiError(await post(loginUrl(t), { email: 'md5@acme.example', password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
  });

  it('rehashes a lower-cost hash at the configured cost after a successful login, and only then', async () => {
    const cheap = await bcrypt.hash(PASSWORD, 4);
    await createUser(t.db, org, { email: 'cheap@acme.example', passwordHash: cheap });
    assertApiError(await post(loginUrl(t), { email: 'cheap@acme.example', password: 'wrong' }), 401, 'INVALID_CREDENTIALS');
    assert.equal(await storedHash('cheap@acme.example'), cheap, 'a failed login changes nothing');
    const session = await login(t, 'cheap@acme.example', PASSWORD);
    assert.match(await storedHash('cheap@acme.example'), /^\$2b\$10\$/);
    assert.equal((await get(meUrl(t), { token: session.body.token })).status, 200, 'the upgrade does not end the session it opened');
    await login(t, 'cheap@acme.example', PASSWORD);
  });

  it('writes no password, hash, refresh token or access token into any response or log line', async () => {
    const secretPassword = 'Zebra-Unicorn-Secret-4711!';
    await createUser(t.db, org, { email: 'quiet@acme.example', password: secretPassword });
    const hash = await storedHash('quiet@acme.example');
    const first = await login(t, 'quiet@acme.example', secretPassword);
    const second = await login(t, 'quiet@acme.example', secretPassword);
    await post(loginUrl(t), { email: 'quiet@acme.example', password: `${secretPassword}-wrong` });
    const rotated = await post(refreshUrl(t), { refreshToken: first.body.refreshToken });
    const me = await get(meUrl(t), { token: second.body.token });

    const responses = [first, second, rotated, me].map((r) => r.text).join('\n');
    for (const secret of [secretPassword, hash, hash.slice(7)]) assert.ok(!responses.includes(secret), 'a response holds a secret');
    assert.ok(!me.text.includes(second.body.refreshToken), 'me does not echo the refresh token');
    assert.ok(!rotated.text.includes(second.body.refreshToken), "a refresh never shows another session's token");

    const logs = t.logs.join('\n');
    assert.ok(t.logs.length > 0, 'logs were captured');
    for (const secret of [secretPassword, hash.slice(7), first.body.refreshToken, second.body.refreshToken, rotated.body.refreshToken, second.body.token]) {
      assert.ok(!logs.includes(secret), `a log line holds a secret: ${secret.slice(0, 6)}…`);
    }
  });
});
