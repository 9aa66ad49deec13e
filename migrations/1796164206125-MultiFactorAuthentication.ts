import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * TOTP factors, recovery codes and the second step of a login (src/mfa/), the
 * organization's MFA policy, and when a session last proved a second factor.
 */
export class MultiFactorAuthentication1796164206125 implements MigrationInterface {
    name = 'MultiFactorAuthentication1796164206125'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "mfa_factors" ("user_id" uuid NOT NULL, "type" text NOT NULL DEFAULT 'totp', "secret_sealed" text NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "last_used_step" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_120abae8e4a6232bfe2c75b59d2" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`CREATE TABLE "mfa_login_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "purpose" text NOT NULL, "failed_attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "provider_state" text, CONSTRAINT "PK_e3b5a9fb8aaaf7a609ae36a4808" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0f1ed7e01f9031a1afbeab3ff9" ON "mfa_login_challenges"  ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "IDX_eaa4b18f5c6c2e6f550d6501c8" ON "mfa_login_challenges"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_8217ddd5b13ea969e51a092211" ON "mfa_login_challenges"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "mfa_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" text NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0076416b1b84361afc3371ba121" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_mfa_recovery_code_per_user" ON "mfa_recovery_codes"  ("user_id", "code_hash") `);
        await queryRunner.query(`ALTER TABLE "organizations" ADD "mfa_policy" text NOT NULL DEFAULT 'none'`);
        await queryRunner.query(`ALTER TABLE "sessions" ADD "mfa_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "mfa_factors" ADD CONSTRAINT "FK_120abae8e4a6232bfe2c75b59d2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "mfa_login_challenges" ADD CONSTRAINT "FK_eaa4b18f5c6c2e6f550d6501c80" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "FK_23aa6c5fdecdd98508fd4456acf" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "mfa_recovery_codes" DROP CONSTRAINT "FK_23aa6c5fdecdd98508fd4456acf"`);
        await queryRunner.query(`ALTER TABLE "mfa_login_challenges" DROP CONSTRAINT "FK_eaa4b18f5c6c2e6f550d6501c80"`);
        await queryRunner.query(`ALTER TABLE "mfa_factors" DROP CONSTRAINT "FK_120abae8e4a6232bfe2c75b59d2"`);
        await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "mfa_at"`);
        await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "mfa_policy"`);
        await queryRunner.query(`DROP INDEX "public"."uq_mfa_recovery_code_per_user"`);
        await queryRunner.query(`DROP TABLE "mfa_recovery_codes"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_8217ddd5b13ea969e51a092211"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_eaa4b18f5c6c2e6f550d6501c8"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0f1ed7e01f9031a1afbeab3ff9"`);
        await queryRunner.query(`DROP TABLE "mfa_login_challenges"`);
        await queryRunner.query(`DROP TABLE "mfa_factors"`);
    }

}
