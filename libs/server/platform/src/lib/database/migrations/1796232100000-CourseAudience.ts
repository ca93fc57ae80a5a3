import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may take a published course: the owner unit's subtree (default: until now every province's published courses were
 * listed to everyone, and any quiz could be started by id), named units, or everyone.
 */
export class CourseAudience1796232100000 implements MigrationInterface {
  name = 'CourseAudience1796232100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "courses" ADD "audience_scope" character varying(20) NOT NULL DEFAULT 'subtree'`);
    await queryRunner.query(`ALTER TABLE "courses" ADD "audience_unit_ids" uuid array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "audience_unit_ids"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "audience_scope"`);
  }
}
