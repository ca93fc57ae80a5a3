import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { likeEscape, ORG_UNIT_PEOPLE_PORT, OrgUnitPeoplePort } from '@dxtrain/server/organisation';

/** The people domain's answer to the organisation domain's questions about staff. */
@Injectable()
export class OrgUnitPeopleAdapter implements OrgUnitPeoplePort {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async unitStaffFacts(unitId: string, unitPath: string) {
    const [[counts], focalPoints] = await Promise.all([
      this.db.query(
        `SELECT COUNT(*) FILTER (WHERE p.org_unit_id = $1)::int AS own, COUNT(*)::int AS subtree
           FROM people p JOIN org_units u ON u.id = p.org_unit_id
          WHERE u.path LIKE $2 AND p.active`,
        [unitId, `${likeEscape(unitPath)}%`],
      ),
      this.db.query(
        `SELECT id, full_name AS "fullName", staff_code AS "staffCode" FROM people
          WHERE org_unit_id = $1 AND is_focal_point AND active ORDER BY sort_key`,
        [unitId],
      ),
    ]);
    return { staffCount: counts.own, subtreeStaffCount: counts.subtree, focalPoints };
  }

  async movePeopleOnMerge(manager: EntityManager, fromUnitId: string, toUnitId: string): Promise<number> {
    const result = await manager.query(`UPDATE people SET org_unit_id = $2, updated_at = now() WHERE org_unit_id = $1`, [fromUnitId, toUnitId]);
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}

/** Global so that the organisation module can use the port without importing the people module. */
@Global()
@Module({
  providers: [OrgUnitPeopleAdapter, { provide: ORG_UNIT_PEOPLE_PORT, useExisting: OrgUnitPeopleAdapter }],
  exports: [ORG_UNIT_PEOPLE_PORT],
})
export class OrgUnitPeopleAdapterModule {}
