import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deployment-wide grant (role `superadmin`) has no unit: role_grants.org_unit_id becomes nullable, and a CHECK keeps
 * "no unit" and "superadmin" together. One such grant per user at most (the unique index ignores NULL units).
 */
export class DeploymentWideGrants1796232000000 implements MigrationInterface {
  name = 'DeploymentWideGrants1796232000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "role_grants" ALTER COLUMN "org_unit_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "role_grants" ADD CONSTRAINT "CHK_role_grants_unit_unless_superadmin" CHECK ((role = 'superadmin') = (org_unit_id IS NULL))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_role_grants_superadmin" ON "role_grants" ("user_id") WHERE org_unit_id IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."UQ_role_grants_superadmin"`);
    await queryRunner.query(`DELETE FROM "role_grants" WHERE org_unit_id IS NULL`);
    await queryRunner.query(`ALTER TABLE "role_grants" DROP CONSTRAINT "CHK_role_grants_unit_unless_superadmin"`);
    await queryRunner.query(`ALTER TABLE "role_grants" ALTER COLUMN "org_unit_id" SET NOT NULL`);
  }
}
