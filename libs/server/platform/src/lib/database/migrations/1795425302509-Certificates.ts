import { MigrationInterface, QueryRunner } from "typeorm";

export class Certificates1795425302509 implements MigrationInterface {
  name = "Certificates1795425302509";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "certificates" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "serial" character varying(40) NOT NULL,
                "version" integer NOT NULL DEFAULT '1',
                "verification_code" character(12) NOT NULL,
                "person_id" uuid NOT NULL,
                "course_id" uuid NOT NULL,
                "completion_id" uuid,
                "training_year" integer NOT NULL,
                "holder_name" character varying(200) NOT NULL,
                "course_title" character varying(255) NOT NULL,
                "periods" integer NOT NULL,
                "issuer_unit_id" uuid NOT NULL,
                "issuer_name" character varying(255) NOT NULL,
                "place" character varying(100) NOT NULL,
                "signer_title" character varying(200) NOT NULL,
                "signer_name" character varying(200) NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "status" character varying(20) NOT NULL DEFAULT 'valid',
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_reason" character varying(500),
                "superseded_by" uuid,
                "key_id" uuid NOT NULL,
                "signed_payload" text NOT NULL,
                "signature" character varying(200) NOT NULL,
                "file_id" uuid,
                "sha256" character(64),
                "rendered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e4c7e31e2144300bea7d89eb165" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificates_course" ON "certificates" ("course_id", "training_year")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificates_sha256" ON "certificates" ("sha256")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificates_code" ON "certificates" ("verification_code")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificates_serial_version" ON "certificates" ("serial", "version")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificates_current" ON "certificates" ("person_id", "course_id", "training_year")
            WHERE status <> 'superseded'
        `);
    await queryRunner.query(`
            CREATE TABLE "certificate_serials" (
                "prefix" character varying(20) NOT NULL,
                "year" integer NOT NULL,
                "last_number" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_45f50646598ef5e8d59c198a6de" PRIMARY KEY ("prefix", "year")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "signing_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "issuer_unit_id" uuid NOT NULL,
                "public_key_pem" text NOT NULL,
                "private_key_encrypted" text NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ab7d78cf6e61dc3904133b4cd55" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_signing_keys_active" ON "signing_keys" ("issuer_unit_id")
            WHERE active
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."UQ_signing_keys_active"
        `);
    await queryRunner.query(`
            DROP TABLE "signing_keys"
        `);
    await queryRunner.query(`
            DROP TABLE "certificate_serials"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificates_current"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificates_serial_version"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificates_code"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificates_sha256"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificates_course"
        `);
    await queryRunner.query(`
            DROP TABLE "certificates"
        `);
  }
}
