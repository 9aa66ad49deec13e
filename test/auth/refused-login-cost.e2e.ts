import assert from 'node:assert/strict';
import bcrypt from 'bcrypt';
import { after, before, describe, it } from 'node:test';
import { BCRYPT, BcryptBinding, nativeBcrypt } from '../../src/auth/passwords/bcrypt-binding';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const COST = 10;

/**
 * One bcrypt compare as the service ran it: its cost. Every compare goes through the one
 * bcrypt binding (the native one; the lint refuses pure-JS bcrypt in src/), which the test
 * replaces with a counting one: a compare run any other way shows as missing work.
 */
type Work = number;

const costOf = (hash: unknown): number => Number(/^\$2[aby]\$(\d{2})\$/.exec(String(hash))?.[1] ?? NaN);

/**
 * Issue #14 item 3: a password with a NUL byte was checked by pure-JS bcrypt for a real
 * account and by the native binding for an unknown one (303 against 216 ms median), which
 * told 80 of 80 accounts apart from one request each, on both login APIs. Timing is
 * measured by scripts/refused-login-timing.ts; this test proves the cause is gone: every
 * refused login runs the same work, one compare with the same implementation at the same
 * cost, whatever the account and whatever the input.
 */
describe('one cost for every refused login', () => {
  let t: TestApp;
  const work: Work[] = [];
  let email: string;
  let inactiveEmail: string;
  const userName = 'costly.user';
  const counting: BcryptBinding = {
    ...nativeBcrypt,
    compare: (password: string | Buffer, hash: string) => {
      work.push(costOf(hash));
      return nativeBcrypt.compare(password, hash);
    },
  };

  before(async () => {
    t = await startTestApp({
      config: { bcryptCost: COST, logLevel: 'silent', trustProxy: ['127.0.0.1'] },
      overrides: [{ provide: BCRYPT, useValue: counting }],
    });
    const org = await createOrganization(t.db);
    email = (await createUser(t.db, org, { email: 'cost@acme.example', userName })).email;
    inactiveEmail = (await createUser(t.db, org, { email: 'cost-inactive@acme.example', active: false })).email;
  });
  after(async () => {
    await t?.close();
  });

  /** The work one refused request ran; a distinct client IP each, so no throttle budget is in the way. */
  let ip = 0;
  async function refused(path: 'auth' | 'workspace', identifier: string, password: string): Promise<Work[]> {
    const before = work.length;
    ip += 1;
    const headers = { 'x-forwarded-for': `198.51.100.${ip}` };
    const res =
      path === 'auth'
        ? await post(`${t.url}/api/auth/login`, { email: identifier, password }, { headers })
        : await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: identifier, Password: password }, { headers });
    // The workspace API answers a refused login 400 with InvalidCredentials (seed 003).
    assert.equal(res.status, path === 'auth' ? 401 : 400, `${path} ${JSON.stringify(identifier)}: ${res.status} ${res.text}`);
    return work.slice(before);
  }

  const INPUTS: Record<string, string> = {
    plain: 'not-the-password',
    'with a NUL byte': 'not\u0000the-password',
    'NUL, same bcrypt key as the real password (p\\0p)': `${PASSWORD}\u0000${PASSWORD}`.slice(0, 72),
    'over 72 bytes': 'x'.repeat(73),
    'over 72 bytes with a NUL': `${'y'.repeat(40)}\u0000${'z'.repeat(40)}`,
    'only a NUL': '\u0000',
  };

  it('runs one native bcrypt compare at the configured cost for every refused login on /api/auth/login, whatever the account and the input', async () => {
    const seen = new Map<string, Work[]>();
    for (const [label, password] of Object.entries(INPUTS)) {
      seen.set(`real account, ${label}`, await refused('auth', email, password));
      seen.set(`unknown account, ${label}`, await refused('auth', 'nobody-here@acme.example', password));
      seen.set(`inactive account, ${label}`, await refused('auth', inactiveEmail, password));
    }
    seen.set('inactive account, its right password', await refused('auth', inactiveEmail, PASSWORD));
    for (const [what, done] of seen) assert.deepEqual(done, [COST], what);
  });

  it('does the same on the workspace login, by user name and by email', async () => {
    const seen = new Map<string, Work[]>();
    for (const [label, password] of Object.entries(INPUTS)) {
      seen.set(`real user name, ${label}`, await refused('workspace', userName, password));
      seen.set(`unknown user name, ${label}`, await refused('workspace', 'nobody.here', password));
      seen.set(`real email, ${label}`, await refused('workspace', email, password));
      seen.set(`unknown email, ${label}`, await refused('workspace', 'nobody-here@acme.example', password));
    }
    for (const [what, done] of seen) assert.deepEqual(done, [COST], what);
  });

  it('still signs in with the right password, and a NUL password of its own is compared in full', async () => {
    const ok = await post(`${t.url}/api/auth/login`, { email, password: PASSWORD });
    assert.equal(ok.status, 200, ok.text);
    const org = await createOrganization(t.db);
    const nul = 'before\u0000after-the-nul';
    const user = await createUser(t.db, org, { email: 'nul@acme.example', passwordHash: await bcrypt.hash(nul, COST) });
    assert.equal((await post(`${t.url}/api/auth/login`, { email: user.email, password: nul })).status, 200);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: user.email, password: 'before' })).status, 401);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: user.email, password: 'before\u0000after-the-nuL' })).status, 401);
  });
});
