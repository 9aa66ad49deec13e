import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Any constant: instances starting together agree on it, so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_358_204_611;

/**
 * Applies pending migrations with a short-lived connection; returns the names applied.
 * Several instances may start at once: a session-level advisory lock, held on a
 * connection of its own, makes the others wait and then find nothing pending.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
