/**
 * `npm run bench -- --scale`: the small run's data alone beside the same data plus
 * 1,000,000 users, 1,000,000 ended sessions and 5,000,000 refresh tokens, measured side
 * by side (scale / small, goal ≥ 0.9 each); then, on the big database, refresh without
 * and with a prune of the million ended sessions running (`npm run prune`, the cron
 * way: the service's own PrunerService in a process of its own), p99 with / without
 * (goal ≤ 2); then the refresh's own statements straight through `pg` on each database
 * (refresh / its database ceiling, goal ≥ 0.6).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { benchConfig, POOL_SIZE } from './config';
import { cannon, log, refreshLoad, Row } from './load';
import { refreshCeiling, Ceiling } from './refresh-ceiling';
import { loadScale, ScaleCounts, tableSizes } from './scale-load';
import { bcryptHashOf, createDatabase, seedSmall } from './seed';
import { HERE } from './service';
import { measureSideBySide, printSideBySide, ratioOf, Scenario, SideBySideOptions } from './side-by-side';

export interface ScaleOptions extends SideBySideOptions {
  cost: number;
  sessions: number;
  /** How long each refresh run of the prune comparison lasts. */
  pruneSeconds: number;
  counts: ScaleCounts;
}

interface PruneRun {
  deleted: Record<string, number>;
  ms: number;
}

const withoutMetricsPort = ({ METRICS_PORT: _port, ...env }: NodeJS.ProcessEnv): NodeJS.ProcessEnv => env;

/** `npm run prune` on `databaseUrl`; resolves when it has finished, with what it printed. */
function startPrune(databaseUrl: string): { done: Promise<PruneRun> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'authgate-bench-prune-'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(HERE, 'scripts', 'prune.ts')], {
    cwd: HERE,
    env: { ...withoutMetricsPort(process.env), NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<PruneRun>((resolve, reject) =>
    child.on('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`npm run prune exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as PruneRun);
    }),
  );
  return { done };
}

/** Waits until the pruner's first DELETE is running (its start-up compiles and boots Nest first). */
async function prunerDeleting(databaseUrl: string, timeoutMs = 120_000): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%doomed AS (SELECT%' AND pid <> pg_backend_pid()`);
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the pruner did not start deleting within 2 minutes');
  } finally {
    await db.end();
  }
}

export async function runScale(serverUrl: string, options: ScaleOptions): Promise<object> {
  const hash = await bcryptHashOf(options.cost);
  log(`# small database: ${options.sessions.toLocaleString('en')} live sessions`);
  const small = await createDatabase(serverUrl, HERE, 'authgate_bench_small');
  const smallSeed = await seedSmall(small.url, hash, options.sessions);
  const { counts } = options;
  log(`# scale database (authgate_bench_scale): the same, plus ${counts.users.toLocaleString('en')} users, as many ended sessions and ${(counts.users * counts.tokensPerSession).toLocaleString('en')} refresh tokens`);
  const scale = await createDatabase(serverUrl, HERE, 'authgate_bench_scale');
  const scaleSeed = await seedSmall(scale.url, hash, options.sessions);
  const loadSeconds = await loadScale(scale.url, hash, counts);
  const sizes = await tableSizes(scale.url);
  log(`  loaded in ${loadSeconds.toFixed(0)} s: ${sizes}`);

  const result = await measureSideBySide(
    [
      { label: 'small', checkout: HERE, config: benchConfig(small.url, options.cost), database: small, seeded: smallSeed },
      { label: 'scale', checkout: HERE, config: benchConfig(scale.url, options.cost), database: scale, seeded: scaleSeed },
    ],
    options,
  );
  const [smallService, scaleService] = result.services;
  await smallService.stop();

  log(`\n# refresh on the scale database, ${options.pruneSeconds} s without, then ${options.pruneSeconds} s with a prune of the ended sessions running`);
  const without = await cannon('refresh [scale, no prune]', refreshLoad(scaleService.base, scaleSeed.refreshPool, options.concurrency, options.pruneSeconds), scaleService.rss);
  const prune = startPrune(scale.url);
  await prunerDeleting(scale.url);
  const pruneStarted = Date.now();
  const during: Row = await cannon('refresh [scale, prune running]', refreshLoad(scaleService.base, scaleSeed.refreshPool, options.concurrency, options.pruneSeconds), scaleService.rss);
  const stillRunning = await Promise.race([prune.done.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 0))]);
  log(`  the prune ${stillRunning ? 'was still running when the refresh run ended; waiting for it' : 'ended during the refresh run'}`);
  const pruned = await prune.done;
  log(`  npm run prune: ${JSON.stringify(pruned.deleted)} in ${(pruned.ms / 1000).toFixed(1)} s (deleting for ${((Date.now() - pruneStarted) / 1000).toFixed(1)} s after its first DELETE)`);
  await scaleService.stop();

  const ceilings: Record<string, Ceiling> = {};
  for (const [label, db, seed] of [['small', small, smallSeed], ['scale', scale, scaleSeed]] as const) {
    ceilings[label] = await refreshCeiling(db.url, seed.refreshPool, { prepared: true, seconds: options.seconds, concurrency: options.concurrency, poolSize: POOL_SIZE });
    log(`  refresh statements straight through pg [${label}] (prepared, ${options.concurrency} concurrent, pool ${POOL_SIZE}): ${ceilings[label].perSecond.toFixed(1)}/s, p99 ${ceilings[label].p99} ms, client CPU ${ceilings[label].cpuMsPerRefresh.toFixed(3)} ms/refresh`);
  }
  await small.drop();
  await scale.drop();
  log('  dropped authgate_bench_small and authgate_bench_scale');

  printSideBySide(result);
  const refreshOf = (i: number) => result.cells.refresh?.[i]?.reqPerSec ?? NaN;
  const goals: { what: string; value: number; goal: string; detail?: string }[] = [
    ...(['login', 'refresh', 'me', 'verify'] as Scenario[]).map((s) => ({ what: `${s}: scale / small`, value: ratioOf(result, s, 1), goal: '≥ 0.9' })),
    { what: 'refresh p99 with the prune / without (ms)', value: during.p99 / without.p99, goal: '≤ 2', detail: `${during.p99} / ${without.p99}` },
    { what: '(refresh req/s with the prune / without)', value: during.reqPerSec / without.reqPerSec, goal: '', detail: `${during.reqPerSec.toFixed(0)} / ${without.reqPerSec.toFixed(0)}` },
    { what: 'refresh / its database ceiling [small]', value: refreshOf(0) / ceilings.small.perSecond, goal: '≥ 0.6', detail: `${refreshOf(0).toFixed(0)} / ${ceilings.small.perSecond.toFixed(0)}` },
    { what: 'refresh / its database ceiling [scale]', value: refreshOf(1) / ceilings.scale.perSecond, goal: '≥ 0.6', detail: `${refreshOf(1).toFixed(0)} / ${ceilings.scale.perSecond.toFixed(0)}` },
  ];
  log('\n| ratio | measured | figures | goal |');
  log('| --- | ---: | ---: | --- |');
  for (const g of goals) log(`| ${g.what} | ${Number.isFinite(g.value) ? g.value.toFixed(2) : 'n/a'} | ${g.detail ?? ''} | ${g.goal} |`);
  log(`\nScale data: ${sizes}; loaded in ${loadSeconds.toFixed(0)} s. Prune: ${JSON.stringify(pruned.deleted)} in ${(pruned.ms / 1000).toFixed(1)} s.`);
  return { loadSeconds, sizes, cells: result.cells, labels: result.labels, prune: { without, during, pruned }, ceilings, goals };
}
