import { DataSource } from 'typeorm';
import { OrgUnitKind } from '@dxtrain/shared/contracts';
import { insertPeople, insertUnits, PEOPLE_BATCH } from './bulk';
import { pick, prng, Rand } from './names';
import { MIXES, PeopleFactory } from './people';
import { TreeBuilder, UnitRow } from './tree';

/** 34 provinces and centrally-run cities since 2025. */
export const SYNTHETIC_PROVINCES = 34;
/** Prefix of every synthetic province code (SYN01, SYN02, ...): the demo uses GL and TN, real tenants their own. */
export const SYNTHETIC_PREFIX = 'SYN';

const PLACE_WORDS = [
  'An', 'Bình', 'Phú', 'Tân', 'Hòa', 'Long', 'Thạnh', 'Phước', 'Đông', 'Tây', 'Nam', 'Bắc', 'Hưng', 'Mỹ', 'Vĩnh', 'Xuân', 'Thuận',
  'Lộc', 'Sơn', 'Hải', 'Quang', 'Trung', 'Thắng', 'Lợi', 'Hiệp', 'Khánh', 'Định', 'Thành', 'Nghĩa', 'Đức',
];
const DEPARTMENTS = [
  'Sở Khoa học và Công nghệ', 'Văn phòng UBND tỉnh', 'Sở Nội vụ', 'Sở Tài chính', 'Công an tỉnh', 'Sở Xây dựng', 'Sở Y tế',
  'Sở Giáo dục và Đào tạo', 'Sở Tư pháp', 'Sở Nông nghiệp và Môi trường', 'Sở Công Thương', 'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Dân tộc và Tôn giáo', 'Thanh tra tỉnh', 'Sở Ngoại vụ', 'Ban Quản lý các khu công nghiệp', 'Đài Phát thanh và Truyền hình',
  'Ban Quản lý dự án đầu tư xây dựng', 'Sở Lao động', 'Văn phòng Đoàn ĐBQH và HĐND tỉnh',
];

function placeName(rand: Rand): string {
  const a = pick(rand, PLACE_WORDS);
  let b = pick(rand, PLACE_WORDS);
  while (b === a) b = pick(rand, PLACE_WORDS);
  return `${a} ${b}`;
}

/** People weight per unit kind: how many staff a unit of that kind has, relatively. */
const WEIGHTS: Record<OrgUnitKind, number> = {
  [OrgUnitKind.Province]: 4,
  [OrgUnitKind.Department]: 40,
  [OrgUnitKind.PublicServiceUnit]: 20,
  [OrgUnitKind.District]: 12,
  [OrgUnitKind.Commune]: 30,
  [OrgUnitKind.Enterprise]: 10,
  [OrgUnitKind.CommunityDigitalTeam]: 8,
  [OrgUnitKind.Other]: 6,
};

export interface SyntheticTree {
  units: UnitRow[];
  /** province root id → province code (SYN01...). */
  provinceCodes: Map<string, string>;
}

/**
 * A national-scale tree (pure): `provinces` provinces sharing exactly `units` units between them,
 * each with departments (some with a public service unit under them), district-level units with a
 * Culture and Information office, communes, community digital teams (depth 3) and villages with
 * their own teams (depth 4).
 */
export function buildSyntheticTree(opts: { units: number; provinces?: number; seed?: number }): SyntheticTree {
  const provinces = Math.min(opts.provinces ?? SYNTHETIC_PROVINCES, opts.units);
  if (!Number.isInteger(opts.units) || opts.units < 1) throw new Error('units must be a positive integer');
  if (!Number.isInteger(provinces) || provinces < 1) throw new Error('provinces must be a positive integer');
  const rand = prng(opts.seed ?? 2030);
  const tree = new TreeBuilder();
  const provinceCodes = new Map<string, string>();
  for (let pi = 0; pi < provinces; pi++) {
    let left = Math.floor(opts.units / provinces) + (pi < opts.units % provinces ? 1 : 0);
    const code = `${SYNTHETIC_PREFIX}${String(pi + 1).padStart(2, '0')}`;
    const add = (parent: UnitRow | null, unitCode: string, name: string, kind: OrgUnitKind): UnitRow => {
      left--;
      return tree.add(parent, unitCode, name, kind);
    };
    const root = add(null, code, `Tỉnh ${placeName(rand)} (mô phỏng ${pi + 1})`, OrgUnitKind.Province);
    provinceCodes.set(root.id, code);
    const nDept = left >= 2 ? Math.max(1, Math.min(DEPARTMENTS.length, Math.round(left * 0.04))) : 0;
    const nDist = left >= 3 ? Math.max(1, Math.round(left / 30)) : 0;
    const depts: UnitRow[] = [];
    for (let i = 0; i < nDept && left > 0; i++) depts.push(add(root, `${code}-S${String(i + 1).padStart(2, '0')}`, DEPARTMENTS[i], OrgUnitKind.Department));
    for (let i = 0; i < depts.length && left > 0; i += 2) {
      add(depts[i], `${depts[i].code}-TT`, `Trung tâm trực thuộc ${depts[i].name}`, OrgUnitKind.PublicServiceUnit);
    }
    const districts: UnitRow[] = [];
    for (let j = 0; j < nDist && left > 0; j++) {
      const kind = pick(rand, ['Huyện', 'Huyện', 'Huyện', 'Thị xã', 'Thành phố']);
      districts.push(add(root, `${code}-D${String(j + 1).padStart(3, '0')}`, `${kind} ${placeName(rand)}`, OrgUnitKind.District));
    }
    for (let j = 0; j < districts.length && left > 0; j++) add(districts[j], `${districts[j].code}-VHTT`, 'Phòng Văn hóa và Thông tin', OrgUnitKind.Other);
    // The rest are communes, round-robin over the districts (or the departments/root when the budget is tiny).
    const hosts = districts.length ? districts : depts.length ? depts : [root];
    const perHost = new Map<string, number>();
    for (let k = 0; left > 0; k++) {
      const host = hosts[k % hosts.length];
      const n = (perHost.get(host.id) ?? 0) + 1;
      perHost.set(host.id, n);
      const prefix = pick(rand, ['Xã', 'Xã', 'Xã', 'Phường', 'Thị trấn']);
      const commune = add(host, `${host.code}-X${String(n).padStart(3, '0')}`, `${prefix} ${placeName(rand)}`, host.kind === OrgUnitKind.District ? OrgUnitKind.Commune : OrgUnitKind.Other);
      if (left > 0 && k % 2 === 0) add(commune, `${commune.code}-TCNS`, `Tổ công nghệ số cộng đồng ${commune.name.replace(/^(Phường|Xã|Thị trấn) /, '')}`, OrgUnitKind.CommunityDigitalTeam);
      if (left > 0 && k % 4 === 1) {
        const village = add(commune, `${commune.code}-T01`, `Thôn ${placeName(rand)}`, OrgUnitKind.Other);
        if (left > 0) add(village, `${village.code}-TCNS`, `Tổ công nghệ số cộng đồng thôn ${village.name.slice(5)}`, OrgUnitKind.CommunityDigitalTeam);
      }
    }
  }
  return { units: tree.units, provinceCodes };
}

