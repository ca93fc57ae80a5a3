import { randomUUID } from 'node:crypto';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { NetworkCategory, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { insertPeople, insertUnits } from './bulk';
import { prng } from './names';
import { MIXES, PeopleFactory, PersonRow } from './people';
import { TreeBuilder, UnitRow } from './tree';

/** Seed of the demo PRNG: every install gets the same demo provinces (Decision 1690, fittingly). */
export const DEMO_SEED = 1690;
export const DEMO_ACCOUNTS = ['admin', 'organiser', 'manager', 'hr', 'learner'] as const;

/** Same parameters as the identity module's ARGON2_OPTIONS (not imported: that would load Nest). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

interface ProvinceShape {
  code: string;
  name: string;
  validFrom: string;
  /** Provincial departments other than Sở TT&TT (which is always created, with the ICT Centre under it). */
  departments: string[];
  enterprise: string;
  /** [name, short code, communes] of the district-level units (before the 1 July 2025 reorganisation). */
  districts: Array<[string, string, string[]]>;
  highland: boolean;
}

const GIA_LAI: ProvinceShape = {
  code: 'GL',
  name: 'Tỉnh Gia Lai',
  validFrom: '1991-08-12',
  departments: [
    'Văn phòng UBND tỉnh', 'Sở Nội vụ', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Công an tỉnh', 'Sở Giao thông vận tải',
    'Sở Khoa học và Công nghệ', 'Sở Giáo dục và Đào tạo', 'Sở Y tế', 'Sở Tư pháp', 'Sở Tài nguyên và Môi trường',
    'Sở Nông nghiệp và Phát triển nông thôn', 'Đài Phát thanh - Truyền hình Gia Lai',
  ],
  enterprise: 'VNPT Gia Lai',
  // The 17 district-level units of Gia Lai before 2025, each with a few of its communes.
  districts: [
    ['Thành phố Pleiku', 'PKU', ['Phường Hội Thương', 'Phường Diên Hồng', 'Phường Ia Kring', 'Phường Yên Đỗ', 'Xã Biển Hồ']],
    ['Thị xã An Khê', 'AKH', ['Phường An Bình', 'Phường Tây Sơn', 'Phường An Phú', 'Xã Song An']],
    ['Thị xã Ayun Pa', 'AYP', ['Phường Đoàn Kết', 'Phường Cheo Reo', 'Xã Ia Rbol']],
    ['Huyện Chư Păh', 'CPA', ['Thị trấn Phú Hòa', 'Xã Ia Khươl', 'Xã Nghĩa Hòa', 'Xã Ia Ka']],
    ['Huyện Chư Prông', 'CPR', ['Thị trấn Chư Prông', 'Xã Ia Drang', 'Xã Ia Púch', 'Xã Bàu Cạn']],
    ['Huyện Chư Sê', 'CSE', ['Thị trấn Chư Sê', 'Xã Ia Blang', 'Xã Dun']],
    ['Huyện Chư Pưh', 'CPU', ['Thị trấn Nhơn Hòa', 'Xã Ia Le', 'Xã Ia Hrú']],
    ['Huyện Đak Đoa', 'DDO', ['Thị trấn Đak Đoa', 'Xã Glar', "Xã K'Dang", 'Xã Hà Bầu']],
    ['Huyện Đak Pơ', 'DPO', ['Thị trấn Đak Pơ', 'Xã Hà Tam', 'Xã Yang Bắc']],
    ['Huyện Đức Cơ', 'DCO', ['Thị trấn Chư Ty', 'Xã Ia Dom', 'Xã Ia Krêl']],
    ['Huyện Ia Grai', 'IGR', ['Thị trấn Ia Kha', 'Xã Ia Dêr', 'Xã Ia Sao', 'Xã Ia Hrung']],
    ['Huyện Ia Pa', 'IPA', ['Xã Pờ Tó', 'Xã Ia Mrơn', 'Xã Kim Tân']],
    ['Huyện KBang', 'KBA', ['Thị trấn KBang', 'Xã Sơn Lang', 'Xã Đông', 'Xã Tơ Tung']],
    ['Huyện Kông Chro', 'KCH', ['Thị trấn Kông Chro', 'Xã Chư Krêy', 'Xã Đăk Song']],
    ['Huyện Krông Pa', 'KPA', ['Thị trấn Phú Túc', 'Xã Ia Rsai', 'Xã Chư Gu']],
    ['Huyện Mang Yang', 'MYA', ['Thị trấn Kon Dơng', 'Xã Ayun', 'Xã Đak Djrăng']],
    ['Huyện Phú Thiện', 'PTH', ['Thị trấn Phú Thiện', 'Xã Ia Sol', 'Xã Chư A Thai']],
  ],
  highland: true,
};

