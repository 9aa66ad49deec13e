/**
 * `npm test`: runs every test file with node's test runner against a real PostgreSQL.
 *
 * - With TEST_DATABASE_URL (or DATABASE_URL) set, that server is used.
 * - Otherwise a throwaway embedded PostgreSQL is started under .data-test/ and removed after.
 *
 * Migrations run once, into a template database; each test file then creates its
 * own database from the template (see test/support/database.ts), so files are
 * isolated and run in parallel.
 *
 *   npm test                      all unit and end-to-end tests
 *   npm test -- test/auth         only files under test/auth
 *   npm test -- --e2e             only end-to-end tests (*.e2e.ts)
 *   npm test -- client/test       only the SPA client's unit tests
 *
 * With TEST_PGBOUNCER=1 the applications under test (and the tests' own connections to
 * their databases) go through a PgBouncer in transaction pooling mode in front of that
 * server, with DATABASE_PREPARED_STATEMENTS off, as docs/deployment.md runs it; creating
 * and dropping the per-file databases still talks to the server directly.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { startPgBouncer } from '../test/support/pgbouncer';

// A test that hangs fails by name after 10 minutes (the slowest, test/project/production-paths.e2e.ts,
// takes about 2), and its file's after hooks still run and stop what it started.
const TEST_TIMEOUT_MS = 600_000;

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (/\.(spec|e2e)\.ts$/.test(entry)) out.push(path);
  }
  return out;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const e2eOnly = args.includes('--e2e');
  const roots = args.filter((a) => !a.startsWith('--'));
  // client/test: the SPA client's own unit tests (the package lives in client/).
  let files = (roots.length ? roots : ['test', 'client/test']).flatMap((r) => (statSync(r).isDirectory() ? findTests(r) : [r]));
  if (e2eOnly) files = files.filter((f) => f.endsWith('.e2e.ts'));
  files = files.filter((f) => !f.includes(`${join('test', 'browser')}`) || roots.length > 0);
  if (files.length === 0) {
    console.error('no test files found');
    return 1;
  }

  let baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  const scratch = join('.data-test', `${process.pid}`);
  if (!baseUrl) {
    console.log('# starting a throwaway embedded PostgreSQL under', scratch);
    const embedded = await startEmbeddedPostgres(join(scratch, 'postgres'), { throwaway: true, database: 'postgres' });
    baseUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      rmSync(scratch, { recursive: true, force: true });
    };
  }

  const template = `authgate_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const ds = new DataSource(dataSourceOptions(withDatabase(baseUrl, template), 2));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();

  const pooler = process.env.TEST_PGBOUNCER === '1' ? await startPgBouncer(baseUrl) : undefined;
  if (pooler) console.log(`# through PgBouncer (transaction pooling) on ${pooler.url}`);

  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', '-r', '@swc-node/register', ...files.map((f) => relative('.', f))],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        TEST_DATABASE_URL: baseUrl,
        TEST_TEMPLATE_DB: template,
        NODE_ENV: 'test',
        ...(pooler ? { TEST_POOLED_DATABASE_URL: pooler.url } : {}),
      },
    },
  );
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  await pooler?.stop();

  const prefix = `${template.replace('tpl', 't')}%`;
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()`, [prefix]);
  const leftovers = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [template, prefix],
  );
  for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`);
  await admin.end();
  await stopEmbedded?.();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
