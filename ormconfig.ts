import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/platform/database/data-source-options';
import { ENTITIES } from './src/entities';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:generate|run|revert`).
 * Those scripts go through `scripts/with-database.ts`, which starts the embedded
 * PostgreSQL and sets DATABASE_URL when you have none of your own.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: run the migration scripts through npm (`npm run migration:run`).');
}

// The entities too: migration:generate compares them with the database (without them it finds nothing to do).
export default new DataSource(dataSourceOptions(url, undefined, undefined, undefined, ENTITIES));
