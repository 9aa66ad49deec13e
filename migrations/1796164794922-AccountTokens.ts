import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Accounts (#15): single-use links for password resets and invitations (only their
 * SHA-256 stored), and on users when an invitation is pending and when the email was verified.
 */
export class AccountTokens1796164794922 implements MigrationInterface {
    name = 'AccountTokens1796164794922'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "account_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" text NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5e3640c493cc6206a44b885e6a9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_account_tokens_user" ON "account_tokens"  ("user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_tokens_hash" ON "account_tokens"  ("token_hash") `);
        await queryRunner.query(`ALTER TABLE "users" ADD "invited_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "account_tokens" ADD CONSTRAINT "FK_1b5fea09efc20c7f63c4a09b3d6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_tokens" DROP CONSTRAINT "FK_1b5fea09efc20c7f63c4a09b3d6"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "invited_at"`);
        await queryRunner.query(`DROP INDEX "public"."uq_account_tokens_hash"`);
        await queryRunner.query(`DROP INDEX "public"."ix_account_tokens_user"`);
        await queryRunner.query(`DROP TABLE "account_tokens"`);
    }

}
