import { randomUUID } from 'node:crypto';
import { NetworkCategory, OrgUnitKind } from '@dxtrain/shared/contracts';
import { normaliseName } from '@dxtrain/shared/vietnamese';
import { emailLocalPart, generatePersonName, generatePhone, pick, Rand, weighted } from './names';
import { UnitRow } from './tree';

/** One people row, built in memory; search_text and sort_key are derived at load time. */
export interface PersonRow {
  id: string;
  provinceId: string;
  staffCode: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  orgUnitId: string;
  position: string | null;
  networkCategory: NetworkCategory | null;
  isFocalPoint: boolean;
  active: boolean;
}

/** How a unit's staff split between network categories (null = outside the DX network). */
export type CategoryMix = ReadonlyArray<readonly [NetworkCategory | null, number]>;

const C = NetworkCategory;
export const MIXES = {
  dxDepartment: [[C.ProvincialDxStaff, 8], [C.UnitFocalPoint, 1], [null, 1]],
  ictCentre: [[C.ProvincialDxStaff, 6], [C.CyberIncidentResponse, 3], [null, 1]],
  department: [[C.UnitFocalPoint, 7], [C.CyberIncidentResponse, 1], [null, 2]],
  police: [[C.CyberIncidentResponse, 6], [C.UnitFocalPoint, 2], [null, 2]],
  district: [[C.UnitFocalPoint, 9], [null, 1]],
  commune: [[C.CommuneOfficial, 6], [C.CommuneItOfficer, 2], [null, 1]],
  team: [[C.CommunityDigitalTeam, 1]],
  enterprise: [[C.EnterpriseStaff, 9], [null, 1]],
  other: [[C.UnitFocalPoint, 1], [null, 1]],
} satisfies Record<string, CategoryMix>;

/** The mix used when nothing more specific is known about a unit. */
export function mixForKind(kind: OrgUnitKind): CategoryMix {
  switch (kind) {
    case OrgUnitKind.Department:
    case OrgUnitKind.PublicServiceUnit:
      return MIXES.department;
    case OrgUnitKind.District:
      return MIXES.district;
    case OrgUnitKind.Commune:
      return MIXES.commune;
    case OrgUnitKind.CommunityDigitalTeam:
      return MIXES.team;
    case OrgUnitKind.Enterprise:
      return MIXES.enterprise;
    case OrgUnitKind.Province:
      return MIXES.district;
    default:
      return MIXES.other;
  }
}

export const POSITIONS: Record<NetworkCategory, readonly string[]> = {
  [C.ProvincialDxStaff]: ['Chuyên viên Phòng Chuyển đổi số', 'Trưởng phòng Chuyển đổi số', 'Kỹ sư hệ thống', 'Phó Giám đốc', 'Chuyên viên CNTT'],
  [C.UnitFocalPoint]: ['Chuyên viên CNTT', 'Chánh Văn phòng', 'Phó Chánh Văn phòng', 'Phó Trưởng phòng', 'Chuyên viên Văn phòng'],
  [C.CommuneOfficial]: ['Công chức Văn phòng - Thống kê', 'Công chức Tư pháp - Hộ tịch', 'Công chức Địa chính - Xây dựng', 'Phó Chủ tịch UBND'],
  [C.CommuneItOfficer]: ['Người hoạt động không chuyên trách (Công nghệ thông tin)'],
  [C.CommunityDigitalTeam]: ['Thành viên Tổ công nghệ số cộng đồng', 'Thành viên Tổ công nghệ số cộng đồng', 'Tổ phó Tổ công nghệ số cộng đồng'],
  [C.EnterpriseStaff]: ['Kỹ sư viễn thông', 'Chuyên viên kinh doanh dịch vụ số', 'Kỹ sư giải pháp'],
  [C.CyberIncidentResponse]: ['Thành viên Đội ứng cứu sự cố an toàn thông tin mạng', 'Cán bộ An ninh mạng'],
};
const OUTSIDE_POSITIONS = ['Chuyên viên', 'Kế toán', 'Văn thư', 'Phó Trưởng phòng', 'Phó Giám đốc', 'Thủ quỹ', 'Chuyên viên Tổ chức cán bộ'];

/** The focal point of a unit: category and position by unit kind. */
function focalRole(kind: OrgUnitKind, mix: CategoryMix): { category: NetworkCategory; position: string } {
  if (kind === OrgUnitKind.Commune) return { category: C.CommuneOfficial, position: 'Công chức Văn phòng - Thống kê' };
  if (kind === OrgUnitKind.CommunityDigitalTeam) return { category: C.CommunityDigitalTeam, position: 'Tổ trưởng Tổ công nghệ số cộng đồng' };
  if (kind === OrgUnitKind.Enterprise) return { category: C.EnterpriseStaff, position: 'Trưởng phòng Khách hàng tổ chức - doanh nghiệp' };
  if (mix === MIXES.dxDepartment || mix === MIXES.ictCentre) return { category: C.ProvincialDxStaff, position: 'Trưởng phòng Chuyển đổi số' };
  return { category: C.UnitFocalPoint, position: 'Chuyên viên CNTT (đầu mối chuyển đổi số)' };
}

