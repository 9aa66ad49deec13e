/**
 * `npm run bench`: the service's throughput and latency beside the ceilings it is
 * measured against, all in one run on this machine. Every mode prints its tables with
 * what each ratio means and writes bench/results.json; `--help` lists them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runBefore, runPrepared } from './comparisons';
import { benchConfig, POOL_SIZE } from './config';
import { accessTokens, bearerLoad, cannon, json, log, loginLoad, refreshLoad, Row, PASSWORD } from './load';
import { refreshCeiling } from './refresh-ceiling';
import { runScale } from './scale';
import { SCALE } from './scale-load';
import { bcryptHashOf, createDatabase, dropAllDatabases, seedSmall, USERS } from './seed';
import { HERE, processSampler, readyPort, SERVICE_NODE_FLAGS, Service, startService, stopAllServices } from './service';
import { summarize } from './summarize-profile';
import autocannon from 'autocannon';

const USAGE = `npm run bench [-- options]

  (no option)        the full run (~5 min): login, workspace login, health, me, verify,
                     refresh, impersonation redemption; login and refresh again on a
                     second service signing with EdDSA; bare node:http, NestJS hello
                     and bcrypt ceilings; the refresh's statements straight through pg,
                     then behind a bare node:http server and behind NestJS + Fastify
  --quick            the same with 2-second runs (~1.5 min), a smoke test: quote nothing
  --soak             adds a 5-minute soak of me + refresh sampling the service's RSS
  --only a,b         some scenarios of the full run (login, workspace, health, me,
                     verify, refresh, impersonation, eddsa); in the side-by-side
                     modes (--scale, --prepared, --before) of login, refresh, me, verify
  --profile          with --only: a V8 CPU profile of the service, summarised
  --scale            small run beside 1,000,000 users / 1,000,000 ended sessions /
                     5,000,000 refresh tokens (~10 min): scale/small per scenario, refresh
                     p99 during a prune of the million ended sessions, refresh / its
                     database ceiling
                     (with --quick: a tenth of the rows and 2-second runs, a smoke test)
  --prune-seconds N  --scale: length of the refresh runs without and with the prune (30)
  --prepared         DATABASE_PREPARED_STATEMENTS true vs false on the hot paths, and
                     false through PgBouncer 1.18 in transaction mode (~4 min)
  --before <dir>     another checkout (git worktree add <dir> <commit>; npm ci there)
                     beside this one, on the hot paths (~3 min)
  --rounds N         side-by-side modes: rounds per scenario, in ABBA order (default 2;
                     --scale 4)
  --seconds N        length of each run (default 10; login 15)
  --cost N           bcrypt cost (default BCRYPT_COST or 12)

Uses DATABASE_URL's server (any database of it: the bench creates and drops its own)
when set, else a throwaway embedded PostgreSQL. --scale needs a server with ~3 GiB free.
Ratios compare figures taken side by side in one run; absolute figures of a shared
machine are noise.`;

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (flag('--help') || flag('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const quick = flag('--quick');
const soak = flag('--soak');
const cost = Number(option('--cost') ?? process.env.BCRYPT_COST ?? 12);
const seconds = Number(option('--seconds') ?? (quick ? 2 : 10));
const loginSeconds = quick ? 5 : Math.round(seconds * 1.5);
// --scale's own goal (scale / small ≥ 0.9) sits inside two rounds' spread: three runs of it gave
// refresh 0.81, 0.91 and 1.04 (docs/performance.md), so it takes four unless told otherwise.
const rounds = Number(option('--rounds') ?? (flag('--scale') && !quick ? 4 : 2));
const loginConcurrency = 4;
const only = option('--only');
const profile = flag('--profile');
const runs = (scenario: string) => only === undefined || only.split(',').includes(scenario);

function node(script: string, scriptArgs: string[], nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, '-r', '@swc-node/register', script, ...scriptArgs], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
}

function output(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (c: Buffer) => (buffer += c.toString()));
    child.on('exit', () => resolve(buffer));
  });
}

/** DATABASE_URL's server, or a throwaway embedded PostgreSQL; `stop` cleans up after either. */
async function databaseServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const scratch = join(HERE, '.data-bench', String(process.pid));
  const embedded = await startEmbeddedPostgres(join(scratch, 'postgres'), { throwaway: true, database: 'postgres' });
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Rows' mean: the figures of one scenario measured more than once. */
function meanRow(name: string, rows: Row[]): Row {
  const mean = (pick: (r: Row) => number) => rows.reduce((a, r) => a + pick(r), 0) / rows.length;
  const peaks = rows.flatMap((r) => (r.rssPeakMiB === undefined ? [] : [r.rssPeakMiB]));
  const cpus = rows.flatMap((r) => (r.cpuMsPerRequest === undefined ? [] : [r.cpuMsPerRequest]));
  return {
    name,
    reqPerSec: mean((r) => r.reqPerSec),
    p50: Math.round(mean((r) => r.p50)),
    p99: Math.round(mean((r) => r.p99)),
    errors: rows.reduce((a, r) => a + r.errors, 0),
    non2xx: rows.reduce((a, r) => a + r.non2xx, 0),
    total: rows.reduce((a, r) => a + r.total, 0),
    ...(peaks.length > 0 ? { rssPeakMiB: Math.max(...peaks) } : {}),
    ...(cpus.length > 0 ? { cpuMsPerRequest: cpus.reduce((a, c) => a + c, 0) / cpus.length } : {}),
  };
}

