/**
 * Imports local users into WorkOS with their bcrypt hashes and marks them migrated.
 *
 *   npm run workos:migrate -- --org <slug> [--dry-run] [--concurrency N]
 *   npm run workos:migrate -- --all        [--dry-run] [--concurrency N]
 *
 * Reads DATABASE_URL (or the embedded database, via scripts/with-database.ts) and
 * the WORKOS_* variables. Safe to interrupt and to rerun: see WorkosMigrator.
 * Exit code: 0 all done, 1 some users failed (rerun), 2 stopped early or bad usage.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createIdentityProvider } from '../src/auth/identity-provider/identity-provider.factory';
import { MigrationReport, UserMigrationResult, WorkosMigrator } from '../src/auth/identity-provider/migration/workos-migrator';
import type { AppConfig } from '../src/platform/config/app-config';
import { EnvironmentError, validateEnvironment } from '../src/platform/config/environment';
import { ENTITIES } from '../src/entities';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { Organization } from '../src/identity/organizations/organization.entity';
import { User } from '../src/identity/users/user.entity';
import { WorkosAccountsService } from '../src/identity/users/workos-accounts.service';

interface Args {
  org?: string;
  all: boolean;
  dryRun: boolean;
  concurrency: number;
}

const USAGE = 'usage: npm run workos:migrate -- (--org <slug> | --all) [--dry-run] [--concurrency N]';

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { all: false, dryRun: false, concurrency: 4 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--all') args.all = true;
    else if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--org') {
      args.org = argv[++i];
      if (!args.org || args.org.startsWith('--')) throw new UsageError('--org needs a slug');
    }
    else if (arg === '--concurrency') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError('--concurrency must be an integer from 1 to 32');
      args.concurrency = n;
    } else throw new UsageError(`unknown argument: ${arg}`);
  }
  if (args.all === (args.org !== undefined)) throw new UsageError('give exactly one of --org <slug> or --all');
  return args;
}

function workosConfig(): AppConfig['workos'] {
  const env = validateEnvironment(process.env);
  return {
    apiKey: env.WORKOS_API_KEY,
    clientId: env.WORKOS_CLIENT_ID,
    hostname: env.WORKOS_API_HOSTNAME,
    port: env.WORKOS_API_PORT,
    https: env.WORKOS_API_HTTPS,
    timeoutMs: env.WORKOS_TIMEOUT_MS,
    maxRetries: env.WORKOS_MAX_RETRIES,
  };
}

const line = (result: UserMigrationResult, done: number, total: number): string => {
  const parts = [`[${done}/${total}]`, result.outcome.padEnd(9), result.email];
  if (result.workosUserId) parts.push(`→ ${result.workosUserId}`);
  if (result.detail) parts.push(`(${result.detail})`);
  return parts.join(' ');
};

const summary = (r: MigrationReport): string =>
  `done: ${r.processed}/${r.total} processed — created ${r.created}, linked ${r.linked}, confirmed ${r.confirmed}, skipped ${r.skipped}, failed ${r.failed}`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const workos = workosConfig();
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError('DATABASE_URL is not set (npm run workos:migrate sets it to the embedded database when unset)');
  if (!args.dryRun && (!workos.apiKey || !workos.clientId)) {
    throw new UsageError('WORKOS_API_KEY and WORKOS_CLIENT_ID must be set (or use --dry-run)');
  }

  const ds = new DataSource(dataSourceOptions(url, args.concurrency + 1, undefined, undefined, ENTITIES));
  await ds.initialize();
  try {
    const orgs = args.all
      ? await ds.getRepository(Organization).find({ order: { slug: 'ASC' } })
      : await ds.getRepository(Organization).findBy({ slug: args.org });
    if (!args.all && orgs.length === 0) throw new UsageError(`no organization with slug "${args.org}"`);
    const organizationIds = orgs.map((o) => o.id);
    const scope = args.all ? `all ${orgs.length} organizations` : `organization ${args.org}`;

    // The migration waits out 429s itself (honouring Retry-After), so the SDK does not retry.
    const provider = createIdentityProvider(workos, { maxRetries: 0, maxRetryAfterSeconds: null });
    const migrator = new WorkosMigrator(new WorkosAccountsService(ds.getRepository(User)), provider, {
      now: () => new Date(),
      onWait: (seconds, why) => console.log(`… ${why}: waiting ${seconds}s`),
    });

    if (args.dryRun) {
      const plan = await migrator.plan(organizationIds);
      console.log(`WorkOS migration of ${scope} — dry run: ${plan.total} users to look at`);
      plan.plan.forEach((p, i) => console.log(`[${i + 1}/${plan.total}] would ${p.planned.padEnd(7)} ${p.email}${p.detail ? ` (${p.detail})` : ''}`));
      const count = (what: string) => plan.plan.filter((p) => p.planned === what).length;
      console.log(`dry run: would import ${count('import')}, confirm ${count('confirm')}, skip ${count('skip')}; nothing was written`);
      return 0;
    }

    console.log(`WorkOS migration of ${scope} (concurrency ${args.concurrency})`);
    const report = await migrator.run({
      organizationIds,
      concurrency: args.concurrency,
      onResult: (result, done, total) => console.log(line(result, done, total)),
    });
    console.log(summary(report));
    if (report.aborted) {
      console.log(`stopped early: ${report.aborted}. Nothing is lost: rerun the same command to resume.`);
      return 2;
    }
    if (report.failed > 0) {
      console.log('Some users failed and keep their local password; rerun the same command to retry them.');
      return 1;
    }
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
    else if (err instanceof EnvironmentError) console.error(err.message);
    else console.error('workos:migrate failed:', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
