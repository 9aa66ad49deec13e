import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { runMigrations } from '../../src/platform/database/migrate';

/** A database with nothing in it (not a copy of the migrated template). */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('run tests through `npm test`');
  const name = `authgate_migrate_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

describe('migrations at start-up', () => {
  let db: { url: string; drop(): Promise<void> };
  before(async () => {
    db = await emptyDatabase();
  });
  after(() => db.drop());

  it('applies every migration exactly once when several instances start at the same moment', async () => {
    const results = await Promise.all([runMigrations(db.url), runMigrations(db.url), runMigrations(db.url)]);
    const appliedBy = results.filter((names) => names.length > 0);
    assert.equal(appliedBy.length, 1, JSON.stringify(results));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: string }>(`SELECT name, count(*) AS n FROM migrations GROUP BY name`);
      assert.equal(rows.length, appliedBy[0].length);
      assert.ok(rows.every((r) => r.n === '1'));
      const tables = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_name IN ('users', 'sessions', 'refresh_tokens')`);
      assert.equal(tables.rowCount, 3);
    } finally {
      await client.end();
    }
    assert.deepEqual(await runMigrations(db.url), [], 'a later start finds nothing pending');
  });
});
