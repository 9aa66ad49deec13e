import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD } from '../support/factories';
import { freshIp, startThrottleHarness, tally, ThrottleHarness } from './throttle-harness';

const WRONG = 'not-the-password';

/**
 * The contract's "Abuse" rules, run against one store. Both stores run the
 * same suite (throttle-postgres.e2e.ts, throttle-redis.e2e.ts).
 */
export function throttleSuite(store: 'postgres' | 'redis'): void {
  describe(`failed-login throttling (${store} store)`, () => {
    let h: ThrottleHarness;
    before(async () => {
      h = await startThrottleHarness(store);
    });
    after(() => h.close());

    it('runs only 5 password checks for 200 parallel wrong passwords from one IP, and counts exactly those 5', async () => {
      const u = await h.user('burst');
      const ip = freshIp();
      const before = await h.verifications();
      const answers = await Promise.all(Array.from({ length: 200 }, () => h.login(u.email, WRONG, ip)));
      assert.deepEqual(tally(answers), { 401: 5, 429: 195 });
      assert.equal((await h.verifications()) - before, 5);
      assert.deepEqual(await h.counters(u.email, ip), { account: 5, accountIp: 5, ip: 5 });
      const refused = answers.find((a) => a.status === 429);
      assert.equal(refused?.body.code, 'TOO_MANY_ATTEMPTS');
      assert.equal(refused?.headers.get('retry-after'), '1');
    });

    it('runs at most the account budget (50) of checks for 200 parallel wrong passwords from 200 IPs, then refuses everyone, right password included', async () => {
      const u = await h.user('spread');
      const ips = Array.from({ length: 200 }, () => freshIp());
      const before = await h.verifications();
      const answers = await Promise.all(ips.map((ip) => h.login(u.email, WRONG, ip)));
      assert.deepEqual(tally(answers), { 401: 50, 429: 150 });
      assert.equal((await h.verifications()) - before, 50);
      assert.equal((await h.counters(u.email, ips[0])).account, 50);

      const owner = await h.login(u.email, PASSWORD, freshIp());
      assert.equal(owner.status, 429, 'the account answers 429 to everyone until the window passes');
      const retryAfter = Number(owner.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);

      h.clock.advance(retryAfter * 1000);
      const later = await h.login(u.email, PASSWORD, freshIp());
      assert.equal(later.status, 200, 'nothing is locked for longer than the window');
    });

    it('never throttles the first 5 consecutive failures, then answers 429 to a burst, with a Retry-After that grows with each failure', async () => {
      const u = await h.user('backoff');
      const ip = freshIp();
      for (let i = 1; i <= 5; i++) assert.equal((await h.login(u.email, WRONG, ip)).status, 401, `failure ${i}`);
      const burst = [];
      for (let i = 6; i <= 20; i++) burst.push((await h.login(u.email, WRONG, ip)).status);
      assert.deepEqual(burst, Array<number>(15).fill(429), 'from the 6th attempt of a burst (the contract: the 20th at the latest)');

      const waits: number[] = [];
      for (let i = 0; i < 6; i++) {
        const refused = await h.login(u.email, WRONG, ip);
        assert.equal(refused.status, 429);
        const seconds = Number(refused.headers.get('retry-after'));
        waits.push(seconds);
        h.clock.advance(seconds * 1000);
        assert.equal((await h.login(u.email, WRONG, ip)).status, 401, 'after waiting Retry-After, one more check runs');
      }
      assert.deepEqual(waits, [1, 2, 4, 8, 16, 32]);
      assert.equal((await h.counters(u.email, ip)).accountIp, 11, 'refused attempts are not failures');
    });

    it('closes the account+IP pair after 19 consecutive failures until its window ends, then opens it again', async () => {
      const u = await h.user('closed');
      const ip = freshIp();
      let failures = 0;
      while (failures < 19) {
        const res = await h.login(u.email, WRONG, ip);
        if (res.status === 401) failures += 1;
        else h.clock.advance(Number(res.headers.get('retry-after')) * 1000);
      }
      const twentieth = await h.login(u.email, PASSWORD, ip);
      assert.equal(twentieth.status, 429, 'the 20th attempt is refused, right password or not');
      const closedFor = Number(twentieth.headers.get('retry-after'));
      assert.ok(closedFor > 60 && closedFor <= 3600, `closed until the window ends (${closedFor} s)`);
      h.clock.advance((closedFor - 1) * 1000);
      assert.equal((await h.login(u.email, PASSWORD, ip)).status, 429, 'still closed a second before');
      h.clock.advance(1000);
      assert.equal((await h.login(u.email, PASSWORD, ip)).status, 200, 'never locked for longer than the window');
    });

    it('lets 12 parallel logins with the right password from one client all succeed (pending charges are not failures)', async () => {
      const u = await h.user('tabs');
      const ip = freshIp();
      const answers = await Promise.all(Array.from({ length: 12 }, () => h.login(u.email, PASSWORD, ip)));
      assert.deepEqual(tally(answers), { 200: 12 });
      assert.deepEqual(await h.counters(u.email, ip), { account: 0, accountIp: 0, ip: 0 });
    });

    it('lets a success reset the account+IP count', async () => {
      const u = await h.user('reset');
      const ip = freshIp();
      for (let i = 0; i < 4; i++) assert.equal((await h.login(u.email, WRONG, ip)).status, 401);
      assert.equal((await h.login(u.email, PASSWORD, ip)).status, 200);
      assert.deepEqual(await h.counters(u.email, ip), { account: 4, accountIp: 0, ip: 4 }, 'a success is no failed check');
      for (let i = 0; i < 5; i++) assert.equal((await h.login(u.email, WRONG, ip)).status, 401, 'five more before any wait');
    });

    it('does not block the right password from another IP when one IP is throttled', async () => {
      const u = await h.user('otherip');
      const attacker = freshIp();
      for (let i = 0; i < 5; i++) await h.login(u.email, WRONG, attacker);
      assert.equal((await h.login(u.email, PASSWORD, attacker)).status, 429);
      assert.equal((await h.login(u.email, PASSWORD, freshIp())).status, 200);
    });

    it('throttles an unknown account exactly like a real one', async () => {
      const real = await h.user('real');
      const ghost = `ghost-${real.id.slice(0, 8)}@throttle.example`;
      const run = async (email: string) => {
        const ip = freshIp();
        const out: string[] = [];
        for (let i = 0; i < 8; i++) {
          const res = await h.login(email, WRONG, ip);
          out.push(`${res.status} ${res.headers.get('retry-after') ?? '-'} ${res.body.code}`);
        }
        return out;
      };
      assert.deepEqual(await run(ghost), await run(real.email));
      assert.equal((await h.counters(ghost, '0.0.0.0')).account, 5);
    });

    it('shares one budget between /api/auth/login and /api/workspace/auth/login, by email and by user name', async () => {
      const u = await h.user('shared');
      const ip = freshIp();
      for (let i = 0; i < 3; i++) assert.equal((await h.login(u.email, WRONG, ip)).status, 401);
      for (let i = 0; i < 2; i++) assert.equal((await h.workspaceLogin(u.email.toUpperCase(), WRONG, ip)).status, 400);
      const ws = await h.workspaceLogin(u.email, WRONG, ip);
      assert.equal(ws.status, 429);
      assert.equal(ws.body.Errors[0].Code, 'TooManyAttempts');
      assert.ok(Number(ws.headers.get('retry-after')) >= 1);
      assert.equal((await h.login(u.email, WRONG, ip)).status, 429);
      assert.equal((await h.counters(u.email, ip)).accountIp, 5);
      // The user name is a second identifier of the same account, with its own half of the account budget.
      assert.equal((await h.workspaceLogin(u.userName, WRONG, ip)).status, 400);
    });
  });

  // Passport strategies are process-wide, so apps with other settings get describe blocks of their own, one at a time.
  describe(`client IP without TRUST_PROXY (${store} store)`, () => {
    let h: ThrottleHarness;
    before(async () => {
      h = await startThrottleHarness(store, { trustProxy: false });
    });
    after(() => h.close());

    it('takes the client IP from the socket, ignoring X-Forwarded-For from a peer TRUST_PROXY does not name', async () => {
      const u = await h.user('xff');
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await h.login(u.email, WRONG, freshIp())).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429], 'forged addresses all count as the socket address');
      assert.equal((await h.counters(u.email, '127.0.0.1')).accountIp, 5);
    });
  });

  describe(`per-IP budget at its lowest setting, 100 an hour (${store} store)`, () => {
    let h: ThrottleHarness;
    before(async () => {
      h = await startThrottleHarness(store, { ipFailuresPerHour: 100 });
    });
    after(() => h.close());

    it('allows 100 failures an hour from one IP across accounts, then throttles the IP for every account', async () => {
      const ip = freshIp();
      const answers = [];
      for (let batch = 0; batch < 10; batch++) {
        answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => h.login(`office-${batch}-${i}@throttle.example`, WRONG, ip)))));
      }
      assert.deepEqual(tally(answers), { 401: 100 });
      const u = await h.user('office');
      const blocked = await h.login(u.email, PASSWORD, ip);
      assert.equal(blocked.status, 429);
      assert.equal((await h.counters(u.email, ip)).ip, 100);
      assert.equal((await h.login(u.email, PASSWORD, freshIp())).status, 200, 'other addresses are unaffected');
    });
  });
}
