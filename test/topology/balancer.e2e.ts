import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/entities';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import type { AppConfig } from '../../src/platform/config/app-config';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, HttpResponse, post } from '../support/http';
import { Nginx, startNginx } from '../support/nginx';
import { testConfig } from '../support/test-app';
import { freshIp, REDIS_URL, tally } from '../throttle/throttle-harness';

const INSTANCES = 3;
/** The revocation bound of this deployment (SESSION_CACHE_MS): a logout on one instance holds on all within it. */
const SESSION_CACHE_MS = 1000;
const LOAD_WORKERS = 6;
/** Each instance compiles the app at start (swc): slow on a loaded 2-core CI machine. */
const START_TIMEOUT_MS = 120_000;

/**
 * docs/deployment.md's topology, for real: nginx (Debian's package) balancing three
 * instances (three processes) on one PostgreSQL and one Redis (the throttle counters).
 * Each instance serves Prometheus metrics on a port of its own, which is how the test
 * sees that the balancer really spread the requests.
 */
describe('three instances behind nginx on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let db: DataSource;
  let config: AppConfig;
  const instances: AppProcess[] = [];
  let nginx: Nginx;
  let org: Awaited<ReturnType<typeof createOrganization>>;

  const base = () => `${nginx.url}/api`;
  /** Requests an instance has answered on a route, from its own /metrics. */
  async function served(instance: AppProcess, route: string): Promise<number> {
    const text = await (await fetch(instance.metricsUrl as string)).text();
    let n = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('authgate_http_request_duration_seconds_count{') && line.includes(`route="${route}"`)) n += Number(line.split(' ').pop());
    }
    return n;
  }
  const spread = async (route: string) => Promise.all(instances.map((i) => served(i, route)));

  before(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, {
      redisUrl: REDIS_URL,
      trustProxy: ['127.0.0.1'],
      sessionCacheMs: SESSION_CACHE_MS,
      metrics: { port: 0 },
      throttle: { ipFailuresPerHour: 100, redisKeyPrefix: `authgate:topology:${randomBytes(4).toString('hex')}:` },
    });
    for (let i = 0; i < INSTANCES; i++) instances.push(await startAppProcess(config, { startTimeoutMs: START_TIMEOUT_MS }));
    nginx = await startNginx({ upstreams: instances.map((i) => i.url) });
    db = new DataSource(dataSourceOptions(database.url, 2, undefined, undefined, ENTITIES));
    await db.initialize();
    org = await createOrganization(db);
  });
  after(async () => {
    await nginx?.stop();
    await Promise.all(instances.map((i) => i.close()));
    await db?.destroy();
    await database?.drop();
  });

  it('signs in through the balancer, refreshes and calls me on every instance, and a logout on one is refused by all within the bound', async () => {
    const user = await createUser(db, org);
    const session = await post(`${base()}/auth/login`, { email: user.email, password: PASSWORD });
    assert.equal(session.status, 200, session.text);
    let { token, refreshToken } = session.body as { token: string; refreshToken: string };

    const meBefore = await spread('/api/auth/me');
    const refreshBefore = await spread('/api/auth/refresh');
    for (let i = 0; i < 3 * INSTANCES; i++) {
      const refreshed = await post(`${base()}/auth/refresh`, { refreshToken });
      assert.equal(refreshed.status, 200, refreshed.text);
      ({ token, refreshToken } = refreshed.body as { token: string; refreshToken: string });
      const me = await get(`${base()}/auth/me`, { token });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.user.email, user.email);
    }
    const meCounts = (await spread('/api/auth/me')).map((n, i) => n - meBefore[i]);
    const refreshCounts = (await spread('/api/auth/refresh')).map((n, i) => n - refreshBefore[i]);
    console.log(`# topology: me per instance ${JSON.stringify(meCounts)}, refresh per instance ${JSON.stringify(refreshCounts)}`);
    assert.ok(meCounts.every((n) => n > 0), `every instance answered me: ${JSON.stringify(meCounts)}`);
    assert.ok(refreshCounts.every((n) => n > 0), `every instance rotated: ${JSON.stringify(refreshCounts)}`);
    const [{ n: chain }] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE s.user_id = $1`,
      [user.id],
    );
    assert.equal(chain, 1 + 3 * INSTANCES, 'one chain: every rotation, on whichever instance, made exactly one successor');

    // Every instance has the session cached as live; the logout goes to the first one directly.
    for (const instance of instances) assert.equal((await get(`${instance.url}/api/auth/me`, { token })).status, 200);
    assert.equal((await post(`${instances[0].url}/api/auth/logout`, undefined, { token })).status, 204);
    await sleep(SESSION_CACHE_MS + 200);
    for (const instance of instances) {
      const refused = await get(`${instance.url}/api/auth/me`, { token });
      assert.equal(refused.status, 401, `instance ${instance.url} still accepts the ended session: ${refused.text}`);
    }
    assert.equal((await post(`${base()}/auth/refresh`, { refreshToken })).status, 401, 'the refresh token died with the session');
  });

  it('holds the throttle budgets over the three: one account\'s 50 checks an hour, one IP\'s 100, whichever instance answers', async () => {
    // The account budget: wrong passwords from 80 different IPs at once.
    const user = await createUser(db, org);
    const before = await spread('/api/auth/login');
    const answers = await Promise.all(
      Array.from({ length: 80 }, () => post(`${base()}/auth/login`, { email: user.email, password: 'not the password' }, { headers: { 'x-forwarded-for': freshIp() } })),
    );
    const counts = (await spread('/api/auth/login')).map((n, i) => n - before[i]);
    console.log(`# topology throttle, one account: 80 wrong passwords from 80 IPs over ${JSON.stringify(counts)} → ${JSON.stringify(tally(answers))}`);
    assert.deepEqual(tally(answers), { 401: 50, 429: 30 });
    assert.ok(counts.every((n) => n > 0), `every instance took part: ${JSON.stringify(counts)}`);
    for (const instance of instances) {
      const right = await post(`${instance.url}/api/auth/login`, { email: user.email, password: PASSWORD }, { headers: { 'x-forwarded-for': freshIp() } });
      assert.equal(right.status, 429, 'the right password waits too, on every instance');
    }

    // The IP budget (THROTTLE_IP_FAILURES_PER_HOUR=100 here): one IP trying 120 accounts.
    const ip = freshIp();
    const sprayed = await Promise.all(
      Array.from({ length: 120 }, (_, i) => post(`${base()}/auth/login`, { email: `nobody-${i}-${randomBytes(3).toString('hex')}@spray.example`, password: 'guess' }, { headers: { 'x-forwarded-for': ip } })),
    );
    console.log(`# topology throttle, one IP: 120 accounts → ${JSON.stringify(tally(sprayed))}`);
    assert.deepEqual(tally(sprayed), { 401: 100, 429: 20 });
  });

  it('restarts the instances one by one (SIGTERM, start, ready) under steady load with zero failed requests', async () => {
    const users = await Promise.all(Array.from({ length: LOAD_WORKERS }, () => createUser(db, org)));
    const sessions = await Promise.all(users.map((u) => post(`${base()}/auth/login`, { email: u.email, password: PASSWORD })));
    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    const record = (what: string, res: HttpResponse | Error) => {
      requests++;
      if (res instanceof Error) failures.push(`${what}: ${res.message} ${JSON.stringify((res as { cause?: { code?: string } }).cause?.code ?? '')}`);
      else if (res.status !== 200) failures.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
    };
    // Each worker: a session of its own, me three times then a refresh, without pause (bounded: one request in flight per worker).
    const workers = sessions.map(async (s, w) => {
      let { token, refreshToken } = s.body as { token: string; refreshToken: string };
      for (let i = 0; !stop; i++) {
        if (i % 4 === 3) {
          const res = await post(`${base()}/auth/refresh`, { refreshToken }).catch((e: Error) => e);
          record(`worker ${w} refresh`, res);
          if (!(res instanceof Error) && res.status === 200) ({ token, refreshToken } = res.body as { token: string; refreshToken: string });
        } else {
          record(`worker ${w} me`, await get(`${base()}/auth/me`, { token }).catch((e: Error) => e));
        }
      }
    });

    try {
      await sleep(500);
      for (let i = 0; i < INSTANCES; i++) {
        const old = instances[i];
        const exit = await old.close(); // SIGTERM: drains its requests, then exits
        assert.equal(exit, 0, 'the instance drained and exited 0');
        // The new release on the same address, as a deployment rolls one host (or container slot) at a time.
        const fresh = await startAppProcess({ ...config, port: Number(new URL(old.url).port) }, { startTimeoutMs: START_TIMEOUT_MS });
        assert.equal(fresh.url, old.url);
        assert.equal((await get(`${fresh.url}/api/health/ready`)).status, 200, 'the new instance is ready');
        instances[i] = fresh;
        await sleep(300);
      }
      await sleep(300);
    } finally {
      stop = true; // the workers end whatever happened above
      await Promise.all(workers);
    }
    console.log(`# topology rolling restart: ${requests} requests over ${INSTANCES} restarts, ${failures.length} failed`);
    assert.deepEqual(failures, [], `failed requests during the roll: ${failures.slice(0, 5).join('; ')}`);
    assert.ok(requests > 100, `the load was steady: ${requests} requests`);
    assert.deepEqual((await spread('/api/auth/me')).map((n) => n > 0), Array(INSTANCES).fill(true), 'every new instance served');
  });
});
