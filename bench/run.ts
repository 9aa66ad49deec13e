/**
 * `npm run bench`: the service's throughput and latency beside the ceilings it is
 * measured against, all in one run on this machine.
 *
 *   npm run bench                 full run (~3 min)
 *   npm run bench -- --quick      ~20 s smoke run (CI may call it; nothing asserts a time)
 *   npm run bench -- --soak       adds a 5-minute soak of me+refresh sampling RSS
 *   npm run bench -- --cost 10    bcrypt cost (default BCRYPT_COST or 12)
 *   npm run bench -- --only me --profile
 *                                 one scenario (login, workspace, health, me, refresh, impersonation)
 *                                 with a V8 CPU profile of the service, summarised
 *
 * Uses DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 * Writes bench/results.json.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import bcrypt from 'bcrypt';
import { Client } from 'pg';
import type { AppConfig } from '../src/platform/config/app-config';
import { keyIdOf } from '../src/platform/config/load-config';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runMigrations } from '../src/platform/database/migrate';
import { generateRefreshToken, hashRefreshToken } from '../src/tokens/refresh-token.codec';
import { refreshCeiling } from './refresh-ceiling';
import { summarize } from './summarize-profile';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const soak = args.includes('--soak');
const costArg = args.indexOf('--cost');
const cost = costArg >= 0 ? Number(args[costArg + 1]) : Number(process.env.BCRYPT_COST ?? 12);
const seconds = quick ? 2 : 10;
const loginSeconds = quick ? 3 : 15;
const loginConcurrency = 4;
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const profile = args.includes('--profile');
const runs = (scenario: string) => only === undefined || only.split(',').includes(scenario);
const PASSWORD = 'CorrectHorseBatteryStaple!';
const USERS = 50;
/**
 * Node flags of the service process: those `npm run start:prod` runs it with (read
 * from package.json, so the benchmark measures what production runs), unless
 * BENCH_SERVICE_NODE_FLAGS replaces them for an experiment.
 */
const SERVICE_NODE_FLAGS = (process.env.BENCH_SERVICE_NODE_FLAGS ?? productionNodeFlags()).split(' ').filter(Boolean);

function productionNodeFlags(): string {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) \S+\.js$/.exec(scripts['start:prod'] ?? '');
  if (!match) throw new Error(`package.json's start:prod is not "node [--flags] <file>.js": ${scripts['start:prod']}`);
  return match[1].trim();
}

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** The service's peak RSS during this scenario (none for the baselines). */
  rssPeakMiB?: number;
}

const log = (msg: string) => process.stdout.write(`${msg}\n`);

function node(script: string, scriptArgs: string[], env: NodeJS.ProcessEnv = {}, flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...flags, '-r', '@swc-node/register', script, ...scriptArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/**
 * The service as production runs it: compiled by tsc (tsconfig.bench.json adds this
 * benchmark's entry to what `npm run build` compiles), not transpiled at load by
 * @swc-node/register, whose compiler would count in the service's RSS and CPU.
 */
function compiledService(env: NodeJS.ProcessEnv): ChildProcess {
  execFileSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bench.json'], { stdio: 'inherit' });
  return spawn(process.execPath, [...SERVICE_NODE_FLAGS, join('.bench-build', 'bench', 'app-process.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /ready (\d+)/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`process exited with ${code} before it was ready`)));
  });
}

function output(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (c: Buffer) => (buffer += c.toString()));
    child.on('exit', () => resolve(buffer));
  });
}

/** Resident memory of a process, sampled; VmHWM is the kernel's own peak. */
function rssSampler(pid: number) {
  const samples: { t: number; rssMiB: number }[] = [];
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      samples.push({ t: Date.now(), rssMiB: kb / 1024 });
    } catch {
      /* process gone */
    }
  };
  const timer = setInterval(read, 250);
  return {
    samples,
    peakMiB: () => Math.max(0, ...samples.map((s) => s.rssMiB)),
    stop: () => clearInterval(timer),
  };
}

/** The service's RSS sampler, once it runs: each scenario's row gets its own peak. */
let serviceRss: ReturnType<typeof rssSampler> | undefined;

