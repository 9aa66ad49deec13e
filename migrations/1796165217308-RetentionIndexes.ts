import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the retention pruner reads (src/platform/retention/retention-rule.ts), indexed so a
 * batch never scans a table of millions: when a session stopped being usable, when an
 * impersonation ticket, an SSO state and an audit event age out.
 */
export class RetentionIndexes1796165217308 implements MigrationInterface {
  name = 'RetentionIndexes1796165217308';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_sessions_over_at" ON "sessions" ((coalesce("ended_at", "expires_at")))`);
    await queryRunner.query(`CREATE INDEX "ix_impersonation_tickets_expires_at" ON "impersonation_tickets" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "ix_consumed_nonces_expires_at" ON "consumed_nonces" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "ix_audit_events_occurred_at" ON "audit_events" ("occurred_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_audit_events_occurred_at"`);
    await queryRunner.query(`DROP INDEX "ix_consumed_nonces_expires_at"`);
    await queryRunner.query(`DROP INDEX "ix_impersonation_tickets_expires_at"`);
    await queryRunner.query(`DROP INDEX "ix_sessions_over_at"`);
  }
}
