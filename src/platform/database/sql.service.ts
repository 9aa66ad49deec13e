import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * Plain SQL on the pool TypeORM already owns, for the hot paths (session
 * checks, refresh rotation) where one statement beats the ORM's query building.
 * A `name` makes it a prepared statement, parsed once per connection.
 */
@Injectable()
export class Sql {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<T extends QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<SqlResult<T>> {
    const result = await this.pool.query<T>(name ? { name, text, values } : { text, values });
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }
}
