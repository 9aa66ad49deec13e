/**
 * `npm run seed -- [file.json] [--dry-run]`: loads a fixture (the format:
 * docs/fixtures.md) into the configured database, after pending migrations. Without
 * a file, the project's demo fixture. The embedded PostgreSQL under ./.data unless
 * DATABASE_URL is set, as for `npm start`.
 *
 * Exit codes: 0 loaded (or nothing to change), 1 fixture refused (every problem
 * listed, nothing written), 2 bad usage, unreadable file or invalid JSON,
 * 3 database failure (unreachable, migration failed, write failed; nothing written).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../src/auth/passwords/password-hasher.service';
import { EnvironmentError, validateEnvironment } from '../src/platform/config/environment';
import { buildAppConfig } from '../src/platform/config/load-config';
import { ENTITIES } from '../src/entities';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runMigrations } from '../src/platform/database/migrate';
import { DEMO_FIXTURE_PATH, demoFixture } from '../src/fixtures/demo-seed';
import { formatProblem, FixtureProblem, FixtureRejectedError } from '../src/fixtures/fixture-error';
import type { Fixture } from '../src/fixtures/fixture.types';
import { loadFixture } from '../src/fixtures/load-fixture';
import { FixtureFileError, readFixtureFile } from '../src/fixtures/read-fixture-file';
import { changedAnything, formatSummary } from '../src/fixtures/seed-summary';
import { validateFixture } from '../src/fixtures/validate-fixture';

const USAGE = `usage: npm run seed -- [file.json] [--dry-run]
  Loads a fixture into DATABASE_URL (default: the embedded PostgreSQL under ./.data).
  Without a file: ${DEMO_FIXTURE_PATH}. --dry-run: check and report, write nothing.`;

const EXIT = { ok: 0, refused: 1, usage: 2, database: 3 } as const;

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string | null; dryRun: boolean; help: boolean } {
  const files = argv.filter((a) => !a.startsWith('--'));
  const flags = argv.filter((a) => a.startsWith('--'));
  const unknown = flags.filter((f) => !['--dry-run', '--help'].includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(', ')}`);
  if (files.length > 1) throw new UsageError(`one fixture file at a time (got ${files.length})`);
  return { file: files[0] ?? null, dryRun: flags.includes('--dry-run'), help: flags.includes('--help') };
}

function refuse(name: string, problems: FixtureProblem[]): number {
  const count = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  console.error(`${name}: refused, ${count}; nothing was written:`);
  for (const p of problems) console.error(`  ${formatProblem(p)}`);
  return EXIT.refused;
}

/** The address without its password, for the progress line. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const env = validateEnvironment(process.env);

  // The whole file is checked before any database is started or touched.
  const name = args.file ?? DEMO_FIXTURE_PATH;
  let fixture: Fixture;
  if (args.file === null) {
    fixture = demoFixture();
  } else {
    const result = validateFixture(await readFixtureFile(args.file));
    if (!result.ok) return refuse(name, result.problems);
    fixture = result.fixture;
  }

  let embedded: EmbeddedDatabase | undefined;
  let dataSource: DataSource | undefined;
  try {
    let url = env.DATABASE_URL;
    if (!url) {
      const dir = join(env.DATA_DIR, 'postgres');
      console.log(`Starting the embedded PostgreSQL under ${dir} …`);
      embedded = await startEmbeddedPostgres(dir, { log: (line) => console.error(line) });
      url = embedded.url;
    }
    const config = buildAppConfig(env, url);
    console.log(`Loading ${name} into ${shownUrl(url)}${args.dryRun ? ' (dry run: nothing will be written)' : ''}`);
    const applied = await runMigrations(url);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
    dataSource = await new DataSource(dataSourceOptions(url, 2, undefined, undefined, ENTITIES)).initialize();
    const summary = await loadFixture(dataSource, fixture, { hasher: new PasswordHasher(config), now: new Date(), dryRun: args.dryRun });
    for (const line of formatSummary(summary)) console.log(`  ${line}`);
    const verdict = changedAnything(summary) ? (args.dryRun ? 'Would change the database.' : 'Done.') : 'Nothing to change.';
    console.log(verdict);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof FixtureRejectedError) return refuse(name, err.problems);
    console.error(`Database failure, nothing was written: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.database;
  } finally {
    await dataSource?.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof FixtureFileError || err instanceof EnvironmentError) {
      console.error(err.message);
      process.exit(EXIT.usage);
    }
    console.error(err);
    process.exit(EXIT.database);
  },
);
