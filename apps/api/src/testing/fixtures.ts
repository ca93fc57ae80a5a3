import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NetworkCategory, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { foldVietnamese, normaliseName, vietnameseNameSortKey } from '@dxtrain/shared/vietnamese';
import { AuthService } from '@dxtrain/server/identity';

export const FIXTURE_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

export interface FixtureUnit {
  id: string;
  code: string;
  path: string;
  rootId: string;
  depth: number;
}

/** Inserts a unit with the tree invariants (path, depth, root) the services rely on. */
export async function insertUnit(db: DataSource, code: string, name: string, kind: OrgUnitKind, parent?: FixtureUnit, validFrom = '2020-01-01'): Promise<FixtureUnit> {
  const id = randomUUID();
  const unit: FixtureUnit = {
    id,
    code,
    path: `${parent?.path ?? '/'}${id}/`,
    rootId: parent?.rootId ?? id,
    depth: parent ? parent.depth + 1 : 0,
  };
  await db.query(
    `INSERT INTO org_units (id, code, name, kind, parent_id, root_id, path, depth, search_text, valid_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [id, code, name, kind, parent?.id ?? null, unit.rootId, unit.path, unit.depth, foldVietnamese(`${name} ${code}`), validFrom],
  );
  return unit;
}

export async function insertPerson(
  db: DataSource,
  unit: FixtureUnit,
  staffCode: string,
  fullName: string,
  extra: { email?: string; category?: NetworkCategory | null; focalPoint?: boolean; active?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  const name = normaliseName(fullName);
  await db.query(
    `INSERT INTO people (id, province_id, staff_code, full_name, email, org_unit_id, network_category, is_focal_point, active, search_text, sort_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      unit.rootId,
      staffCode,
      name,
      extra.email ?? null,
      unit.id,
      extra.category === undefined ? NetworkCategory.CommuneOfficial : extra.category,
      extra.focalPoint ?? false,
      extra.active ?? true,
      foldVietnamese(`${name} ${staffCode} ${extra.email ?? ''}`),
      vietnameseNameSortKey(name),
    ],
  );
  return id;
}

export async function insertUser(db: DataSource, username: string, grants: Array<[Role, FixtureUnit]>, personId: string | null = null): Promise<string> {
  passwordHash ??= AuthService.hashPassword(FIXTURE_PASSWORD);
  const id = randomUUID();
  await db.query(`INSERT INTO users (id, username, password_hash, display_name, person_id) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    username,
    await passwordHash,
    username,
    personId,
  ]);
  for (const [role, unit] of grants) {
    await db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, $2, $3)`, [id, role, unit.id]);
  }
  return id;
}

export interface Fixture {
  tag: string;
  province: FixtureUnit;
  department: FixtureUnit;
  district1: FixtureUnit;
  district2: FixtureUnit;
  commune1a: FixtureUnit;
  commune1b: FixtureUnit;
  commune2a: FixtureUnit;
  otherProvince: FixtureUnit;
  users: { admin: string; organiser: string; manager: string; hr: string; learner: string; otherAdmin: string };
  people: { learner: string; huong: string; otherProvincePerson: string };
}

/**
 * A small province with two districts and an unrelated second province, one user per role.
 * Codes and usernames carry a random tag so test files never collide.
 */
export async function buildFixture(db: DataSource): Promise<Fixture> {
  const tag = randomUUID().slice(0, 8);
  const province = await insertUnit(db, `P-${tag}`, `Tỉnh Thử Nghiệm ${tag}`, OrgUnitKind.Province);
  const department = await insertUnit(db, `SO-${tag}`, 'Sở Thông tin và Truyền thông', OrgUnitKind.Department, province);
  const district1 = await insertUnit(db, `H1-${tag}`, 'Thành phố Pleiku', OrgUnitKind.District, province);
  const district2 = await insertUnit(db, `H2-${tag}`, 'Huyện Chư Păh', OrgUnitKind.District, province);
  const commune1a = await insertUnit(db, `X1A-${tag}`, 'Phường Hội Thương', OrgUnitKind.Commune, district1);
  const commune1b = await insertUnit(db, `X1B-${tag}`, 'Phường Diên Hồng', OrgUnitKind.Commune, district1);
  const commune2a = await insertUnit(db, `X2A-${tag}`, 'Xã Ia Khươl', OrgUnitKind.Commune, district2);
  const otherProvince = await insertUnit(db, `Q-${tag}`, `Tỉnh Khác ${tag}`, OrgUnitKind.Province);

  const learnerPerson = await insertPerson(db, commune1a, `L-${tag}`, 'Nguyễn Thị Hương', { email: `huong.${tag}@example.gov.vn` });
  const huong = learnerPerson;
  await insertPerson(db, commune1a, `A1-${tag}`, 'Trần Văn An');
  await insertPerson(db, commune1b, `A2-${tag}`, 'Lê Thị Ánh', { focalPoint: true, category: NetworkCategory.UnitFocalPoint });
  await insertPerson(db, commune2a, `B1-${tag}`, 'Phạm Minh Bảo');
  await insertPerson(db, department, `D1-${tag}`, 'Đặng Quốc Đạt', { category: NetworkCategory.ProvincialDxStaff, focalPoint: true });
  const otherProvincePerson = await insertPerson(db, otherProvince, `Q1-${tag}`, 'Hoàng Văn Hùng');

  const users = {
    admin: await insertUser(db, `admin-${tag}`, [[Role.Admin, province]]),
    organiser: await insertUser(db, `organiser-${tag}`, [[Role.Organiser, province]]),
    manager: await insertUser(db, `manager-${tag}`, [[Role.UnitManager, district1]]),
    hr: await insertUser(db, `hr-${tag}`, [[Role.Hr, province]]),
    learner: await insertUser(db, `learner-${tag}`, [[Role.Learner, commune1a]], learnerPerson),
    otherAdmin: await insertUser(db, `admin-q-${tag}`, [[Role.Admin, otherProvince]]),
  };
  return {
    tag,
    province,
    department,
    district1,
    district2,
    commune1a,
    commune1b,
    commune2a,
    otherProvince,
    users,
    people: { learner: learnerPerson, huong, otherProvincePerson },
  };
}
