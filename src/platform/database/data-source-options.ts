import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { EvictingClient } from './evicting-client';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.{ts,js}');

/**
 * How long the service waits for one query before it counts the database as
 * unreachable. With the 2 s wait for a connection this keeps a frozen or
 * partitioned database inside "503 within 5 s" (docs/security.md, "Faults")
 * (test/faults/database-outage.e2e.ts). Tools (migrations, seed) keep the longer default.
 */
export const REQUEST_QUERY_TIMEOUT_MS = 2500;

/** How long a request waits for a free pool connection; see above. */
export const POOL_WAIT_TIMEOUT_MS = 2000;

/**
 * One definition of the connection, shared by the app, the CLI (ormconfig.ts), the seed and the tests.
 * The entities are the caller's: the platform knows no feature, so the composition root
 * (src/entities.ts) hands them in; migrations need none.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  queryTimeoutMs = 10000,
  poolWaitMs = POOL_WAIT_TIMEOUT_MS,
  entities: NonNullable<DataSourceOptions['entities']> = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // Fail fast when the database is unreachable: a request gets its 503 within 5 s (see REQUEST_QUERY_TIMEOUT_MS).
      connectionTimeoutMillis: poolWaitMs,
      query_timeout: queryTimeoutMs,
      idleTimeoutMillis: 30000,
      application_name: 'authgate',
      // A connection whose query timed out is dead: out of the pool (evicting-client.ts).
      Client: EvictingClient,
      // An idle connection to a peer that vanished (no reset) is noticed by TCP itself.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}
