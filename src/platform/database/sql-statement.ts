import type { Pool, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** One SQL statement of a repository, written once, with the name it is prepared under. */
export interface SqlStatement {
  readonly name: string;
  readonly text: string;
}

export const sql = (name: string, text: string): SqlStatement => ({ name, text });

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * How a repository runs its hand-written statements, on the pool TypeORM already owns:
 * for the hot paths (session checks, refresh rotation) one statement beats the ORM's
 * query building. With `prepared` (config `database.preparedStatements`, on unless
 * DATABASE_PREPARED_STATEMENTS=false) each statement is prepared once per connection
 * under its name; off, for a pooler in transaction mode (PgBouncer), where the next
 * statement may reach a server connection that never saw the PREPARE.
 * Given an EntityManager, the statement joins that transaction (never prepared:
 * TypeORM's query runner takes text only).
 */
export class SqlStatements {
  constructor(
    private readonly dataSource: DataSource,
    private readonly prepared: boolean,
  ) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async run<T extends QueryResultRow>(statement: SqlStatement, values: unknown[], manager?: EntityManager): Promise<SqlResult<T>> {
    if (manager) {
      if (!manager.queryRunner) throw new Error(`${statement.name}: an EntityManager outside a transaction`);
      const result = (await manager.queryRunner.query(statement.text, values, true)) as { records: T[]; affected?: number };
      return { rows: result.records, rowCount: result.affected ?? result.records.length };
    }
    const result = await this.pool.query<T>(
      this.prepared ? { name: statement.name, text: statement.text, values } : { text: statement.text, values },
    );
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }
}