async function cannon(name: string, opts: autocannon.Options): Promise<Row> {
  const from = serviceRss?.samples.length ?? 0;
  const result = await autocannon({ ...opts, duration: opts.duration ?? seconds });
  const during = serviceRss?.samples.slice(from) ?? [];
  const row: Row = {
    name,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    ...(during.length > 0 ? { rssPeakMiB: Math.max(...during.map((s) => s.rssMiB)) } : {}),
  };
  const rssNote = row.rssPeakMiB === undefined ? '' : `, RSS peak ${row.rssPeakMiB.toFixed(0)} MiB`;
  log(`  ${name}: ${row.reqPerSec.toFixed(1)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}${rssNote}`);
  return row;
}

async function main(): Promise<void> {
  log(`# authgate benchmark (${quick ? 'quick' : 'full'}), bcrypt cost ${cost}, node ${process.version}, service flags: ${SERVICE_NODE_FLAGS.join(' ') || 'none'}, metrics ${process.env.BENCH_METRICS === '0' ? 'off' : 'on'}`);
  let baseUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  const scratch = join('.data-bench', String(process.pid));
  if (!baseUrl) {
    const embedded = await startEmbeddedPostgres(join(scratch, 'postgres'), { throwaway: true, database: 'postgres' });
    baseUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      rmSync(scratch, { recursive: true, force: true });
    };
  }
  const dbName = `authgate_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await runMigrations(databaseUrl);

  log('# seeding');
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const hash = await bcrypt.hash(PASSWORD, cost);
  const org = (await db.query(`INSERT INTO organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id`)).rows[0].id as string;
  await db.query(
    `INSERT INTO users (organization_id, email, first_name, last_name, access_role, password_hash)
     VALUES ($1, 'admin@bench.test', 'Bench', 'Admin', 'ADMIN', $2)`,
    [org, hash],
  );
  const members: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const r = await db.query(
      `INSERT INTO users (organization_id, email, user_name, user_name_key, first_name, last_name, password_hash)
       VALUES ($1, $2, $3, $3, 'User', $4, $5) RETURNING id`,
      [org, `user${i}@bench.test`, `user${i}`, String(i), hash],
    );
    members.push(r.rows[0].id as string);
  }
  const ws = (
    await db.query(
      `INSERT INTO workspaces (organization_id, slug, name, locale, time_zone, date_time_format, date_format, time_format, region_code, modules, roles)
       VALUES ($1, 'bench-ws', 'Bench', 'en-GB', 'Europe/London', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy', 'HH:mm', 'eu',
               '{"Boards":true,"WorkInbox":true}', '[{"name":"Agent","permissions":["a.read","b.write"]}]') RETURNING id`,
      [org],
    )
  ).rows[0].id as string;
  for (const id of members) {
    await db.query(
      `INSERT INTO workspace_memberships (workspace_id, user_id, user_type, onboarding_status, roles, is_default)
       VALUES ($1, $2, 0, 2, '{Agent}', true)`,
      [ws, id],
    );
  }
  const refreshPool: string[] = [];
  const sessionCount = quick ? 3000 : 30000;
  const now = new Date();
  const expires = new Date(now.getTime() + 24 * 3600_000);
  for (let i = 0; i < sessionCount; i += 500) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let j = i; j < Math.min(sessionCount, i + 500); j++) {
      const token = generateRefreshToken();
      refreshPool.push(token);
      values.push(members[j % members.length], hashRefreshToken(token));
      tuples.push(`($${values.length - 1}::uuid, $${values.length}::bytea)`);
    }
    await db.query(
      `WITH input(user_id, token_hash) AS (VALUES ${tuples.join(',')}),
       s AS (
         INSERT INTO sessions (user_id, organization_id, method, created_at, last_activity_at, expires_at)
         SELECT user_id, '${org}', 'password', '${now.toISOString()}', '${now.toISOString()}', '${expires.toISOString()}' FROM input
         RETURNING id, user_id
       ), numbered AS (SELECT id, row_number() OVER () AS n FROM s), tokens AS (SELECT token_hash, row_number() OVER () AS n FROM input)
       INSERT INTO refresh_tokens (session_id, token_hash, created_at)
       SELECT numbered.id, tokens.token_hash, '${now.toISOString()}' FROM numbered JOIN tokens USING (n)`,
      values,
    );
  }
  log(`  ${USERS + 1} users, ${sessionCount} live sessions for refresh`);

  const secret = randomBytes(32).toString('base64url');
  const config: AppConfig = {
    env: 'production',
    port: 0,
    host: '127.0.0.1',
    dataDir: '.data-bench',
    database: { url: databaseUrl, poolSize: 10 },
    jwt: { current: { kid: keyIdOf(secret), secret }, previous: [], issuer: 'authgate', audience: 'authgate-api' },
    mfa: { encryptionKey: randomBytes(32).toString('base64') },
    bcryptCost: cost,
    refreshGraceSeconds: 10,
    sessionAbsoluteHours: 720,
    sessionCacheMs: 2000,
    impersonation: { tokenTtlSeconds: 600, sessionMaxMinutes: 60 },
    workos: { hostname: 'api.workos.com', https: true, timeoutMs: 5000, maxRetries: 1 },
    ssoRedirectUris: null,
    trustProxy: null,
    corsOrigins: [],
    logLevel: 'info',
    demoEnabled: false,
    // Production runs with its Prometheus listener; BENCH_METRICS=0 measures without it (the metrics' per-request cost).
    ...(process.env.BENCH_METRICS === '0' ? {} : { metrics: { port: 0 } }),
  };
  const profileFile = join(__dirname, 'profiles', `${only ?? 'all'}-${Date.now()}.cpuprofile`);
  if (profile) mkdirSync(join(__dirname, 'profiles'), { recursive: true });
  log('# compiling the service (tsc -p tsconfig.bench.json)');
  const appProcess = compiledService({
    BENCH_CONFIG: JSON.stringify(config),
    ...(profile ? { BENCH_PROFILE: profileFile } : {}),
  });
  const port = await readyPort(appProcess);
  const base = `http://127.0.0.1:${port}`;
  const rss = rssSampler(appProcess.pid as number);
  serviceRss = rss;
  log(`# service on ${base} (pid ${appProcess.pid})`);

  const rows: Row[] = [];
  // A fresh object each time: autocannon adds content-length to the headers it is given.
  const json = (): Record<string, string> => ({ 'content-type': 'application/json' });

  // Bearer tokens for `me`, from real logins.
  const tokens: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({ email: `user${i}@bench.test`, password: PASSWORD }),
    });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  const adminLogin = (await (
    await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json(), body: JSON.stringify({ email: 'admin@bench.test', password: PASSWORD }) })
  ).json()) as { token: string };
  const meBody = await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${tokens[0]}` } })).text();

  log('# measuring');
  if (profile) appProcess.kill('SIGUSR2');
  let u = 0;
  if (runs('login')) rows.push(
    await cannon('password login', {
      url: `${base}/api/auth/login`,
      connections: loginConcurrency,
      duration: loginSeconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({ ...req, headers: json(), body: JSON.stringify({ email: `user${u++ % USERS}@bench.test`, password: PASSWORD }) }),
        },
      ],
    }),
  );
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
    }),
  );
  // The same pipeline with no token and a small body: what every route pays before authentication.
  if (runs('health')) rows.push(await cannon('GET /api/health', { url: `${base}/api/health`, connections: 50 }));
  let t = 0;
  if (runs('me')) rows.push(
    await cannon('GET /api/auth/me', {
      url: `${base}/api/auth/me`,
      connections: 50,
      setupClient: (client) => client.setHeaders({ authorization: `Bearer ${tokens[t++ % tokens.length]}` }),
    }),
  );
  if (runs('refresh')) rows.push(
    await cannon('refresh (rotation)', {
      url: `${base}/api/auth/refresh`,
      connections: 50,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const token = refreshPool.shift();
            return token ? { ...req, headers: json(), body: JSON.stringify({ refreshToken: token }) } : { ...req, path: '/api/health' };
          },
          onResponse: (status, body) => {
            if (status === 200) refreshPool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
          },
        },
      ],
    }),
  );

  const tickets: { email: string; token: string }[] = [];
  const wanted = !runs('impersonation') ? 0 : quick ? 3000 : 15000;
  for (let i = 0; tickets.length < wanted && i < wanted * 2; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: 50 }, async (_, k) => {
        const idx = (i + k) % members.length;
        const res = await fetch(`${base}/api/auth/impersonate/${members[idx]}`, {
          method: 'POST',
          headers: { ...json(), authorization: `Bearer ${adminLogin.token}` },
          body: JSON.stringify({ reason: 'benchmark' }),
        });
        return res.ok ? { email: `user${idx}@bench.test`, token: ((await res.json()) as { impersonationToken: string }).impersonationToken } : null;
      }),
    );
    for (const b of batch) if (b) tickets.push(b);
    if (batch.every((b) => b === null)) break;
  }
  if (tickets.length > 0) {
    rows.push(
      await cannon('impersonation redemption', {
        url: `${base}/api/auth/login`,
        connections: 50,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const ticket = tickets.shift();
              return ticket
                ? { ...req, headers: json(), body: JSON.stringify({ email: ticket.email, impersonationToken: ticket.token }) }
                : { ...req, method: 'GET', path: '/api/health' };
            },
          },
        ],
      }),
    );
  } else {
    log('  impersonation redemption: skipped (POST /api/auth/impersonate/{userId} not available)');
  }

  let soakResult: { minutes: number; firstMiB: number; lastMiB: number; minMiB: number; maxMiB: number } | null = null;
  if (soak) {
    log('# soak: me + refresh for 5 minutes');
    const before = rss.samples.length;
    await Promise.all([
      autocannon({ url: `${base}/api/auth/me`, connections: 25, duration: 300, setupClient: (c) => c.setHeaders({ authorization: `Bearer ${tokens[t++ % tokens.length]}` }) }),
      autocannon({
        url: `${base}/api/auth/refresh`,
        connections: 25,
        duration: 300,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const token = refreshPool.shift();
              return token ? { ...req, headers: json(), body: JSON.stringify({ refreshToken: token }) } : { ...req, path: '/api/health' };
            },
            onResponse: (status, body) => {
              if (status === 200) refreshPool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
            },
          },
        ],
      }),
    ]);
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

  rss.stop();
  serviceRss = undefined;
  const peak = rss.peakMiB();
  if (profile) {
    appProcess.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 1500));
    log(`\n# CPU profile of the service under load (${profileFile})\n${summarize(profileFile)}\n`);
  }
  appProcess.kill('SIGTERM');
  await new Promise((r) => appProcess.on('exit', r));

  log('# baselines');
  const bcryptChild = node('bench/baselines.ts', ['bcrypt', String(cost), String(loginConcurrency), String(loginSeconds)]);
  const bcryptCeiling = (JSON.parse((await output(bcryptChild)).trim()) as { perSecond: number }).perSecond;
  log(`  native bcrypt compare at cost ${cost}, ${loginConcurrency} concurrent: ${bcryptCeiling.toFixed(1)}/s`);
  const httpChild = node('bench/baselines.ts', ['http', String(Buffer.byteLength(meBody))]);
  const httpPort = await readyPort(httpChild);
  const bare = await cannon('bare node:http', { url: `http://127.0.0.1:${httpPort}/`, connections: 50 });
  httpChild.kill('SIGTERM');
  const nestChild = node('bench/baselines.ts', ['nest', String(Buffer.byteLength(meBody))]);
  const nestPort = await readyPort(nestChild);
  await cannon('NestJS + Fastify hello (warm-up)', { url: `http://127.0.0.1:${nestPort}/`, connections: 50, duration: 2 });
  const nest = await cannon('NestJS + Fastify hello', { url: `http://127.0.0.1:${nestPort}/`, connections: 50 });
  nestChild.kill('SIGTERM');

  // The refresh's database ceiling, and the evidence for DATABASE_PREPARED_STATEMENTS' default: the same
  // statements, same pool size and concurrency, named (prepared once per connection) and unnamed (parsed each time).
  const ceilings = [];
  if (runs('refresh')) {
    for (const prepared of [true, false]) {
      const c = await refreshCeiling(databaseUrl, refreshPool, { prepared, seconds, concurrency: 50, poolSize: config.database.poolSize });
      log(`  refresh statements straight through pg (${prepared ? 'prepared' : 'unprepared'}, 50 concurrent, pool ${config.database.poolSize}): ${c.perSecond.toFixed(1)}/s, p99 ${c.p99} ms`);
      ceilings.push(c);
    }
  }

  await db.end();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await stopEmbedded?.();

  const find = (name: string) => rows.find((r) => r.name === name);
  const ratio = (row: Row | undefined, ceiling: number) => (row ? row.reqPerSec / ceiling : NaN);
  const goals = [
    { what: 'password login / bcrypt ceiling', value: ratio(find('password login'), bcryptCeiling), goal: '≥ 0.9' },
    { what: 'workspace login / bcrypt ceiling', value: ratio(find('workspace login'), bcryptCeiling), goal: '≥ 0.9' },
    { what: 'me / bare node:http', value: ratio(find('GET /api/auth/me'), bare.reqPerSec), goal: '≥ 0.4, p99 ≤ 10 ms' },
    { what: '(NestJS + Fastify hello / bare node:http)', value: nest.reqPerSec / bare.reqPerSec, goal: 'the framework\'s own ceiling' },
    { what: '(me / NestJS + Fastify hello)', value: ratio(find('GET /api/auth/me'), nest.reqPerSec), goal: 'what me adds to the framework' },
    { what: 'refresh req/s', value: find('refresh (rotation)')?.reqPerSec ?? NaN, goal: '≥ 2000' },
    { what: 'refresh / its database ceiling (prepared)', value: ratio(find('refresh (rotation)'), ceilings.find((c) => c.prepared)?.perSecond ?? NaN), goal: '≥ 0.6' },
    { what: '(refresh ceiling unprepared / prepared)', value: (ceilings.find((c) => !c.prepared)?.perSecond ?? NaN) / (ceilings.find((c) => c.prepared)?.perSecond ?? NaN), goal: 'DATABASE_PREPARED_STATEMENTS evidence' },
    { what: 'impersonation redemption req/s', value: find('impersonation redemption')?.reqPerSec ?? NaN, goal: '≥ 1000' },
    { what: 'RSS peak MiB', value: peak, goal: '≤ 150' },
    // ±x % around the middle of the soak's range (after its first minute).
    ...(soakResult
      ? [{ what: 'soak RSS ± % (5 min)', value: (100 * (soakResult.maxMiB - soakResult.minMiB)) / (soakResult.maxMiB + soakResult.minMiB), goal: '≤ ±10' }]
      : []),
  ];

  log('\n| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | RSS peak MiB |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [...rows, bare, nest]) {
    log(`| ${r.name} | ${r.reqPerSec.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.rssPeakMiB?.toFixed(0) ?? ''} |`);
  }
  log(`| native bcrypt (cost ${cost}, ${loginConcurrency} concurrent) | ${bcryptCeiling.toFixed(1)} | | | | | |`);
  log('\n| ratio | measured | goal |');
  log('| --- | ---: | --- |');
  for (const g of goals) log(`| ${g.what} | ${Number.isFinite(g.value) ? g.value.toFixed(2) : 'n/a'} | ${g.goal} |`);
  if (soakResult) log(`\nSoak: RSS ${soakResult.minMiB.toFixed(0)}–${soakResult.maxMiB.toFixed(0)} MiB over ${soakResult.minutes} min (flat if within ±10 %)`);

  writeFileSync(
    join(__dirname, 'results.json'),
    JSON.stringify(
      { date: new Date().toISOString(), quick, bcryptCost: cost, node: process.version, serviceNodeFlags: SERVICE_NODE_FLAGS, rows, bare, nestHello: nest, bcryptCeiling, refreshCeilings: ceilings, rssPeakMiB: peak, goals, soak: soakResult },
      null,
      2,
    ) + '\n',
  );
  log('\nwrote bench/results.json');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