/** Splits `total` between units in proportion to their kind's weight, exactly (cumulative rounding). */
export function allocatePeople(units: readonly UnitRow[], total: number): number[] {
  const weights = units.map((u) => WEIGHTS[u.kind]);
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let cum = 0;
  let given = 0;
  for (const w of weights) {
    cum += w;
    const upTo = Math.floor((total * cum) / sum);
    out.push(upTo - given);
    given = upTo;
  }
  return out;
}

export interface SyntheticResult {
  units: number;
  people: number;
  ms: number;
}

/**
 * Loads a national-scale synthetic organisation (for benchmarks and load tests): ~34 provinces
 * (codes SYN01...) sharing `units` units, and `people` people with generated Vietnamese names,
 * network categories and focal points. Rows are generated in JS and bulk-loaded (see bulk.ts for
 * why the ORM is bypassed). One transaction; adds a new set of provinces on every call.
 */
export async function generateSynthetic(
  dataSource: DataSource,
  opts: { people: number; units: number; provinces?: number; seed?: number; log?: (msg: string) => void },
): Promise<SyntheticResult> {
  if (!Number.isInteger(opts.people) || opts.people < 0) throw new Error('people must be a non-negative integer');
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const { units, provinceCodes } = buildSyntheticTree(opts);
  const rand = prng((opts.seed ?? 2030) + 1);
  const factory = new PeopleFactory(rand, { emailStyle: 'numbered', staffCodeDigits: 7 });
  const counts = allocatePeople(units, opts.people);
  log(`Synthetic: ${units.length} units built (${Date.now() - started} ms)`);
  let loaded = 0;
  await dataSource.transaction(async (manager) => {
    // Losing this transaction in a crash costs nothing (it is synthetic data): skip waiting for the WAL flush.
    await manager.query('SET LOCAL synchronous_commit = off');
    await insertUnits(manager, units);
    log(`Synthetic: ${units.length} units loaded (${Date.now() - started} ms)`);
    // People are generated and loaded in batches, two-stage pipelined: while PostgreSQL inserts one batch,
    // JS generates the next. Memory stays flat however many people are asked for.
    let inflight: Promise<void> = Promise.resolve();
    const flush = async () => {
      const batch = factory.take();
      if (!batch.length) return;
      await inflight;
      inflight = insertPeople(manager, batch).then(() => {
        loaded += batch.length;
        if (loaded % 100_000 < batch.length) log(`Synthetic: ${loaded} people loaded (${Date.now() - started} ms)`);
      });
      inflight.catch(() => undefined); // awaited below; this only stops it counting as unhandled meanwhile
      // Let the INSERT reach the server before the next batch is generated.
      await new Promise((resolve) => setImmediate(resolve));
    };
    for (let i = 0; i < units.length; i++) {
      if (counts[i] === 0) continue;
      const unit = units[i];
      const isDx = unit.kind === OrgUnitKind.Department && unit.code.endsWith('-S01');
      // Roughly one unit in eight has no focal point yet.
      factory.populate(unit, provinceCodes.get(unit.rootId) as string, counts[i], { mix: isDx ? MIXES.dxDepartment : undefined, focal: rand() >= 0.125 });
      if (factory.people.length >= PEOPLE_BATCH) await flush();
    }
    await flush();
    await inflight;
  });
  await dataSource.query('ANALYZE org_units');
  await dataSource.query('ANALYZE people');
  return { units: units.length, people: loaded, ms: Date.now() - started };
}
