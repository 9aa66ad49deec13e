import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/entities';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('the schema', () => {
  let db: TestDatabase;
  let ds: DataSource;
  before(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 2, undefined, undefined, ENTITIES));
    await ds.initialize();
  });
  after(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('is exactly what the entities describe: the migrations leave nothing for migration:generate to do', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(
      pending.upQueries.map((q) => q.query),
      [],
      'run `npm run migration:generate -- migrations/Name` and commit the migration',
    );
  });

  it('reverts every migration and applies them again', async () => {
    const count = ds.migrations.length;
    for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM migrations`);
    assert.equal(n, 0);
    const applied = await ds.runMigrations({ transaction: 'each' });
    assert.equal(applied.length, count);
  });
});
