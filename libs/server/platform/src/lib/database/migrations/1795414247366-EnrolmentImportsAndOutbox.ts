import { MigrationInterface, QueryRunner } from "typeorm";

export class EnrolmentImportsAndOutbox1795414247366 implements MigrationInterface {
    name = 'EnrolmentImportsAndOutbox1795414247366'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "enrolments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "person_id" uuid NOT NULL,
                "course_id" uuid NOT NULL,
                "training_year" integer NOT NULL,
                "source" character varying(20) NOT NULL,
                "status" character varying(20) NOT NULL,
                "due_date" date,
                "enrolled_by" uuid,
                "import_id" uuid,
                "rule_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_6e79971fbd26967c4da9ed52770" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_enrolments_course_year" ON "enrolments" ("course_id", "training_year")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_enrolments_person_course_year" ON "enrolments" ("person_id", "course_id", "training_year")
        `);
        await queryRunner.query(`
            CREATE TABLE "audience_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "org_unit_id" uuid NOT NULL,
                "network_category" character varying(40),
                "position" character varying(200),
                "training_year" integer NOT NULL,
                "due_date" date,
                "active" boolean NOT NULL DEFAULT true,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_693aa729d11d8263ce370a9ee21" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_audience_rules_course" ON "audience_rules" ("course_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "enrolment_imports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "status" character varying(20) NOT NULL,
                "dry_run" boolean NOT NULL DEFAULT false,
                "file_name" character varying(255) NOT NULL,
                "file_size" integer NOT NULL,
                "course_id" uuid,
                "training_year" integer NOT NULL,
                "due_date" date,
                "created_by" uuid NOT NULL,
                "created_by_name" character varying(100) NOT NULL,
                "scope_paths" text array NOT NULL,
                "total_rows" integer NOT NULL DEFAULT '0',
                "parse_failed_rows" integer NOT NULL DEFAULT '0',
                "chunk_count" integer NOT NULL DEFAULT '0',
                "failure_reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_5871d9dd635b724dc0cff459347" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_enrolment_imports_created_by" ON "enrolment_imports" ("created_by", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "enrolment_import_files" (
                "import_id" uuid NOT NULL,
                "content" bytea NOT NULL,
                CONSTRAINT "PK_91149430a7d67baeeb9e8c4c732" PRIMARY KEY ("import_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "enrolment_import_rows" (
                "import_id" uuid NOT NULL,
                "row_number" integer NOT NULL,
                "chunk" integer NOT NULL,
                "staff_code" character varying(50) NOT NULL,
                "full_name" character varying(200) NOT NULL,
                "email" character varying(254),
                "unit_code" character varying(50) NOT NULL,
                "position" character varying(200),
                "network_category" character varying(40),
                "course_code" character varying(50),
                "search_text" text NOT NULL,
                "sort_key" text COLLATE "C" NOT NULL,
                CONSTRAINT "PK_08a498b16213b51e4148c92a3c5" PRIMARY KEY ("import_id", "row_number")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "enrolment_import_chunks" (
                "import_id" uuid NOT NULL,
                "chunk" integer NOT NULL,
                "processed_rows" integer NOT NULL,
                "created_people" integer NOT NULL,
                "updated_people" integer NOT NULL,
                "enrolled" integer NOT NULL,
                "already_enrolled" integer NOT NULL,
                "failed_rows" integer NOT NULL,
                "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4e89f24b5118b2845ee281c23c3" PRIMARY KEY ("import_id", "chunk")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "enrolment_import_errors" (
                "id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
                "import_id" uuid NOT NULL,
                "row_number" integer NOT NULL,
                "column_name" character varying(100),
                "message" text NOT NULL,
                CONSTRAINT "PK_4fd09cd405fb9fed43a1378c887" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_enrolment_import_errors_import_row" ON "enrolment_import_errors" ("import_id", "row_number")
        `);
        await queryRunner.query(`
            CREATE TABLE "outbox_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "to_address" character varying(254) NOT NULL,
                "subject" character varying(255) NOT NULL,
                "body_text" text NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "ref_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_outbox_messages_status" ON "outbox_messages" ("status", "created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_outbox_messages_status"
        `);
        await queryRunner.query(`
            DROP TABLE "outbox_messages"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_enrolment_import_errors_import_row"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolment_import_errors"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolment_import_chunks"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolment_import_rows"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolment_import_files"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_enrolment_imports_created_by"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolment_imports"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audience_rules_course"
        `);
        await queryRunner.query(`
            DROP TABLE "audience_rules"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_enrolments_person_course_year"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_enrolments_course_year"
        `);
        await queryRunner.query(`
            DROP TABLE "enrolments"
        `);
    }

}
