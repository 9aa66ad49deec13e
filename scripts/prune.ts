/**
 * `npm run prune`: one retention run (docs/operations.md#retention), for cron. Reads the
 * service's environment (DATABASE_URL, *_RETENTION_DAYS, PRUNE_BATCH_SIZE), boots the
 * application's modules without an HTTP listener (so every feature's registered rule is
 * there), prunes once under the same advisory lock as the instances, prints the counts
 * and exits: 0 when done or skipped (another instance was pruning), 1 on failure.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { buildAppConfig } from '../src/platform/config/load-config';
import { validateEnvironment } from '../src/platform/config/environment';
import { PrunerService } from '../src/platform/retention/pruner.service';

async function main(): Promise<number> {
  const env = validateEnvironment(process.env);
  if (!env.DATABASE_URL) {
    console.error('DATABASE_URL: required by npm run prune (the database to prune)');
    return 1;
  }
  const base = buildAppConfig(env, env.DATABASE_URL);
  // Only this run: no schedule of its own, no metrics listener.
  const config = { ...base, metrics: undefined, retention: { ...base.retention, intervalMinutes: 0 } };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const report = await app.get(PrunerService).prune();
    console.log(JSON.stringify({ pruned: report.ran, deleted: report.deleted, ms: report.ms }));
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('prune failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