const TAY_NINH: ProvinceShape = {
  code: 'TN',
  name: 'Tỉnh Tây Ninh',
  validFrom: '1976-02-20',
  departments: ['Văn phòng UBND tỉnh', 'Sở Nội vụ', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Công an tỉnh', 'Sở Y tế', 'Sở Giáo dục và Đào tạo'],
  enterprise: 'VNPT Tây Ninh',
  districts: [
    ['Thành phố Tây Ninh', 'TPTN', ['Phường 1', 'Phường 3', 'Phường Ninh Sơn', 'Xã Thạnh Tân']],
    ['Thị xã Hòa Thành', 'HTH', ['Phường Long Hoa', 'Phường Hiệp Tân', 'Xã Trường Tây']],
    ['Thị xã Trảng Bàng', 'TBA', ['Phường An Tịnh', 'Phường Gia Lộc', 'Xã Hưng Thuận']],
    ['Huyện Tân Biên', 'TBI', ['Thị trấn Tân Biên', 'Xã Thạnh Tây', 'Xã Hòa Hiệp']],
    ['Huyện Tân Châu', 'TCH', ['Thị trấn Tân Châu', 'Xã Suối Ngô', 'Xã Tân Hòa']],
    ['Huyện Dương Minh Châu', 'DMC', ['Thị trấn Dương Minh Châu', 'Xã Phan', 'Xã Suối Đá']],
    ['Huyện Châu Thành', 'CTH', ['Thị trấn Châu Thành', 'Xã Hảo Đước', 'Xã Thái Bình']],
    ['Huyện Gò Dầu', 'GDA', ['Thị trấn Gò Dầu', 'Xã Thanh Phước', 'Xã Phước Đông']],
    ['Huyện Bến Cầu', 'BCA', ['Thị trấn Bến Cầu', 'Xã Lợi Thuận', 'Xã Long Thuận']],
  ],
  highland: false,
};

export interface DemoAccount {
  username: (typeof DEMO_ACCOUNTS)[number];
  displayName: string;
  person: PersonRow | null;
  grants: Array<{ role: Role; unit: UnitRow }>;
}

export interface DemoData {
  units: UnitRow[];
  people: PersonRow[];
  roots: Record<'GL' | 'TN', UnitRow>;
  accounts: DemoAccount[];
}

/** The demo provinces, people and accounts as rows (pure: no database). The content is the same for every call. */
export function buildDemo(seed = DEMO_SEED): DemoData {
  const rand = prng(seed);
  const tree = new TreeBuilder();
  const factory = new PeopleFactory(rand, { emailStyle: 'unique-by-name' });
  const roots = {} as Record<'GL' | 'TN', UnitRow>;
  const named = new Map<string, UnitRow>();
  const accountPeople: Partial<Record<'organiser' | 'manager' | 'hr' | 'learner', PersonRow>> = {};

  for (const shape of [GIA_LAI, TAY_NINH]) {
    const p = shape.code;
    const root = tree.add(null, p, shape.name, OrgUnitKind.Province, shape.validFrom);
    roots[p as 'GL' | 'TN'] = root;
    const dx = tree.add(root, `${p}-STTTT`, 'Sở Thông tin và Truyền thông', OrgUnitKind.Department);
    const centre = tree.add(dx, `${p}-STTTT-TTCNTT`, 'Trung tâm Công nghệ thông tin và Truyền thông', OrgUnitKind.PublicServiceUnit);
    const [dxHead] = factory.populate(dx, p, 16, { mix: MIXES.dxDepartment, focal: true });
    factory.populate(centre, p, 12, { mix: MIXES.ictCentre, focal: true });
    if (p === 'GL') accountPeople.organiser = dxHead;

    shape.departments.forEach((name, i) => {
      const dept = tree.add(root, `${p}-S${String(i + 1).padStart(2, '0')}`, name, OrgUnitKind.Department);
      named.set(`${p}:${name}`, dept);
      // Every fifth department has no focal point yet, so "Chưa có đầu mối" shows on its page.
      const staff = factory.populate(dept, p, 18, { mix: name === 'Công an tỉnh' ? MIXES.police : MIXES.department, focal: i % 5 !== 3 });
      if (p === 'GL' && name === 'Sở Nội vụ') {
        accountPeople.hr = Object.assign(staff[1], { position: 'Chuyên viên Phòng Công chức, viên chức', networkCategory: null, active: true });
      }
    });

    const enterprise = tree.add(root, `${p}-VNPT`, shape.enterprise, OrgUnitKind.Enterprise);
    factory.populate(enterprise, p, 10, { focal: true });

    shape.districts.forEach(([name, code, communes], d) => {
      const district = tree.add(root, `${p}-${code}`, name, OrgUnitKind.District);
      const office = tree.add(district, `${p}-${code}-VHTT`, 'Phòng Văn hóa và Thông tin', OrgUnitKind.Other);
      const [districtFocal] = factory.populate(district, p, 6, { focal: d % 6 !== 4 });
      factory.populate(office, p, 5, { mix: MIXES.district, focal: d % 4 !== 1 });
      if (p === 'GL' && code === 'PKU') accountPeople.manager = Object.assign(districtFocal, { position: 'Phó Chánh Văn phòng HĐND - UBND thành phố' });
      communes.forEach((communeName, c) => {
        const commune = tree.add(district, `${p}-${code}-X${String(c + 1).padStart(2, '0')}`, communeName, OrgUnitKind.Commune);
        named.set(`${p}:${communeName}`, commune);
        factory.populate(commune, p, 22, { focal: (c + d) % 7 !== 2, highland: shape.highland });
        if (communeName === 'Phường Hội Thương') {
          accountPeople.learner = factory.person(commune, p, 'Nguyễn Thị Hương', {
            position: 'Công chức Văn hóa - Xã hội',
            networkCategory: NetworkCategory.CommuneOfficial,
            isFocalPoint: false,
            active: true,
          });
        }
        if (c % 2 === 0) {
          const place = communeName.replace(/^(Phường|Xã|Thị trấn) /, '');
          const team = tree.add(commune, `${p}-${code}-X${String(c + 1).padStart(2, '0')}-TCNS`, `Tổ công nghệ số cộng đồng ${place}`, OrgUnitKind.CommunityDigitalTeam, '2022-06-01');
          factory.populate(team, p, 8, { focal: true, highland: shape.highland });
        }
      });
    });
  }

  // 2025 history: Xã Biển Hồ was merged into Phường Yên Đỗ on 1 July 2025. The absorbed commune stays,
  // closed, so past training records keep their unit; its people and its team moved to Yên Đỗ.
  const bienHo = named.get('GL:Xã Biển Hồ') as UnitRow;
  const yenDo = named.get('GL:Phường Yên Đỗ') as UnitRow;
  tree.merge(bienHo, yenDo, '2025-06-30', '2025-07-01');
  for (const person of factory.people) {
    if (person.orgUnitId === bienHo.id) Object.assign(person, { orgUnitId: yenDo.id, isFocalPoint: false });
  }

  const { organiser, manager, hr, learner } = accountPeople as Required<typeof accountPeople>;
  const accounts: DemoAccount[] = [
    { username: 'admin', displayName: 'Quản trị hệ thống', person: null, grants: [{ role: Role.Admin, unit: roots.GL }, { role: Role.Admin, unit: roots.TN }] },
    { username: 'organiser', displayName: organiser.fullName, person: organiser, grants: [{ role: Role.Organiser, unit: roots.GL }] },
    { username: 'manager', displayName: manager.fullName, person: manager, grants: [{ role: Role.UnitManager, unit: tree.units.find((u) => u.code === 'GL-PKU') as UnitRow }] },
    { username: 'hr', displayName: hr.fullName, person: hr, grants: [{ role: Role.Hr, unit: roots.GL }] },
    { username: 'learner', displayName: learner.fullName, person: learner, grants: [{ role: Role.Learner, unit: named.get('GL:Phường Hội Thương') as UnitRow }] },
  ];
  return { units: tree.units, people: factory.people, roots, accounts };
}

export interface SeedResult {
  created: boolean;
  units: number;
  people: number;
  accounts: string[];
}

const NOTHING: SeedResult = { created: false, units: 0, people: 0, accounts: [] };

/**
 * Loads the demo provinces (Gia Lai, Tây Ninh), ~3,000 people and the five demo accounts, all with
 * `opts.password`. Idempotent: does nothing if a user named `admin` exists. One transaction, serialised
 * with an advisory lock, so two processes starting at once cannot both seed (or half-seed).
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
    await insertPeople(manager, demo.people);
    const users = demo.accounts.map((a) => ({ ...a, id: randomUUID() }));
    await manager.query(
      `INSERT INTO users (id, username, password_hash, display_name, person_id)
       SELECT u.id, u.username, $3, u.display_name, u.person_id FROM unnest($1::uuid[], $2::varchar[], $4::varchar[], $5::uuid[]) AS u(id, username, display_name, person_id)`,
      [users.map((u) => u.id), users.map((u) => u.username), hash, users.map((u) => u.displayName), users.map((u) => u.person?.id ?? null)],
    );
    const grants = users.flatMap((u) => u.grants.map((g) => [u.id, g.role, g.unit.id]));
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
    `Demo data: ${demo.units.length} units, ${demo.people.length} people, accounts ${DEMO_ACCOUNTS.join(', ')} (${Date.now() - started} ms).`,
  );
  return { created: true, units: demo.units.length, people: demo.people.length, accounts: [...DEMO_ACCOUNTS] };
}
