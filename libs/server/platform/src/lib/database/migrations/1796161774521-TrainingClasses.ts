import { MigrationInterface, QueryRunner } from "typeorm";

export class TrainingClasses1796161774521 implements MigrationInterface {
    name = 'TrainingClasses1796161774521'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "training_classes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" character varying(255) NOT NULL,
                "course_id" uuid,
                "mode" character varying(20) NOT NULL,
                "org_unit_id" uuid NOT NULL,
                "room" character varying(255),
                "address" text,
                "meeting_url" character varying(1000),
                "capacity" integer NOT NULL,
                "registration_opens_at" TIMESTAMP WITH TIME ZONE,
                "registration_closes_at" TIMESTAMP WITH TIME ZONE,
                "self_registration" boolean NOT NULL DEFAULT true,
                "approval" character varying(20) NOT NULL DEFAULT 'none',
                "target_audience" text NOT NULL DEFAULT '',
                "audience_categories" text array NOT NULL DEFAULT '{}',
                "periods" integer NOT NULL DEFAULT '1',
                "min_sessions" integer,
                "refuse_conflicts" boolean NOT NULL DEFAULT false,
                "status" character varying(20) NOT NULL DEFAULT 'draft',
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a0f6040666e1c6b80bc3bed1e54" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_training_classes_org_unit" ON "training_classes" ("org_unit_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "class_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "class_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "sequence" integer NOT NULL DEFAULT '0',
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_dc034da48c6e0cf95c51f606c4e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_sessions_time" ON "class_sessions" ("starts_at", "ends_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_sessions_class" ON "class_sessions" ("class_id", "starts_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "class_trainers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "class_id" uuid NOT NULL,
                "person_id" uuid,
                "name" character varying(200) NOT NULL,
                CONSTRAINT "PK_2bf2ae9317fb7739e3adf76f1e3" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_trainers_person" ON "class_trainers" ("person_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_trainers_class" ON "class_trainers" ("class_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "class_registrations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "class_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "status" character varying(20) NOT NULL,
                "source" character varying(20) NOT NULL,
                "registered_by" uuid,
                "waitlisted_at" TIMESTAMP WITH TIME ZONE,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4de4990d6c8a968fa129c33f0ec" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_registrations_class_status" ON "class_registrations" ("class_id", "status")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_class_registrations_person" ON "class_registrations" ("person_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_class_registrations_active" ON "class_registrations" ("class_id", "person_id")
            WHERE status NOT IN ('cancelled', 'rejected')
        `);
        await queryRunner.query(`
            CREATE TABLE "class_attendance" (
                "session_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "status" character varying(20) NOT NULL,
                "checked_in_at" TIMESTAMP WITH TIME ZONE,
                "marked_by" uuid,
                "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f963e5e3866dfe7b869eb17871e" PRIMARY KEY ("session_id", "person_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "class_completions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "class_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "training_year" integer NOT NULL,
                "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "published_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_63c67c845197791fc7da2430a23" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_class_completions_class_person" ON "class_completions" ("class_id", "person_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "calendar_feeds" (
                "person_id" uuid NOT NULL,
                "token" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_acfa96907d292e941a53f1bbe38" PRIMARY KEY ("person_id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calendar_feeds_token" ON "calendar_feeds" ("token")
        `);
        await queryRunner.query(`
            ALTER TABLE "outbox_messages"
            ADD "attachments" jsonb
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "outbox_messages" DROP COLUMN "attachments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_calendar_feeds_token"
        `);
        await queryRunner.query(`
            DROP TABLE "calendar_feeds"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_class_completions_class_person"
        `);
        await queryRunner.query(`
            DROP TABLE "class_completions"
        `);
        await queryRunner.query(`
            DROP TABLE "class_attendance"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_class_registrations_active"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_registrations_person"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_registrations_class_status"
        `);
        await queryRunner.query(`
            DROP TABLE "class_registrations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_trainers_class"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_trainers_person"
        `);
        await queryRunner.query(`
            DROP TABLE "class_trainers"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_sessions_class"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_class_sessions_time"
        `);
        await queryRunner.query(`
            DROP TABLE "class_sessions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_training_classes_org_unit"
        `);
        await queryRunner.query(`
            DROP TABLE "training_classes"
        `);
    }

}
