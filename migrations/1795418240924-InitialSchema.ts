import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795418240924 implements MigrationInterface {
    name = 'InitialSchema1795418240924'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "type" text NOT NULL, "organization_id" uuid, "actor_user_id" uuid, "target_user_id" uuid, "session_id" uuid, "reason" text, "ip" text, "user_agent" text, "details" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_46f9873edb2bcfdb1124f071fb" ON "audit_events"  ("type") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_org_time" ON "audit_events"  ("organization_id", "occurred_at") `);
        await queryRunner.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "name" text NOT NULL, "workos_organization_id" text, "session_policy" jsonb NOT NULL DEFAULT '{}'::jsonb, "lazy_workos_migration" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_963693341bd612aa01ddf3a4b68" UNIQUE ("slug"), CONSTRAINT "UQ_7910f42210e6ccd1f23862dcdaa" UNIQUE ("workos_organization_id"), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TYPE "public"."access_role" AS ENUM('ADMIN', 'MEMBER')`);
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "email" text NOT NULL, "user_name" text, "user_name_key" text, "first_name" text NOT NULL DEFAULT '', "last_name" text NOT NULL DEFAULT '', "access_role" "public"."access_role" NOT NULL DEFAULT 'MEMBER', "active" boolean NOT NULL DEFAULT true, "conversation_open_preference" text NOT NULL DEFAULT 'split', "password_hash" text, "workos_user_id" text, "migrated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "UQ_1b83770201d4a6692974f606df2" UNIQUE ("user_name_key"), CONSTRAINT "UQ_0a70c9523c8fe885694aba4cf1f" UNIQUE ("workos_user_id"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_21a659804ed7bf61eb91688dea" ON "users"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "method" text NOT NULL, "impersonator_id" uuid, "workspace_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "end_reason" text, "ip" text, "user_agent" text, CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_a9e3486bb3e8509466d4c9d6c9" ON "sessions"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rotated_at" TIMESTAMP WITH TIME ZONE, "successor_id" uuid, "successor_sealed" bytea, CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens"  ("session_id") `);
        await queryRunner.query(`CREATE TABLE "consumed_nonces" ("nonce" text NOT NULL, "purpose" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_93a740a32f29d1bd44cafb4c39a" PRIMARY KEY ("nonce"))`);
        await queryRunner.query(`CREATE TABLE "impersonation_tickets" ("jti" uuid NOT NULL, "organization_id" uuid NOT NULL, "admin_id" uuid NOT NULL, "target_user_id" uuid NOT NULL, "reason" text, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "redeemed_at" TIMESTAMP WITH TIME ZONE, "session_id" uuid, CONSTRAINT "PK_f56364edba53dae9db156a21ed5" PRIMARY KEY ("jti"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e037cdd3ac01ded6538693863c" ON "impersonation_tickets"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "throttle_counters" ("key" text NOT NULL, "failures" integer NOT NULL DEFAULT '0', "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_failure_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0d6e00f6811746d8c018db8d58d" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE TABLE "workspaces" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "slug" text NOT NULL, "name" text NOT NULL, "locale" text, "time_zone" text, "date_time_format" text, "date_format" text, "time_format" text, "region_code" text, "modules" jsonb NOT NULL DEFAULT '{}'::jsonb, "roles" jsonb NOT NULL DEFAULT '[]'::jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b8e9fe62e93d60089dfc4f175f3" UNIQUE ("slug"), CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_8b3a554dcc6c20e145f15a22e7" ON "workspaces"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "workspace_memberships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "user_id" uuid NOT NULL, "user_type" smallint NOT NULL DEFAULT '0', "onboarding_status" smallint NOT NULL DEFAULT '0', "roles" text array NOT NULL DEFAULT '{}', "is_default" boolean NOT NULL DEFAULT false, CONSTRAINT "uq_membership_workspace_user" UNIQUE ("workspace_id", "user_id"), CONSTRAINT "PK_38b7d40a750229143fda4a1b011" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_14cd888d48ea02703648cff0be" ON "workspace_memberships"  ("user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_membership_one_default_per_user" ON "workspace_memberships"  ("user_id") WHERE "is_default"`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_21a659804ed7bf61eb91688dea7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspaces" ADD CONSTRAINT "FK_8b3a554dcc6c20e145f15a22e75" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspace_memberships" ADD CONSTRAINT "FK_c478a264ff4081763bb45418ca9" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspace_memberships" ADD CONSTRAINT "FK_14cd888d48ea02703648cff0be6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "workspace_memberships" DROP CONSTRAINT "FK_14cd888d48ea02703648cff0be6"`);
        await queryRunner.query(`ALTER TABLE "workspace_memberships" DROP CONSTRAINT "FK_c478a264ff4081763bb45418ca9"`);
        await queryRunner.query(`ALTER TABLE "workspaces" DROP CONSTRAINT "FK_8b3a554dcc6c20e145f15a22e75"`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4"`);
        await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`);
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_21a659804ed7bf61eb91688dea7"`);
        await queryRunner.query(`DROP INDEX "public"."uq_membership_one_default_per_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_14cd888d48ea02703648cff0be"`);
        await queryRunner.query(`DROP TABLE "workspace_memberships"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_8b3a554dcc6c20e145f15a22e7"`);
        await queryRunner.query(`DROP TABLE "workspaces"`);
        await queryRunner.query(`DROP TABLE "throttle_counters"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e037cdd3ac01ded6538693863c"`);
        await queryRunner.query(`DROP TABLE "impersonation_tickets"`);
        await queryRunner.query(`DROP TABLE "consumed_nonces"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a9e3486bb3e8509466d4c9d6c9"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_21a659804ed7bf61eb91688dea"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP TYPE "public"."access_role"`);
        await queryRunner.query(`DROP TABLE "organizations"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_org_time"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_46f9873edb2bcfdb1124f071fb"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
    }

}
