import { randomUUID } from 'node:crypto';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { NetworkCategory, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import type { PlanRow } from '@dxtrain/server/organisation';
import { insertPeople, insertUnits } from './bulk';
import { prng } from './names';
import { MIXES, PeopleFactory, PersonRow } from './people';
import { FORMER_PROVINCES, FormerProvince, NEW_PROVINCES, NewProvince } from './reform-2025.data';
import { TreeBuilder, UnitRow } from './tree';

/** Seed of the demo PRNG: every install gets the same demo provinces (Decision 1690, fittingly). */
export const DEMO_SEED = 1690;
export const DEMO_ACCOUNTS = ['superadmin', 'admin', 'organiser', 'manager', 'hr', 'learner', 'admin_tn', 'organiser_tn'] as const;
export type DemoUsername = (typeof DEMO_ACCOUNTS)[number];

/** Codes of the provinces as they are today, and of the former ones (closed on 30 June 2025). */
export const DEMO_PROVINCE_CODES = ['GL', 'TN'] as const;
export const FORMER_PROVINCE_CODE: Record<string, string> = { GL: 'GL.CU', BD: 'BD.CU', TN: 'TN.CU', LA: 'LA.CU' };
/** The reorganisation plans the setup applies through the reorganisation tool, by name. */
export const REFORM_PLAN_NAME = (provinceName: string) => `Sắp xếp đơn vị hành chính 2025 – ${provinceName} (dữ liệu mẫu)`;
export const DX_MERGER_DATE = '2025-03-01';
export const REFORM_DATE = '2025-07-01';

/** Same parameters as the identity module's ARGON2_OPTIONS (not imported: that would load Nest). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Provincial departments before 1 March 2025 (Sở TT&TT, with its ICT Centre, is always created). */
const FORMER_DEPARTMENTS: Array<[code: string, name: string]> = [
  ['VP', 'Văn phòng UBND tỉnh'],
  ['SNV', 'Sở Nội vụ'],
  ['STC', 'Sở Tài chính'],
  ['SKHDT', 'Sở Kế hoạch và Đầu tư'],
  ['SKHCN', 'Sở Khoa học và Công nghệ'],
  ['STP', 'Sở Tư pháp'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo'],
  ['SYT', 'Sở Y tế'],
  ['STNMT', 'Sở Tài nguyên và Môi trường'],
  ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn'],
  ['SXD', 'Sở Xây dựng'],
  ['SGTVT', 'Sở Giao thông vận tải'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'],
  ['CA', 'Công an tỉnh'],
];

/** Mergers of departments on 1 March 2025 (Conclusion 121-KL/TW, the provinces' resolutions): absorbed → absorbing. */
const DEPARTMENT_MERGERS_2025_03: Array<[from: string, to: string]> = [
  ['STTTT', 'SKHCN'],
  ['SKHDT', 'STC'],
  ['SGTVT', 'SXD'],
];
/** Sở Nông nghiệp và Môi trường: formed on 1 March 2025 from agriculture and natural resources. */
const AGRI_ENV: [string, string, string[]] = ['SNNMT', 'Sở Nông nghiệp và Môi trường', ['STNMT', 'SNNPTNT']];

/** Departments of a province from 1 July 2025, each formed from the same department of the former provinces. */
const NEW_DEPARTMENTS: Array<[code: string, name: string]> = [
  ['VP', 'Văn phòng UBND tỉnh'],
  ['SNV', 'Sở Nội vụ'],
  ['STC', 'Sở Tài chính'],
  ['SKHCN', 'Sở Khoa học và Công nghệ'],
  ['STP', 'Sở Tư pháp'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo'],
  ['SYT', 'Sở Y tế'],
  ['SNNMT', 'Sở Nông nghiệp và Môi trường'],
  ['SXD', 'Sở Xây dựng'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'],
  ['CA', 'Công an tỉnh'],
];

const HIGHLAND = new Set(['GL']);

export interface DemoAccount {
  username: DemoUsername;
  displayName: string;
  person: PersonRow | null;
  /** unit null: a deployment-wide grant (superadmin). */
  grants: Array<{ role: Role; unit: UnitRow | null }>;
}

export interface DemoData {
  /** The former provinces as they were until 2025 (the reorganisation plans turn them into today's). */
  units: UnitRow[];
  people: PersonRow[];
  /** Former province roots by former code (GL, BD, TN, LA). */
  formerRoots: Record<string, UnitRow>;
  accounts: DemoAccount[];
  /** One plan per new province, in the order they are applied. */
  plans: Array<{ province: string; name: string; rows: PlanRow[] }>;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The demo as rows (pure: no database), the same on every call: the four former provinces (Gia Lai, Bình Định,
 * Tây Ninh, Long An) with departments, districts, communes and community digital teams, ~3,000 generated people,
 * the demo accounts granted on former units, and the 2025 reform as two reorganisation plans (departments merged
 * on 1 March 2025, provinces merged and districts abolished on 1 July 2025) that the setup applies with the
 * reorganisation tool, so that the grants and people land where they are in 2026.
 */
export function buildDemo(seed = DEMO_SEED): DemoData {
  const rand = prng(seed);
  const tree = new TreeBuilder();
  const factory = new PeopleFactory(rand, { emailStyle: 'unique-by-name', emailShare: 0.9 });
  const formerRoots: Record<string, UnitRow> = {};
  const byCode = new Map<string, UnitRow>();
  const communeUnit = new Map<string, UnitRow>(); // `${province}:${district}:${commune}` → unit
  const add = (parent: UnitRow | null, code: string, name: string, kind: OrgUnitKind, validFrom?: string) => {
    const u = tree.add(parent, code, name, kind, validFrom);
    byCode.set(code, u);
    return u;
  };
  const who: Partial<Record<'organiser' | 'hr' | 'manager' | 'learner' | 'organiser_tn', PersonRow>> = {};

  for (const fp of FORMER_PROVINCES) {
    buildFormer(fp);
  }

  function buildFormer(fp: FormerProvince): void {
    const p = fp.code;
    const rc = FORMER_PROVINCE_CODE[p];
    const root = add(null, rc, fp.name, OrgUnitKind.Province, fp.validFrom);
    formerRoots[p] = root;
    const highland = HIGHLAND.has(p);
    const dx = add(root, `${rc}-STTTT`, 'Sở Thông tin và Truyền thông', OrgUnitKind.Department, '2008-04-01');
    const centre = add(dx, `${rc}-STTTT-TTCNTT`, 'Trung tâm Công nghệ thông tin và Truyền thông', OrgUnitKind.PublicServiceUnit, '2010-01-01');
    const [dxHead] = factory.populate(dx, p, 14, { mix: MIXES.dxDepartment, focal: true });
    factory.populate(centre, p, 10, { mix: MIXES.ictCentre, focal: true });
    if (p === 'GL') who.organiser = dxHead;
    if (p === 'TN') who.organiser_tn = dxHead;
    FORMER_DEPARTMENTS.forEach(([code, name], i) => {
      const dept = add(root, `${rc}-${code}`, name, OrgUnitKind.Department);
      const staff = factory.populate(dept, p, code === 'CA' ? 12 : 9, { mix: code === 'CA' ? MIXES.police : MIXES.department, focal: i % 5 !== 3 });
      if (p === 'GL' && code === 'SNV') who.hr = Object.assign(staff[1], { position: 'Chuyên viên Phòng Công chức, viên chức', networkCategory: null, active: true });
    });
    const vnpt = add(root, `${rc}-VNPT`, `VNPT ${fp.name.replace(/^Tỉnh /, '')}`, OrgUnitKind.Enterprise);
    factory.populate(vnpt, p, 6, { focal: true });

    fp.districts.forEach((d, di) => {
      const district = add(root, `${rc}-${d.code}`, d.name, OrgUnitKind.District);
      const office = add(district, `${rc}-${d.code}-VHTT`, 'Phòng Văn hóa và Thông tin', OrgUnitKind.Other);
      factory.populate(district, p, 4, { focal: di % 6 !== 4 });
      factory.populate(office, p, 3, { mix: MIXES.district, focal: di % 4 !== 1 });
      d.communes.forEach((name, ci) => {
        const code = `${rc}-${d.code}-X${pad(ci + 1)}`;
        const commune = add(district, code, name, OrgUnitKind.Commune);
        communeUnit.set(`${p}:${d.code}:${name}`, commune);
        const [focal] = factory.populate(commune, p, 6, { focal: (ci + di) % 7 !== 2, highland });
        if (p === 'GL' && name === 'Phường Hội Thương') {
          who.manager = Object.assign(focal ?? factory.person(commune, p, 'Trần Văn Minh', { position: '', networkCategory: null, isFocalPoint: true, active: true }), {
            position: 'Phó Chủ tịch UBND phường',
            networkCategory: NetworkCategory.CommuneOfficial,
            isFocalPoint: true,
            active: true,
          });
        }
        if (p === 'GL' && d.code === 'PKU' && name === 'Xã Trà Đa') {
          who.learner = factory.person(commune, p, 'Nguyễn Thị Hương', {
            position: 'Công chức Văn hóa - Xã hội',
            networkCategory: NetworkCategory.CommuneOfficial,
            isFocalPoint: false,
            active: true,
          });
        }
        if (ci % 3 === 0) {
          const place = name.replace(/^(Phường|Xã|Thị trấn) /, '');
          const team = add(commune, `${code}-TCNS`, `Tổ công nghệ số cộng đồng ${place}`, OrgUnitKind.CommunityDigitalTeam, '2022-06-01');
          factory.populate(team, p, 4, { focal: true, highland });
        }
      });
    });
  }

  // Every demo account's person has an e-mail address (class invitations, reminders).
  for (const [key, person] of Object.entries(who) as Array<[string, PersonRow]>) {
    if (!person.email) person.email = `${key.replace('_', '.')}.demo@example.gov.vn`;
  }
  const { organiser, manager, hr, learner, organiser_tn } = who as Required<typeof who>;
  const unitOf = (p: PersonRow) => tree.units.find((u) => u.id === p.orgUnitId) as UnitRow;
  const accounts: DemoAccount[] = [
    { username: 'superadmin', displayName: 'Quản trị toàn hệ thống', person: null, grants: [{ role: Role.Superadmin, unit: null }] },
    {
      username: 'admin',
      displayName: 'Quản trị hệ thống',
      person: null,
      grants: ['GL', 'BD', 'TN', 'LA'].map((p) => ({ role: Role.Admin, unit: formerRoots[p] })),
    },
    { username: 'organiser', displayName: organiser.fullName, person: organiser, grants: [{ role: Role.Organiser, unit: formerRoots['GL'] }, { role: Role.Organiser, unit: formerRoots['BD'] }] },
    { username: 'manager', displayName: manager.fullName, person: manager, grants: [{ role: Role.UnitManager, unit: unitOf(manager) }] },
    { username: 'hr', displayName: hr.fullName, person: hr, grants: [{ role: Role.Hr, unit: formerRoots['GL'] }, { role: Role.Hr, unit: formerRoots['BD'] }] },
    { username: 'learner', displayName: learner.fullName, person: learner, grants: [{ role: Role.Learner, unit: unitOf(learner) }] },
    { username: 'admin_tn', displayName: 'Quản trị tỉnh Tây Ninh', person: null, grants: [{ role: Role.Admin, unit: formerRoots['TN'] }, { role: Role.Admin, unit: formerRoots['LA'] }] },
    {
      username: 'organiser_tn',
      displayName: organiser_tn.fullName,
      person: organiser_tn,
      grants: [{ role: Role.Organiser, unit: formerRoots['TN'] }, { role: Role.Organiser, unit: formerRoots['LA'] }],
    },
  ];
  const plans = NEW_PROVINCES.map((np) => ({ province: np.code, name: REFORM_PLAN_NAME(np.name), rows: reformPlan(np, communeUnit) }));
  return { units: tree.units, people: factory.people, formerRoots, accounts, plans };
}

/**
 * The 2025 reform of one new province as plan rows: on 1 March 2025 the former provinces' departments merge
 * (Sở TT&TT into Sở KH&CN…); on 1 July 2025 the new province, its departments and communes are created, every
 * former commune closes into the new commune the resolution names, the former departments into the new ones, the
 * district level is abolished and the former provinces close into the new one.
 */
export function reformPlan(np: NewProvince, communeUnit: ReadonlyMap<string, UnitRow>): PlanRow[] {
  const rows: PlanRow[] = [];
  const row = (action: string, unit: string, target: string, date: string, name = '', kind = '') =>
    rows.push({ row: rows.length + 2, action, unit, target, name, kind, date, assign: '' });
  const formers = np.formedFrom.map((p) => FORMER_PROVINCE_CODE[p]);
  for (const rc of formers) {
    for (const [from, to] of DEPARTMENT_MERGERS_2025_03) row('close_into', `${rc}-${from}`, `${rc}-${to}`, DX_MERGER_DATE);
    row('create', `${rc}-${AGRI_ENV[0]}`, rc, DX_MERGER_DATE, AGRI_ENV[1], 'department');
    for (const from of AGRI_ENV[2]) row('close_into', `${rc}-${from}`, `${rc}-${AGRI_ENV[0]}`, DX_MERGER_DATE);
  }
  const p = np.code;
  row('create', p, '', REFORM_DATE, np.name, 'province');
  for (const [code, name] of NEW_DEPARTMENTS) row('create', `${p}-${code}`, p, REFORM_DATE, name, 'department');
  row('create', `${p}-VNPT`, p, REFORM_DATE, `VNPT ${np.name.replace(/^Tỉnh /, '')}`, 'enterprise');
  np.communes.forEach((c, i) => {
    const code = `${p}-X${pad(i + 1, 3)}`;
    row('create', code, p, REFORM_DATE, c.name, 'commune');
    for (const f of c.formedFrom) {
      const province = np.formedFrom.find((fp) => communeUnit.has(`${fp}:${f.district}:${f.commune}`));
      const old = province ? communeUnit.get(`${province}:${f.district}:${f.commune}`) : undefined;
      if (old) row('close_into', old.code, code, REFORM_DATE);
    }
  });
  for (const [i, rc] of formers.entries()) {
    const former = FORMER_PROVINCES.find((fp) => fp.code === np.formedFrom[i]);
    // District offices of culture and information close into the province's department of culture.
    for (const d of former?.districts ?? []) row('close_into', `${rc}-${d.code}-VHTT`, `${p}-SVHTTDL`, REFORM_DATE);
    for (const [code] of NEW_DEPARTMENTS) row('close_into', `${rc}-${code}`, `${p}-${code}`, REFORM_DATE);
    row('close_into', `${rc}-VNPT`, `${p}-VNPT`, REFORM_DATE);
    row('abolish_level', rc, '', REFORM_DATE, '', 'district');
    row('close_into', rc, p, REFORM_DATE);
  }
  return rows;
}

export interface SeedResult {
  created: boolean;
  units: number;
  people: number;
  accounts: string[];
}

const NOTHING: SeedResult = { created: false, units: 0, people: 0, accounts: [] };

/**
 * Loads the former provinces (as they were until 2025), ~3,000 people and the demo accounts, all with
 * `opts.password`. The reorganisation plans of `buildDemo().plans` are applied afterwards by the api setup with the
 * reorganisation tool. Idempotent: does nothing if a user named `admin` exists. One transaction, serialised with an
 * advisory lock, so two processes starting at once cannot both seed (or half-seed).
 */
export async function seedDemoData(dataSource: DataSource, opts: { password: string; log?: (msg: string) => void }): Promise<SeedResult> {
  const adminExists = async (q: { query(sql: string): Promise<Array<{ exists: boolean }>> }) =>
    (await q.query(`SELECT EXISTS (SELECT 1 FROM users WHERE username = 'admin') AS exists`))[0].exists;
  if (await adminExists(dataSource)) return NOTHING;

  const started = Date.now();
  const demo = buildDemo();
  // argon2 is deliberately slow: hash once, reuse for every demo account.
  const hash = await argon2.hash(opts.password, ARGON2_OPTIONS);

  const created = await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('dxtrain:demo-data'))`);
    if (await adminExists(manager)) return false;
    await insertUnits(manager, demo.units);
    // The former structure existed long before anything recorded here: its units' places and the people's units since always.
    await manager.query(`UPDATE org_unit_paths SET valid_from = '-infinity' WHERE unit_id = ANY($1::uuid[])`, [demo.units.map((u) => u.id)]);
    await insertPeople(manager, demo.people);
    await manager.query(`UPDATE person_unit_history SET valid_from = '-infinity' WHERE person_id = ANY($1::uuid[])`, [demo.people.map((p) => p.id)]);
    const users = demo.accounts.map((a) => ({ ...a, id: randomUUID() }));
    await manager.query(
      `INSERT INTO users (id, username, password_hash, display_name, person_id)
       SELECT u.id, u.username, $3, u.display_name, u.person_id FROM unnest($1::uuid[], $2::varchar[], $4::varchar[], $5::uuid[]) AS u(id, username, display_name, person_id)`,
      [users.map((u) => u.id), users.map((u) => u.username), hash, users.map((u) => u.displayName), users.map((u) => u.person?.id ?? null)],
    );
    const grants = users.flatMap((u) => u.grants.map((g) => [u.id, g.role, g.unit?.id ?? null]));
    await manager.query(
      `INSERT INTO role_grants (user_id, role, org_unit_id) SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::uuid[])`,
      [grants.map((g) => g[0]), grants.map((g) => g[1]), grants.map((g) => g[2])],
    );
    await manager.query(
      `INSERT INTO audit_events (actor_username, action, entity_type, entity_id, after) VALUES ('system', 'demo_data.seeded', 'system', NULL, $1::jsonb)`,
      [JSON.stringify({ units: demo.units.length, people: demo.people.length, accounts: [...DEMO_ACCOUNTS] })],
    );
    return true;
  });
  if (!created) return NOTHING;
  opts.log?.(
    `Demo data (former provinces): ${demo.units.length} units, ${demo.people.length} people, accounts ${DEMO_ACCOUNTS.join(', ')} (${Date.now() - started} ms).`,
  );
  return { created: true, units: demo.units.length, people: demo.people.length, accounts: [...DEMO_ACCOUNTS] };
}
