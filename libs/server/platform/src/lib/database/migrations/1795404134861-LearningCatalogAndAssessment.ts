import { MigrationInterface, QueryRunner } from 'typeorm';

export class LearningCatalogAndAssessment1795404134861 implements MigrationInterface {
    name = 'LearningCatalogAndAssessment1795404134861'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "questions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "category" character varying(200) NOT NULL DEFAULT '',
                "tags" text array NOT NULL DEFAULT '{}',
                "type" character varying(30) NOT NULL,
                "definition" jsonb NOT NULL,
                "archived" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_08a6d4b0f49ff300bf3a0ca60ac" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questions_course_category" ON "questions" ("course_id", "category")
        `);
        await queryRunner.query(`
            CREATE TABLE "quizzes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "title" character varying(255) NOT NULL,
                "mode" character varying(20) NOT NULL,
                "selection" jsonb NOT NULL,
                "shuffle_questions" boolean NOT NULL DEFAULT false,
                "shuffle_options" boolean NOT NULL DEFAULT true,
                "time_limit_seconds" integer,
                "open_at" TIMESTAMP WITH TIME ZONE,
                "close_at" TIMESTAMP WITH TIME ZONE,
                "max_attempts" integer,
                "grading_method" character varying(10) NOT NULL DEFAULT 'highest',
                "pass_mark" numeric(4, 3) NOT NULL,
                "review" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b24f0f7662cf6b3a0e7dba0a1b4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_quizzes_course" ON "quizzes" ("course_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "quiz_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "quiz_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "attempt_number" integer NOT NULL,
                "status" character varying(20) NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "deadline_at" TIMESTAMP WITH TIME ZONE,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "score" numeric(10, 4),
                "max_score" numeric(10, 4) NOT NULL,
                "fraction" numeric(6, 5),
                CONSTRAINT "PK_a84a93fb092359516dc5b325b90" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_quiz_attempts_one_open" ON "quiz_attempts" ("quiz_id", "person_id")
            WHERE status = 'in_progress'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_quiz_attempts_quiz_person_number" ON "quiz_attempts" ("quiz_id", "person_id", "attempt_number")
        `);
        await queryRunner.query(`
            CREATE TABLE "quiz_attempt_slots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "attempt_id" uuid NOT NULL,
                "slot" integer NOT NULL,
                "question_id" uuid NOT NULL,
                "definition" jsonb NOT NULL,
                "view" jsonb NOT NULL,
                "response" jsonb,
                "saved_at" TIMESTAMP WITH TIME ZONE,
                "graded" jsonb,
                CONSTRAINT "PK_f3d332b5485027a824645fc84be" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_quiz_attempt_slots_question" ON "quiz_attempt_slots" ("question_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_quiz_attempt_slots_attempt_slot" ON "quiz_attempt_slots" ("attempt_id", "slot")
        `);
        await queryRunner.query(`
            CREATE TABLE "courses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(50) NOT NULL,
                "owner_unit_id" uuid NOT NULL,
                "status" character varying(20) NOT NULL,
                "published_version_id" uuid,
                "draft_version_id" uuid,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3f70a487cc718ad8eda4e6d58c9" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_courses_owner_unit" ON "courses" ("owner_unit_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_courses_code" ON "courses" ("code")
        `);
        await queryRunner.query(`
            CREATE TABLE "course_versions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "status" character varying(20) NOT NULL,
                "title" character varying(255) NOT NULL,
                "summary" text NOT NULL DEFAULT '',
                "periods" integer NOT NULL DEFAULT '1',
                "period_minutes" integer NOT NULL DEFAULT '45',
                "topics" text array NOT NULL DEFAULT '{}',
                "audience_categories" text array NOT NULL DEFAULT '{}',
                "audience_positions" text array NOT NULL DEFAULT '{}',
                "final_quiz_id" uuid,
                "search_text" text NOT NULL DEFAULT '',
                "published_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cc9e77578136a62e599f33d15ff" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_course_versions_course_version" ON "course_versions" ("course_id", "version")
        `);
        await queryRunner.query(`
            CREATE TABLE "course_sections" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "version_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "title" character varying(255) NOT NULL,
                CONSTRAINT "PK_03086ef0602f2721612a5ce610d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_course_sections_version" ON "course_sections" ("version_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "lessons" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "version_id" uuid NOT NULL,
                "section_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "title" character varying(255) NOT NULL,
                "kind" character varying(20) NOT NULL,
                "required" boolean NOT NULL DEFAULT true,
                "duration_minutes" integer,
                "content" jsonb NOT NULL,
                CONSTRAINT "PK_9b9a8d455cac672d262d7275730" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_lessons_version" ON "lessons" ("version_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_lessons_section" ON "lessons" ("section_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "course_progress" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "person_id" uuid NOT NULL,
                "course_id" uuid NOT NULL,
                "version_id" uuid NOT NULL,
                "last_lesson_id" uuid,
                "time_spent_seconds" integer NOT NULL DEFAULT '0',
                "percent_complete" integer NOT NULL DEFAULT '0',
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "score" numeric(6, 5),
                CONSTRAINT "PK_eadd1b31d44023e533eb847c4f7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_course_progress_course" ON "course_progress" ("course_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_course_progress_person_course" ON "course_progress" ("person_id", "course_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "lesson_progress" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "person_id" uuid NOT NULL,
                "lesson_id" uuid NOT NULL,
                "course_id" uuid NOT NULL,
                "viewed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "time_spent_seconds" integer NOT NULL DEFAULT '0',
                "position" jsonb,
                CONSTRAINT "PK_e6223ebbc5f8f5fce40e0193de1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_lesson_progress_person_lesson" ON "lesson_progress" ("person_id", "lesson_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "course_completions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "person_id" uuid NOT NULL,
                "course_id" uuid NOT NULL,
                "version_id" uuid NOT NULL,
                "training_year" integer NOT NULL,
                "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "score" numeric(6, 5),
                CONSTRAINT "PK_15d7e524ef2739c4ac9b56d46af" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_course_completions_person_course_year" ON "course_completions" ("person_id", "course_id", "training_year")
        `);
        await queryRunner.query(`
            CREATE TABLE "stored_files" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "storage_key" character varying(255) NOT NULL,
                "file_name" character varying(255) NOT NULL,
                "content_type" character varying(100) NOT NULL,
                "size" bigint NOT NULL,
                "sha256" character(64) NOT NULL,
                "uploaded_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5d5be862bf53851c1794b4adf4e" PRIMARY KEY ("id")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "stored_files"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_course_completions_person_course_year"
        `);
        await queryRunner.query(`
            DROP TABLE "course_completions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_lesson_progress_person_lesson"
        `);
        await queryRunner.query(`
            DROP TABLE "lesson_progress"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_course_progress_person_course"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_course_progress_course"
        `);
        await queryRunner.query(`
            DROP TABLE "course_progress"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_lessons_section"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_lessons_version"
        `);
        await queryRunner.query(`
            DROP TABLE "lessons"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_course_sections_version"
        `);
        await queryRunner.query(`
            DROP TABLE "course_sections"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_course_versions_course_version"
        `);
        await queryRunner.query(`
            DROP TABLE "course_versions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_courses_code"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_courses_owner_unit"
        `);
        await queryRunner.query(`
            DROP TABLE "courses"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_quiz_attempt_slots_attempt_slot"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_quiz_attempt_slots_question"
        `);
        await queryRunner.query(`
            DROP TABLE "quiz_attempt_slots"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_quiz_attempts_quiz_person_number"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_quiz_attempts_one_open"
        `);
        await queryRunner.query(`
            DROP TABLE "quiz_attempts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_quizzes_course"
        `);
        await queryRunner.query(`
            DROP TABLE "quizzes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questions_course_category"
        `);
        await queryRunner.query(`
            DROP TABLE "questions"
        `);
    }

}
