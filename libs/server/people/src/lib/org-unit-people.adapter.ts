import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { likeEscape, ORG_UNIT_PEOPLE_PORT, OrgUnitPeoplePort } from '@dxtrain/server/organisation';
import { DomainException } from '@dxtrain/server/platform';

/** People moving into another province whose staff code or e-mail is already used there: refused, naming them. */
function refuseClashes(clashes: Array<{ staff_code: string; email: string | null }>): void {
  if (clashes.length) {
    throw DomainException.conflict(ErrorCode.StaffCodeTaken, clashes.map((c) => ({ field: 'staffCode', message: `${c.staff_code}${c.email ? ' / ' + c.email : ''}` })));
  }
}

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

  async activePeopleOf(manager: EntityManager, unitIds: string[]): Promise<Array<{ id: string; staffCode: string; orgUnitId: string }>> {
    return manager.query(`SELECT id, staff_code AS "staffCode", org_unit_id AS "orgUnitId" FROM people WHERE org_unit_id = ANY($1::uuid[]) AND active`, [unitIds]);
  }

  async movePeopleTo(manager: EntityManager, fromUnitId: string, toUnitId: string, personIds: string[] | null): Promise<string[]> {
    // Staff codes and e-mails are unique per province: moving into another province's tree must not collide.
    const clashes = (await manager.query(
      `SELECT p.staff_code, p.email FROM people p JOIN org_units t ON t.id = $2
         JOIN people q ON q.province_id = t.root_id AND q.id <> p.id AND (q.staff_code = p.staff_code OR q.email = p.email)
        WHERE p.org_unit_id = $1 AND p.province_id <> t.root_id AND ($3::uuid[] IS NULL OR p.id = ANY($3::uuid[])) LIMIT 20`,
      [fromUnitId, toUnitId, personIds],
    )) as Array<{ staff_code: string; email: string | null }>;
    refuseClashes(clashes);
    const [rows] = (await manager.query(
      `UPDATE people p SET org_unit_id = $2, province_id = t.root_id, updated_at = now() FROM org_units t
        WHERE t.id = $2 AND p.org_unit_id = $1 AND ($3::uuid[] IS NULL OR p.id = ANY($3::uuid[])) RETURNING p.id`,
      [fromUnitId, toUnitId, personIds],
    )) as [Array<{ id: string }>, number];
    return rows.map((r) => r.id);
  }

  async followSubtreeToProvince(manager: EntityManager, subtreePath: string, provinceId: string): Promise<number> {
    const clashes = (await manager.query(
      `SELECT p.staff_code, p.email FROM people p JOIN org_units u ON u.id = p.org_unit_id
         JOIN people q ON q.province_id = $2 AND q.id <> p.id AND (q.staff_code = p.staff_code OR q.email = p.email)
        WHERE u.path LIKE $1 AND p.province_id <> $2 LIMIT 20`,
      [`${likeEscape(subtreePath)}%`, provinceId],
    )) as Array<{ staff_code: string; email: string | null }>;
    refuseClashes(clashes);
    const res = (await manager.query(
      `UPDATE people p SET province_id = $2, updated_at = now() FROM org_units u WHERE u.id = p.org_unit_id AND u.path LIKE $1 AND p.province_id <> $2`,
      [`${likeEscape(subtreePath)}%`, provinceId],
    )) as [unknown, number];
    return Number(res[1] ?? 0);
  }
}

/** Global so that the organisation module can use the port without importing the people module. */
@Global()
@Module({
  providers: [OrgUnitPeopleAdapter, { provide: ORG_UNIT_PEOPLE_PORT, useExisting: OrgUnitPeopleAdapter }],
  exports: [ORG_UNIT_PEOPLE_PORT],
})
export class OrgUnitPeopleAdapterModule {}