type PersonFields = Pick<PersonRow, 'position' | 'networkCategory' | 'isFocalPoint' | 'active'>;

export interface PopulateOptions {
  mix?: CategoryMix;
  /** Whether the first person is the unit's DX focal point. */
  focal?: boolean;
  /** Jrai/Bahnar names for about half the people (Gia Lai communes). */
  highland?: boolean;
}

export interface PeopleFactoryOptions {
  /** 'unique-by-name': "huong.nt.gl@example.gov.vn" (+2, +3... on clashes), for the demo; 'numbered': includes the staff number, for bulk synthetic data. */
  emailStyle: 'unique-by-name' | 'numbered';
  /** Share of people with an e-mail address. */
  emailShare?: number;
  phoneShare?: number;
  inactiveShare?: number;
  staffCodeDigits?: number;
  newId?: () => string;
}

/** Generates people for units: names, staff codes and e-mails unique per province, categories, focal points. */
export class PeopleFactory {
  readonly people: PersonRow[] = [];
  private readonly counters = new Map<string, number>();
  private readonly emails = new Set<string>();
  /** Generated names repeat a lot: derive each name's e-mail local part once. */
  private readonly localParts = new Map<string, string>();

  constructor(
    private readonly rand: Rand,
    private readonly opts: PeopleFactoryOptions,
  ) {}

  /** Adds `count` people to `unit`; `provinceCode` prefixes staff codes ("GL-000123"). */
  populate(unit: UnitRow, provinceCode: string, count: number, popts: PopulateOptions = {}): PersonRow[] {
    const { rand } = this;
    const mix = popts.mix ?? mixForKind(unit.kind);
    const added: PersonRow[] = [];
    for (let i = 0; i < count; i++) {
      const focal = popts.focal === true && i === 0;
      const name = generatePersonName(rand, { highland: popts.highland });
      let category: NetworkCategory | null;
      let position: string;
      if (focal) {
        ({ category, position } = focalRole(unit.kind, mix));
      } else {
        category = weighted(rand, mix);
        position = category ? pick(rand, POSITIONS[category]) : pick(rand, OUTSIDE_POSITIONS);
      }
      const person = this.add(unit, provinceCode, name.full, {
        position,
        networkCategory: category,
        isFocalPoint: focal,
        active: focal || rand() >= (this.opts.inactiveShare ?? 0.02),
      });
      added.push(person);
    }
    return added;
  }

  /** Adds one person with a given name (e.g. a demo account's person). */
  person(unit: UnitRow, provinceCode: string, fullName: string, fields: PersonFields): PersonRow {
    return this.add(unit, provinceCode, normaliseName(fullName), fields);
  }

  /** Removes and returns the people generated so far (for streaming large volumes into the database). */
  take(): PersonRow[] {
    return this.people.splice(0);
  }

  private add(unit: UnitRow, provinceCode: string, name: string, fields: PersonFields): PersonRow {
    const { rand, opts } = this;
    const n = (this.counters.get(unit.rootId) ?? 0) + 1;
    this.counters.set(unit.rootId, n);
    const number = String(n).padStart(opts.staffCodeDigits ?? 6, '0');
    const staffCode = `${provinceCode}-${number}`;
    let email: string | null = null;
    if (rand() < (opts.emailShare ?? 0.85)) {
      let local = this.localParts.get(name);
      if (local === undefined) {
        local = emailLocalPart(name);
        this.localParts.set(name, local);
      }
      const province = provinceCode.toLowerCase();
      if (opts.emailStyle === 'numbered') {
        email = `${local}.${number}@${province}.example.gov.vn`;
      } else {
        const base = `${local}.${province}`;
        email = `${base}@example.gov.vn`;
        for (let k = 2; this.emails.has(email); k++) email = `${base}${k}@example.gov.vn`;
        this.emails.add(email);
      }
    }
    const person: PersonRow = {
      id: (opts.newId ?? randomUUID)(),
      provinceId: unit.rootId,
      staffCode,
      fullName: name,
      email,
      phone: rand() < (opts.phoneShare ?? 0.6) ? generatePhone(rand) : null,
      orgUnitId: unit.id,
      ...fields,
    };
    this.people.push(person);
    return person;
  }
}