/**
 * A scenario on the HS256 service and, when it runs, the EdDSA one, in ABBA order (HS256,
 * EdDSA, EdDSA, HS256): a load that drifts during the run weighs on both alike. Each row is
 * the mean of its two runs; without the EdDSA service, one run.
 */
async function pairOf(name: string, load: (s: Service) => autocannon.Options & { duration: number }, hs: Service, ed: Service | undefined): Promise<[Row, Row | undefined]> {
  if (!ed) return [await cannon(name, load(hs), hs.rss), undefined];
  const [a, b] = await abba([name, () => load(hs), hs], [`${name} [EdDSA]`, () => load(ed), ed]);
  return [a, b];
}

type Side = [name: string, load: () => autocannon.Options & { duration: number }, service: Service];

/** Two scenarios in ABBA order (A, B, B, A), each row the mean of its two runs. */
async function abba(a: Side, b: Side): Promise<[Row, Row]> {
  const runs: Row[][] = [[], []];
  for (const i of [0, 1, 1, 0]) {
    const [name, load, s] = i === 0 ? a : b;
    runs[i].push(await cannon(name, load(), s.rss));
  }
  return [meanRow(a[0], runs[0]), meanRow(b[0], runs[1])];
}

/** The full run (or --quick, --only): one service (HS256), a second one signing with EdDSA, the ceilings. */
async function fullRun(serverUrl: string): Promise<object> {
  const database = await createDatabase(serverUrl, HERE);
  log('# seeding');
  const hash = await bcryptHashOf(cost);
  const seeded = await seedSmall(database.url, hash, quick ? 3000 : 30000);
  const { members, refreshPool, memberEmails } = seeded;
  log(`  ${USERS + 1} users, ${refreshPool.length} live sessions for refresh`);

  const config = benchConfig(database.url, cost);
  const profileFile = join(__dirname, 'profiles', `${only ?? 'all'}-${Date.now()}.cpuprofile`);
  if (profile) mkdirSync(join(__dirname, 'profiles'), { recursive: true });
  log('# compiling the service (tsc -p tsconfig.bench.json)');
  const service = await startService(HERE, config, profile ? { BENCH_PROFILE: profileFile } : {});
  const { base, rss } = service;
  log(`# service on ${base} (pid ${service.pid})`);
  // The same service signing with EdDSA (JWT_ALGORITHM=EdDSA, a generated Ed25519 key in JWT_PRIVATE_KEYS), on the same database.
  const eddsa: Service | undefined = runs('eddsa') ? await startService(HERE, benchConfig(database.url, cost, { algorithm: 'EdDSA' })) : undefined;
  if (eddsa) log(`# EdDSA service on ${eddsa.base} (pid ${eddsa.pid})`);

  const rows: Row[] = [];
  const tokens = await accessTokens(base, memberEmails.slice(0, 10));
  const [adminToken] = await accessTokens(base, ['admin@bench.test']);
  const meBody = await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${tokens[0]}` } })).text();

  log('# measuring');
  if (profile) service.process.kill('SIGUSR2');
  if (runs('login')) {
    const [hs, ed] = await pairOf('password login', (s) => loginLoad(s.base, memberEmails, loginConcurrency, loginSeconds), service, eddsa);
    rows.push(hs, ...(ed ? [ed] : []));
  }
  let u = 0;
  if (runs('workspace')) rows.push(
    await cannon('workspace login', {
      url: `${base}/api/workspace/auth/login`,
      connections: loginConcurrency,
      duration: loginSeconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            headers: { ...json(), 'x-workspace': 'bench-ws' },
            body: JSON.stringify({ UserNameOrEmail: `user${u++ % USERS}`, Password: PASSWORD }),
          }),
        },
      ],
    }, rss),
  );
  // The same pipeline with no token and a small body: what every route pays before authentication.
  if (runs('health')) rows.push(await cannon('GET /api/health', { url: `${base}/api/health`, connections: 50, duration: seconds }, rss));
  // Forward auth (verify: me's checks, the identity in headers, no body) beside me, ABBA.
  if (runs('me') && runs('verify')) rows.push(...(await abba(['GET /api/auth/me', () => bearerLoad(base, '/api/auth/me', tokens, 50, seconds), service], ['GET /api/auth/verify', () => bearerLoad(base, '/api/auth/verify', tokens, 50, seconds), service])));
  else if (runs('me')) rows.push(await cannon('GET /api/auth/me', bearerLoad(base, '/api/auth/me', tokens, 50, seconds), rss));
  else if (runs('verify')) rows.push(await cannon('GET /api/auth/verify', bearerLoad(base, '/api/auth/verify', tokens, 50, seconds), rss));
  if (runs('refresh')) {
    const [hs, ed] = await pairOf('refresh (rotation)', (s) => refreshLoad(s.base, refreshPool, 50, seconds), service, eddsa);
    rows.push(hs, ...(ed ? [ed] : []));
  }
  await eddsa?.stop();

  const tickets: { email: string; token: string }[] = [];
  const wanted = !runs('impersonation') ? 0 : quick ? 3000 : 15000;
  for (let i = 0; tickets.length < wanted && i < wanted * 2; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: 50 }, async (_, k) => {
        const idx = (i + k) % members.length;
        const res = await fetch(`${base}/api/auth/impersonate/${members[idx]}`, {
          method: 'POST',
          headers: { ...json(), authorization: `Bearer ${adminToken}` },
          body: JSON.stringify({ reason: 'benchmark' }),
        });
        return res.ok ? { email: `user${idx}@bench.test`, token: ((await res.json()) as { impersonationToken: string }).impersonationToken } : null;
      }),
    );
    for (const b of batch) if (b) tickets.push(b);
    if (batch.every((b) => b === null)) break;
  }
  let refusal: string | undefined;
  if (tickets.length > 0) {
    rows.push(
      await cannon('impersonation redemption', {
        url: `${base}/api/auth/login`,
        connections: 50,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const ticket = tickets.shift();
              return ticket
                ? { ...req, headers: json(), body: JSON.stringify({ email: ticket.email, impersonationToken: ticket.token }) }
                : { ...req, method: 'GET', path: '/api/health' };
            },
            onResponse: (status, body) => {
              if (status !== 200 && refusal === undefined) refusal = `${status} ${body.slice(0, 200)}`;
            },
          },
        ],
      }, rss),
    );
  }

  if (refusal) log(`  impersonation redemption: the first refusal was ${refusal}`);

  let soakResult: { minutes: number; firstMiB: number; lastMiB: number; minMiB: number; maxMiB: number } | null = null;
  if (soak) {
    log('# soak: me + refresh for 5 minutes');
    const before = rss.samples.length;
    await Promise.all([autocannon(bearerLoad(base, '/api/auth/me', tokens, 25, 300)), autocannon(refreshLoad(base, refreshPool, 25, 300))]);
    const window = rss.samples.slice(before);
    const tail = window.slice(Math.floor(window.length / 5)); // after warm-up
    soakResult = {
      minutes: 5,
      firstMiB: tail[0]?.rssMiB ?? 0,
      lastMiB: tail[tail.length - 1]?.rssMiB ?? 0,
      minMiB: Math.min(...tail.map((s) => s.rssMiB)),
      maxMiB: Math.max(...tail.map((s) => s.rssMiB)),
    };
    log(`  RSS over the soak (after warm-up): ${soakResult.minMiB.toFixed(0)}–${soakResult.maxMiB.toFixed(0)} MiB`);
  }

  const peak = rss.peakMiB();
  if (profile) {
    service.process.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 1500));
    log(`\n# CPU profile of the service under load (${profileFile})\n${summarize(profileFile)}\n`);
  }
  await service.stop();

  log('# baselines');
  const bcryptChild = node('bench/baselines.ts', ['bcrypt', String(cost), String(loginConcurrency), String(loginSeconds)]);
  const bcryptCeiling = (JSON.parse((await output(bcryptChild)).trim()) as { perSecond: number }).perSecond;
  log(`  native bcrypt compare at cost ${cost}, ${loginConcurrency} concurrent: ${bcryptCeiling.toFixed(1)}/s`);
  const httpChild = node('bench/baselines.ts', ['http', String(Buffer.byteLength(meBody))]);
  const httpPort = await readyPort(httpChild);
  const bare = await cannon('bare node:http', { url: `http://127.0.0.1:${httpPort}/`, connections: 50, duration: seconds });
  httpChild.kill('SIGTERM');
  const nestChild = node('bench/baselines.ts', ['nest', String(Buffer.byteLength(meBody))]);
  const nestPort = await readyPort(nestChild);
  await cannon('NestJS + Fastify hello (warm-up)', { url: `http://127.0.0.1:${nestPort}/`, connections: 50, duration: 2 });
  const nest = await cannon('NestJS + Fastify hello', { url: `http://127.0.0.1:${nestPort}/`, connections: 50, duration: seconds });
  nestChild.kill('SIGTERM');
  // The same rotations on a bare node:http server running only the refresh's two statements,
  // under the same load generator: the HTTP ceiling the service's refresh is set beside.
  // Then behind NestJS + Fastify with the service's DTO and validation pipe: what the framework alone costs.
  // Both with the service's Node flags, so the collector works within the same memory bound.
  const refreshBaseline = async (name: string, mode: 'refresh-http' | 'refresh-nest'): Promise<Row> => {
    const child = node('bench/baselines.ts', [mode, database.url, String(POOL_SIZE)], SERVICE_NODE_FLAGS);
    const port = await readyPort(child);
    const sampler = processSampler(child.pid as number);
    const row = await cannon(name, refreshLoad(`http://127.0.0.1:${port}`, refreshPool, 50, seconds), sampler);
    sampler.stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    return row;
  };
  const refreshBaselines = runs('refresh')
    ? [await refreshBaseline('refresh over bare node:http', 'refresh-http'), await refreshBaseline('refresh over NestJS + Fastify', 'refresh-nest')]
    : [];

  // The refresh's database ceiling: the same statements, pool size and concurrency, named (prepared once per
  // connection) and unnamed (parsed each time); `--prepared` compares the service itself both ways.
  const ceilings = [];
  if (runs('refresh')) {
    for (const prepared of [true, false]) {
      const c = await refreshCeiling(database.url, refreshPool, { prepared, seconds, concurrency: 50, poolSize: POOL_SIZE });
      log(`  refresh statements straight through pg (${prepared ? 'prepared' : 'unprepared'}, 50 concurrent, pool ${POOL_SIZE}): ${c.perSecond.toFixed(1)}/s, p99 ${c.p99} ms, client CPU ${c.cpuMsPerRefresh.toFixed(3)} ms/refresh`);
      ceilings.push(c);
    }
  }
  await database.drop();

  const find = (name: string) => [...rows, ...refreshBaselines].find((r) => r.name === name);
  const preparedCeiling = ceilings.find((c) => c.prepared)?.perSecond ?? NaN;
  const ratio = (row: Row | undefined, ceiling: number) => (row ? row.reqPerSec / ceiling : NaN);
  const goals = [
    { what: 'password login / bcrypt ceiling', value: ratio(find('password login'), bcryptCeiling), goal: '≥ 0.9' },
    { what: 'workspace login / bcrypt ceiling', value: ratio(find('workspace login'), bcryptCeiling), goal: '≥ 0.9' },
    { what: 'me / bare node:http', value: ratio(find('GET /api/auth/me'), bare.reqPerSec), goal: '≥ 0.4, p99 ≤ 10 ms' },
    { what: 'verify / me', value: ratio(find('GET /api/auth/verify'), find('GET /api/auth/me')?.reqPerSec ?? NaN), goal: 'forward auth beside me (same checks, no body)' },
    { what: '(NestJS + Fastify hello / bare node:http)', value: nest.reqPerSec / bare.reqPerSec, goal: "the framework's own ceiling" },
    { what: '(me / NestJS + Fastify hello)', value: ratio(find('GET /api/auth/me'), nest.reqPerSec), goal: 'what me adds to the framework' },
    { what: 'login EdDSA / HS256', value: ratio(find('password login [EdDSA]'), find('password login')?.reqPerSec ?? NaN), goal: 'signing with JWT_ALGORITHM=EdDSA (bcrypt dominates)' },
    { what: 'refresh EdDSA / HS256', value: ratio(find('refresh (rotation) [EdDSA]'), find('refresh (rotation)')?.reqPerSec ?? NaN), goal: 'signing with JWT_ALGORITHM=EdDSA' },
    { what: 'refresh req/s', value: find('refresh (rotation)')?.reqPerSec ?? NaN, goal: '≥ 2000' },
    { what: 'refresh / its database ceiling (prepared)', value: ratio(find('refresh (rotation)'), preparedCeiling), goal: '≥ 0.6' },
    { what: '(refresh over bare node:http / its database ceiling)', value: ratio(find('refresh over bare node:http'), preparedCeiling), goal: 'what HTTP and the load generator leave of the ceiling on this machine' },
    { what: '(refresh over NestJS + Fastify / its database ceiling)', value: ratio(find('refresh over NestJS + Fastify'), preparedCeiling), goal: 'what the framework alone leaves of it' },
    { what: '(refresh / refresh over NestJS + Fastify)', value: ratio(find('refresh (rotation)'), find('refresh over NestJS + Fastify')?.reqPerSec ?? NaN), goal: "what the service's rules, signature, log and metrics cost" },
    { what: '(refresh ceiling unprepared / prepared)', value: (ceilings.find((c) => !c.prepared)?.perSecond ?? NaN) / preparedCeiling, goal: 'what parsing each statement costs the database' },
    { what: 'impersonation redemption req/s', value: find('impersonation redemption')?.reqPerSec ?? NaN, goal: '≥ 1000' },
    { what: 'RSS peak MiB', value: peak, goal: '≤ 150' },
    // ±x % around the middle of the soak's range (after its first minute).
    ...(soakResult ? [{ what: 'soak RSS ± % (5 min)', value: (100 * (soakResult.maxMiB - soakResult.minMiB)) / (soakResult.maxMiB + soakResult.minMiB), goal: '≤ ±10' }] : []),
  ];

  log('\n| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | RSS peak MiB | service CPU ms/request |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [...rows, bare, nest, ...refreshBaselines]) {
    log(`| ${r.name} | ${r.reqPerSec.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.rssPeakMiB?.toFixed(0) ?? ''} | ${r.cpuMsPerRequest?.toFixed(3) ?? ''} |`);
  }
  log(`| native bcrypt (cost ${cost}, ${loginConcurrency} concurrent) | ${bcryptCeiling.toFixed(1)} | | | | | | |`);
  log('\n| ratio | measured | goal / meaning |');
  log('| --- | ---: | --- |');
  for (const g of goals) log(`| ${g.what} | ${Number.isFinite(g.value) ? g.value.toFixed(2) : 'n/a'} | ${g.goal} |`);
  if (soakResult) log(`\nSoak: RSS ${soakResult.minMiB.toFixed(0)}–${soakResult.maxMiB.toFixed(0)} MiB over ${soakResult.minutes} min (flat if within ±10 %)`);
  return { quick, rows, bare, nestHello: nest, refreshBaselines, bcryptCeiling, refreshCeilings: ceilings, rssPeakMiB: peak, goals, soak: soakResult };
}

