import { DataSource } from 'typeorm';
import { Organization } from '../../organizations/organization.entity';
import { findDatabaseConflicts } from './database-conflicts';
import { readExistingRecords } from './existing-records';
import { FixtureRejectedError } from './fixture-error';
import type { Fixture } from './fixture.types';
import { writeFixture, WriterDeps } from './fixture-writer';
import type { SeedSummary } from './seed-summary';

export interface LoadOptions extends WriterDeps {
  /** Do everything, then roll back: the summary says what a real load would change. */
  dryRun?: boolean;
}

/** Thrown inside the transaction to roll a dry run back; never leaves `loadFixture`. */
class DryRunRollback extends Error {
  constructor(readonly summary: SeedSummary) {
    super('dry run');
  }
}

/**
 * Loads a validated fixture in one transaction: either all of it is written or
 * none. An advisory lock serialises concurrent loads (two instances starting on
 * one empty database seed the demo once). Throws FixtureRejectedError when the
 * file collides with what the database holds.
 */
export async function loadFixture(dataSource: DataSource, fixture: Fixture, options: LoadOptions): Promise<SeedSummary> {
  return (await load(dataSource, fixture, options, false)) as SeedSummary;
}

/** The same, only into a database with no organization yet (the demo on first start); null when it had one. */
export function loadFixtureIfEmpty(dataSource: DataSource, fixture: Fixture, options: LoadOptions): Promise<SeedSummary | null> {
  return load(dataSource, fixture, options, true);
}

async function load(dataSource: DataSource, fixture: Fixture, options: LoadOptions, onlyIfEmpty: boolean): Promise<SeedSummary | null> {
  try {
    return await dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('authgate:fixture-load'))`);
      if (onlyIfEmpty && (await manager.getRepository(Organization).exists())) return null;
      const existing = await readExistingRecords(manager, fixture);
      const conflicts = findDatabaseConflicts(fixture, existing);
      if (conflicts.length > 0) throw new FixtureRejectedError(conflicts);
      const summary = await writeFixture(manager, fixture, existing, options);
      if (options.dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.summary;
    throw err;
  }
}
