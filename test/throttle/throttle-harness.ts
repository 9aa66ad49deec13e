import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { accountKeyOf, ipSubjectOf } from '../../src/throttle/throttle-keys';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { HttpResponse, post } from '../support/http';
import { METRICS_ON_ANY_PORT, scrapedValue } from '../support/metrics';
import { startTestApp, TestApp } from '../support/test-app';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One app with a fake clock, trusting X-Forwarded-For from the test (so each test can be "another IP"). */
export interface ThrottleHarness {
  t: TestApp;
  clock: FakeClock;
  /** How many password verifications (bcrypt compares) the app has run so far. */
  verifications(): Promise<number>;
  /** Exact counters in the shared store, by scope. */
  counters(identifier: string, ip: string): Promise<{ account: number; accountIp: number; ip: number }>;
  /** A fresh user in its own organization; its user name is `<prefix>.name`. */
  user(prefix: string): Promise<{ id: string; email: string; userName: string }>;
  login(email: string, password: string, ip: string): Promise<HttpResponse>;
  workspaceLogin(identifier: string, password: string, ip: string): Promise<HttpResponse>;
  close(): Promise<void>;
}

let ipSeq = 0;
/** A documentation-range address no other test in this process uses. */
export const freshIp = (): string => {
  ipSeq += 1;
  return `198.51.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`;
};

export interface HarnessOptions {
  ipFailuresPerHour?: number;
  /** Believe X-Forwarded-For from the test client (true by default: each test can be "another IP"). */
  trustProxy?: boolean;
}

export async function startThrottleHarness(store: 'postgres' | 'redis', options: HarnessOptions = {}): Promise<ThrottleHarness> {
  const { ipFailuresPerHour, trustProxy = true } = options;
  const clock = new FakeClock();
  const prefix = `authgate-test:${randomBytes(6).toString('hex')}:`;
  const t = await startTestApp({
    clock,
    captureLogs: !!process.env.DEBUG_THROTTLE,
    config: {
      trustProxy: trustProxy ? ['127.0.0.1'] : null,
      ...(store === 'redis' ? { redisUrl: REDIS_URL } : {}),
      throttle: { redisKeyPrefix: prefix, ...(ipFailuresPerHour ? { ipFailuresPerHour } : {}) },
      // These tests count answers to bursts of 200 parallel logins; on a loaded machine the 2 s defaults
      // turned some into 503s (correct, but not what is being counted).
      dependencyTimeouts: { poolWaitMs: 20_000, queryMs: 20_000, redisCommandMs: 20_000 },
      // bcrypt compares are counted where an operator sees them: authgate_password_checks_total.
      ...METRICS_ON_ANY_PORT,
    },
  });
  const redis = store === 'redis' ? new Redis(REDIS_URL) : undefined;
  const org = await createOrganization(t.db);

  const read = async (key: string): Promise<number> => {
    if (redis) return Number((await redis.hget(prefix + key, 'f')) ?? 0);
    const rows: { failures: number }[] = await t.db.query(`SELECT failures FROM throttle_counters WHERE key = $1`, [key]);
    return rows[0]?.failures ?? 0;
  };

  return {
    t,
    clock,
    verifications: () => scrapedValue(t, 'authgate_password_checks_total'),
    async counters(identifier, ip) {
      const account = accountKeyOf(identifier);
      const subject = ipSubjectOf(ip);
      return {
        account: await read(`acct:${account}`),
        accountIp: await read(`acct-ip:${account}:${subject}`),
        ip: await read(`ip:${subject}`),
      };
    },
    async user(prefixName) {
      const suffix = randomBytes(3).toString('hex');
      const userName = `${prefixName}.${suffix}`;
      const u = await createUser(t.db, org, { email: `${prefixName}-${suffix}@throttle.example`, userName, password: PASSWORD });
      return { id: u.id, email: u.email, userName };
    },
    login: (email, password, ip) => post(`${t.url}/api/auth/login`, { email, password }, { headers: { 'x-forwarded-for': ip } }),
    workspaceLogin: (identifier, password, ip) =>
      post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: identifier, Password: password }, { headers: { 'x-forwarded-for': ip } }),
    async close() {
      if (process.env.DEBUG_THROTTLE) console.log(t.logs.filter((l) => /"level":(40|50)/.test(l) && !l.includes('login.')).slice(0, 8).map((l) => l.slice(0, 600)));
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      await t.close();
    },
  };
}

/** Statuses of a batch of responses, counted: `{ 401: 5, 429: 195 }`. */
export const tally = (responses: { status: number }[]): Record<number, number> =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