async function main(): Promise<void> {
  const mode = flag('--scale') ? 'scale' : flag('--prepared') ? 'prepared' : option('--before') ? 'before' : quick ? 'quick' : 'full';
  log(`# authgate benchmark (${mode}), bcrypt cost ${cost}, node ${process.version}, service flags: ${SERVICE_NODE_FLAGS.join(' ') || 'none'}, metrics ${process.env.BENCH_METRICS === '0' ? 'off' : 'on'}, ${new Date().toISOString()}`);
  const server = await databaseServer();
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  log(`# database server: ${(await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded, throwaway)'}`);
  await admin.end();
  const sideBySide = { rounds, seconds, loginSeconds, loginConcurrency, concurrency: 50, cost, sessions: quick ? 3000 : 30000 };
  const scenarios = (['login', 'refresh', 'me', 'verify'] as const).filter((s) => runs(s));
  const started = Date.now();
  try {
    const results =
      mode === 'scale'
        ? await runScale(server.url, { ...sideBySide, scenarios: [...scenarios], pruneSeconds: Number(option('--prune-seconds') ?? (quick ? 5 : 30)), counts: quick ? { ...SCALE, users: SCALE.users / 10 } : SCALE })
        : mode === 'prepared'
          ? await runPrepared(server.url, { ...sideBySide, scenarios: [...scenarios] })
          : mode === 'before'
            ? await runBefore(server.url, option('--before') as string, { ...sideBySide, scenarios: [...scenarios] })
            : await fullRun(server.url);
    const file = join(__dirname, mode === 'full' || mode === 'quick' ? 'results.json' : `results-${mode}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), mode, args, bcryptCost: cost, node: process.version, serviceNodeFlags: SERVICE_NODE_FLAGS, ...results }, null, 2) + '\n');
    log(`\nwrote ${file.slice(HERE.length + 1)} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
  } finally {
    await cleanUp();
    await server.stop();
  }
}

/** Whatever a failed or interrupted run left: its services and its databases. */
async function cleanUp(): Promise<void> {
  await stopAllServices();
  await dropAllDatabases().catch((err: unknown) => console.error('could not drop the bench databases:', err));
}
process.once('SIGINT', () => {
  log('\ninterrupted: stopping the services and dropping the bench databases');
  void cleanUp().finally(() => process.exit(130));
});

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
