import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from './app.factory';
import { loadEnvFile } from './platform/config/env-file';
import { buildAppConfig } from './platform/config/load-config';
import { EnvironmentError, seedsDemoOnEmpty, validateEnvironment } from './platform/config/environment';
import { EmbeddedDatabase, startEmbeddedPostgres } from './platform/database/embedded-postgres';
import { runMigrations } from './platform/database/migrate';
import { seedDemoIfEmpty } from './fixtures/demo-seed';

/**
 * `npm start`: validate configuration, start the embedded PostgreSQL when no
 * DATABASE_URL is given, apply migrations, load the demo fixture into an empty
 * database, then serve. Ctrl-C (SIGINT) or SIGTERM drain requests and stop the
 * database cleanly.
 */
async function main(): Promise<void> {
  const fromFile = loadEnvFile();
  if (fromFile.length > 0) console.log(`Read ${fromFile.length} variable(s) from .env: ${fromFile.join(', ')}`);
  const env = validateEnvironment(process.env);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    console.log(`Starting the embedded PostgreSQL under ${join(env.DATA_DIR, 'postgres')} …`);
    embedded = await startEmbeddedPostgres(join(env.DATA_DIR, 'postgres'), { log: (line) => console.error(line) });
    databaseUrl = embedded.url;
  }
  const config = buildAppConfig(env, databaseUrl);
  const applied = await runMigrations(config.database.url);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
  // Never in production (environment.ts refuses SEED_DEMO_ON_EMPTY=true there): its password is published.
  const demo = seedsDemoOnEmpty(env) ? await seedDemoIfEmpty(config) : null;

  const app = await createApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests …`);
    await app.close();
    await embedded?.stop();
    console.log('Stopped cleanly.');
    process.exit(0);
  };
  // Our own handlers rather than Nest's shutdown hooks, which would exit before the embedded database stops.
  // embedded-postgres registers handlers of its own (async-exit-hook) that stop the database at once and
  // exit 143, under the requests still in flight: drop them, ours stop it after the drain
  // (test/faults/npm-start-sigterm.e2e.ts).
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The embedded server runs in a process group of its own (a closed terminal's SIGHUP no longer reaches it): stop it too.
  process.on('SIGHUP', () => void stop('SIGHUP'));

  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  const banner = [`authgate is listening on ${base}`];
  if (config.apiDocsEnabled !== false) banner.push(`Swagger UI: ${base}/api/docs`);
  // The demo fixture's published password, for a developer's first sign-in; never printed in production.
  if (demo && env.NODE_ENV !== 'production') {
    banner.push(`Demo login: POST ${base}/api/auth/login {"email":"${demo.email}","password":"${demo.password}"}`);
  }
  // One write, so whoever reads the output (a terminal, a supervisor, test/support/npm-start.ts)
  // never sees "listening" without the lines that belong to it.
  console.log(banner.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof EnvironmentError) {
    console.error(err.message);
  } else {
    console.error('Start-up failed:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
