/**
 * Runs a command with DATABASE_URL pointing at a database: yours if set,
 * otherwise the embedded PostgreSQL under ./.data (started, then stopped).
 *   node -r @swc-node/register scripts/with-database.ts <command> [args…]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: with-database <command> [args…]');
    process.exit(2);
  }
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  if (!process.env.DATABASE_URL) {
    const dataDir = process.env.DATA_DIR ?? '.data';
    embedded = await startEmbeddedPostgres(join(dataDir, 'postgres'));
    process.env.DATABASE_URL = embedded.url;
    console.error(`Using the embedded PostgreSQL under ${dataDir}/postgres`);
  }
  const child = spawn(command, args, { stdio: 'inherit', env: process.env });
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  await embedded?.stop();
  process.exit(code);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
