import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the retention pruner reads of account_tokens (src/accounts/accounts.module.ts registers the rule). */
export class AccountTokensRetention1796169661413 implements MigrationInterface {
  name = 'AccountTokensRetention1796169661413';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_account_tokens_over_at" ON "account_tokens" ((coalesce("used_at", "expires_at")))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_account_tokens_over_at"`);
  }
}
