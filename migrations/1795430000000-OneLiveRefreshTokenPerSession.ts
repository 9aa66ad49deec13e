import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session never has two live chains: at most one refresh token per session
 * that has not been rotated yet, enforced by PostgreSQL itself rather than only
 * by the conditional UPDATE of the rotation.
 */
export class OneLiveRefreshTokenPerSession1795430000000 implements MigrationInterface {
  name = 'OneLiveRefreshTokenPerSession1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_refresh_tokens_live_per_session" ON "refresh_tokens" ("session_id") WHERE "rotated_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_refresh_tokens_live_per_session"`);
  }
}
