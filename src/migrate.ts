/**
 * `npm run migration:run:prod`: applies the pending migrations from the compiled build
 * (dist/), with nothing but the production dependencies installed. The same code path
 * as the service's own start-up (one advisory lock, so instances starting meanwhile wait
 * and then find nothing to do). Reads DATABASE_URL (and `.env`, as `npm start` does);
 * prints the names applied and exits 0, or the reason and exits 1.
 */
import 'reflect-metadata';
import { loadEnvFile } from './platform/config/env-file';
import { runMigrations } from './platform/database/migrate';

async function main(): Promise<number> {
  loadEnvFile();
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: required by npm run migration:run:prod (the database to migrate)');
    return 1;
  }
  const applied = await runMigrations(url);
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'No pending migrations.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Migrations failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
