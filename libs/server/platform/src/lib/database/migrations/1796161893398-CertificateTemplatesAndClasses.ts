import { MigrationInterface, QueryRunner } from "typeorm";

/** Certificates for training classes (course optional), issuer templates (signer, wording, validity, logo). */
export class CertificateTemplatesAndClasses1796161893398 implements MigrationInterface {
  name = "CertificateTemplatesAndClasses1796161893398";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "certificates" ALTER COLUMN "course_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "certificates" ADD "class_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "certificates" ADD "subtitle" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "certificates" ADD "logo_file_id" uuid
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificates_class_current" ON "certificates" ("person_id", "class_id", "training_year")
            WHERE status <> 'superseded' AND class_id IS NOT NULL AND course_id IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificates_class" ON "certificates" ("class_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "certificate_templates" (
                "issuer_unit_id" uuid NOT NULL,
                "signer_title" character varying(200) NOT NULL,
                "signer_name" character varying(200) NOT NULL DEFAULT '',
                "place" character varying(100),
                "subtitle" character varying(200),
                "validity_months" integer,
                "logo_file_id" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_certificate_templates_issuer_unit_id" PRIMARY KEY ("issuer_unit_id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "certificate_templates"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_certificates_class"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_certificates_class_current"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "logo_file_id"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "subtitle"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "class_id"`);
    await queryRunner.query(`DELETE FROM "certificates" WHERE "course_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "certificates" ALTER COLUMN "course_id" SET NOT NULL`);
  }
}
