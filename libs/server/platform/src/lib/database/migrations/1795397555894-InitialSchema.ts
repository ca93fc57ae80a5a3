import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795397555894 implements MigrationInterface {
    name = 'InitialSchema1795397555894'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" BIGSERIAL NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_user_id" uuid,
                "actor_username" character varying(100),
                "action" character varying(60) NOT NULL,
                "entity_type" character varying(40) NOT NULL,
                "entity_id" character varying(100),
                "before" jsonb,
                "after" jsonb,
                "ip" character varying(64),
                CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_audit_events_occurred_at" ON "audit_events" ("occurred_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_audit_events_entity" ON "audit_events" ("entity_type", "entity_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "org_units" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(50) NOT NULL,
                "name" character varying(255) NOT NULL,
                "kind" character varying(40) NOT NULL,
                "parent_id" uuid,
                "root_id" uuid NOT NULL,
                "path" text NOT NULL,
                "depth" integer NOT NULL,
                "search_text" text NOT NULL,
                "valid_from" date NOT NULL,
                "valid_to" date,
                "merged_into_id" uuid,
                "merged_at" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b4a19b7f3756560cd75643be5a7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_org_units_parent" ON "org_units" ("parent_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_org_units_root_code" ON "org_units" ("root_id", "code")
        `);
        // Subtree queries are prefix matches on the materialised path; text_pattern_ops lets
        // "path LIKE '/a/b/%'" use this index whatever the database collation (not expressible in the entity).
        await queryRunner.query(`
            CREATE INDEX "IDX_org_units_path_pattern" ON "org_units" ("path" text_pattern_ops)
        `);
        await queryRunner.query(`
            CREATE TABLE "people" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "province_id" uuid NOT NULL,
                "staff_code" character varying(50) NOT NULL,
                "full_name" character varying(200) NOT NULL,
                "email" character varying(254),
                "phone" character varying(30),
                "org_unit_id" uuid NOT NULL,
                "position" character varying(200),
                "network_category" character varying(40),
                "is_focal_point" boolean NOT NULL DEFAULT false,
                "active" boolean NOT NULL DEFAULT true,
                "deactivated_at" TIMESTAMP WITH TIME ZONE,
                "search_text" text NOT NULL,
                "sort_key" text COLLATE "C" NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_people_sort_key" ON "people" ("sort_key")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_people_org_unit_sort" ON "people" ("org_unit_id", "sort_key")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_people_province_email" ON "people" ("province_id", "email")
            WHERE email IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_people_province_staff_code" ON "people" ("province_id", "staff_code")
        `);
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "username" character varying(100) NOT NULL,
                "password_hash" character varying(255) NOT NULL,
                "display_name" character varying(200) NOT NULL,
                "person_id" uuid,
                "active" boolean NOT NULL DEFAULT true,
                "last_login_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "REL_5ed72dcd00d6e5a88c6a6ba3d1" UNIQUE ("person_id"),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_users_person" ON "users" ("person_id")
            WHERE person_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_users_username" ON "users" ("username")
        `);
        await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "token_hash" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_refresh_tokens_expires" ON "refresh_tokens" ("expires_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_refresh_tokens_family" ON "refresh_tokens" ("family_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_refresh_tokens_hash" ON "refresh_tokens" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE TABLE "role_grants" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "role" character varying(30) NOT NULL,
                "org_unit_id" uuid NOT NULL,
                "granted_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f7cf33da46b9f884f2d459e0eff" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_role_grants_org_unit" ON "role_grants" ("org_unit_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_role_grants_user_role_unit" ON "role_grants" ("user_id", "role", "org_unit_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "org_units"
            ADD CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "people"
            ADD CONSTRAINT "FK_323649d7902b9bf550a5875ec05" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_5ed72dcd00d6e5a88c6a6ba3d18" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "role_grants"
            ADD CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "role_grants"
            ADD CONSTRAINT "FK_3d0e2b7b2d6349d8c3ee0ad729b" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_org_units_path_pattern"`);
        await queryRunner.query(`
            ALTER TABLE "role_grants" DROP CONSTRAINT "FK_3d0e2b7b2d6349d8c3ee0ad729b"
        `);
        await queryRunner.query(`
            ALTER TABLE "role_grants" DROP CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b"
        `);
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_5ed72dcd00d6e5a88c6a6ba3d18"
        `);
        await queryRunner.query(`
            ALTER TABLE "people" DROP CONSTRAINT "FK_323649d7902b9bf550a5875ec05"
        `);
        await queryRunner.query(`
            ALTER TABLE "org_units" DROP CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_role_grants_user_role_unit"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_role_grants_org_unit"
        `);
        await queryRunner.query(`
            DROP TABLE "role_grants"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_refresh_tokens_hash"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_tokens_family"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_tokens_expires"
        `);
        await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_users_username"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_users_person"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_people_province_staff_code"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_people_province_email"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_people_org_unit_sort"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_people_sort_key"
        `);
        await queryRunner.query(`
            DROP TABLE "people"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_org_units_root_code"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_org_units_parent"
        `);
        await queryRunner.query(`
            DROP TABLE "org_units"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_events_entity"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_events_occurred_at"
        `);
        await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    }

}
