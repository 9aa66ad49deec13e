/**
 * The side-by-side modes of `npm run bench`:
 *   --prepared      DATABASE_PREPARED_STATEMENTS true vs false, direct to PostgreSQL, and
 *                   false through PgBouncer 1.18 in transaction mode (the only setting it
 *                   can run), on the hot paths; plus the refresh's statements straight
 *                   through pg, prepared and unprepared
 *   --before <dir>  another checkout of the project (its own `npm ci` done) beside this
 *                   one, each on its own migrations: a before/after of a change
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startPgBouncer } from '../test/support/pgbouncer';
import { benchConfig, POOL_SIZE } from './config';
import { log } from './load';
import { refreshCeiling } from './refresh-ceiling';
import { bcryptHashOf, BenchDatabase, createDatabase, seedSmall } from './seed';
import { HERE } from './service';
import { measureSideBySide, printSideBySide, SideBySideOptions, Variant } from './side-by-side';

export interface ComparisonOptions extends SideBySideOptions {
  cost: number;
  sessions: number;
}

async function stopAll(result: { services: { stop(): Promise<void> }[] }, databases: BenchDatabase[]): Promise<void> {
  for (const s of result.services) await s.stop();
  for (const d of databases) await d.drop();
}

export async function runPrepared(serverUrl: string, options: ComparisonOptions): Promise<object> {
  const hash = await bcryptHashOf(options.cost);
  const bouncer = await startPgBouncer(serverUrl, { mode: 'transaction' });
  const pgbouncerVersion = execFileSync('/usr/sbin/pgbouncer', ['--version']).toString().split('\n')[0];
  log(`# ${pgbouncerVersion} on port ${bouncer.port}, transaction pooling`);
  const databases: BenchDatabase[] = [];
  const variants: Variant[] = [];
  for (const [label, prepared, viaBouncer] of [
    ['prepared', true, false],
    ['unprepared', false, false],
    ['unprepared via PgBouncer', false, true],
  ] as const) {
    const database = await createDatabase(serverUrl, HERE);
    databases.push(database);
    const seeded = await seedSmall(database.url, hash, options.sessions);
    const url = new URL(viaBouncer ? bouncer.url : database.url);
    url.pathname = `/${database.name}`;
    variants.push({ label, checkout: HERE, config: benchConfig(url.toString(), options.cost, { preparedStatements: prepared }), database, seeded });
  }
  const result = await measureSideBySide(variants, options);
  await Promise.all(result.services.map((s) => s.stop()));
  result.services = [];
  const ceilings = [];
  for (const prepared of [true, false]) {
    const c = await refreshCeiling(databases[0].url, variants[0].seeded.refreshPool, { prepared, seconds: options.seconds, concurrency: options.concurrency, poolSize: POOL_SIZE });
    log(`  refresh statements straight through pg (${prepared ? 'prepared' : 'unprepared'}, ${options.concurrency} concurrent, pool ${POOL_SIZE}): ${c.perSecond.toFixed(1)}/s, p99 ${c.p99} ms`);
    ceilings.push(c);
  }
  await stopAll(result, databases);
  await bouncer.stop();
  printSideBySide(result);
  log(`\n| refresh statements straight through pg | prepared /s | unprepared /s | unprepared / prepared |`);
  log('| --- | ---: | ---: | ---: |');
  log(`| ${options.concurrency} concurrent, pool ${POOL_SIZE} | ${ceilings[0].perSecond.toFixed(1)} | ${ceilings[1].perSecond.toFixed(1)} | ${(ceilings[1].perSecond / ceilings[0].perSecond).toFixed(2)} |`);
  log(`\n${pgbouncerVersion}: the named statements do not survive its transaction pooling, so only "unprepared" runs through it.`);
  return { labels: result.labels, cells: result.cells, ceilings, pgbouncer: pgbouncerVersion };
}

const headOf = (dir: string) => execFileSync('git', ['-C', dir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();

export async function runBefore(serverUrl: string, beforeDir: string, options: ComparisonOptions): Promise<object> {
  const before = resolve(beforeDir);
  const hash = await bcryptHashOf(options.cost);
  const heads = { before: headOf(before), here: headOf(HERE) };
  log(`# before: ${before} at ${heads.before}\n# after: ${HERE} at ${heads.here}`);
  const databases: BenchDatabase[] = [];
  const variants: Variant[] = [];
  for (const [label, checkout] of [
    ['before', before],
    ['after', HERE],
  ] as const) {
    const database = await createDatabase(serverUrl, checkout);
    databases.push(database);
    const seeded = await seedSmall(database.url, hash, options.sessions);
    variants.push({ label, checkout, config: benchConfig(database.url, options.cost), database, seeded });
  }
  const result = await measureSideBySide(variants, options);
  await stopAll(result, databases);
  printSideBySide(result);
  log(`\nbefore = ${heads.before}\nafter = ${heads.here}`);
  return { heads, labels: result.labels, cells: result.cells };
}
