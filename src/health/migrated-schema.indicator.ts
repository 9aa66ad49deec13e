import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Readiness is "the migrated schema answers", not "something answers SELECT 1": an empty
 * database without the schema, or one a migration behind this build, reported ready and
 * then failed every request (test/faults/database-faults.e2e.ts). The
 * check reads the migrations table (a few rows) through the pool the requests use.
 */
@Injectable()
export class MigratedSchemaIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let applied: Set<string>;
    try {
      const rows = await this.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
      applied = new Set(rows.map((row) => row.name));
    } catch {
      // Unreachable, or no migrations table at all: the cause goes to no client.
      return indicator.down({ message: 'the database is unreachable or has no schema' });
    }
    const pending = this.dataSource.migrations.filter((migration) => !applied.has(migration.name ?? migration.constructor.name)).length;
    return pending === 0 ? indicator.up() : indicator.down({ message: 'the schema is not migrated', pendingMigrations: pending });
  }
}
