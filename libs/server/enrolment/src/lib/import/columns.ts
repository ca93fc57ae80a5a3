import { EnrolmentImportRow, NetworkCategory } from '@dxtrain/shared/contracts';
import { foldVietnamese, normaliseName, vietnameseNameSortKey } from '@dxtrain/shared/vietnamese';
import type { Table, TableRow } from '@dxtrain/server/spreadsheets';

/** The columns of an enrolment file. Headers may be Vietnamese or English, any case, with or without diacritics. */
export type ImportField = 'staffCode' | 'fullName' | 'email' | 'unitCode' | 'position' | 'networkCategory' | 'courseCode';

/** Vietnamese header (as in the template) and English alternative. */
export const IMPORT_COLUMNS: ReadonlyArray<{ field: ImportField; vi: string; en: string; aliases: string[] }> = [
  { field: 'staffCode', vi: 'Mã cán bộ', en: 'Staff code', aliases: ['ma cb', 'ma nhan vien', 'staff_code', 'staffcode', 'code'] },
  { field: 'fullName', vi: 'Họ và tên', en: 'Full name', aliases: ['ho ten', 'ten', 'full_name', 'fullname', 'name'] },
  { field: 'email', vi: 'Email', en: 'Email', aliases: ['e-mail', 'thu dien tu', 'dia chi email'] },
  { field: 'unitCode', vi: 'Mã đơn vị', en: 'Unit code', aliases: ['unit_code', 'unitcode', 'unit', 'don vi'] },
  { field: 'position', vi: 'Vị trí việc làm', en: 'Position', aliases: ['chuc vu', 'vi tri', 'job position', 'chuc danh'] },
  { field: 'networkCategory', vi: 'Nhóm mạng lưới', en: 'Network category', aliases: ['nhom', 'category', 'network_category', 'nhom mang luoi cds'] },
  { field: 'courseCode', vi: 'Mã khoá học', en: 'Course code', aliases: ['ma khoa', 'course_code', 'course', 'khoa hoc'] },
];

const HEADER_INDEX = new Map<string, ImportField>();
for (const c of IMPORT_COLUMNS) for (const name of [c.vi, c.en, ...c.aliases]) HEADER_INDEX.set(foldHeader(name), c.field);

function foldHeader(value: string): string {
  return foldVietnamese(value).replace(/[_\s]+/g, ' ').replace(/[*:]/g, '').trim();
}

export const CATEGORY_LABELS_VI: Record<NetworkCategory, string> = {
  [NetworkCategory.ProvincialDxStaff]: 'Cán bộ chuyên trách CĐS cấp tỉnh',
  [NetworkCategory.UnitFocalPoint]: 'Đầu mối CĐS của đơn vị',
  [NetworkCategory.CommuneOfficial]: 'Công chức cấp xã tham gia mạng lưới',
  [NetworkCategory.CommuneItOfficer]: 'Người hoạt động không chuyên trách CNTT cấp xã',
  [NetworkCategory.CommunityDigitalTeam]: 'Thành viên Tổ công nghệ số cộng đồng',
  [NetworkCategory.EnterpriseStaff]: 'Nhân sự doanh nghiệp',
  [NetworkCategory.CyberIncidentResponse]: 'Thành viên Đội ứng cứu sự cố ATTT mạng',
};

const CATEGORY_INDEX = new Map<string, NetworkCategory>();
for (const c of Object.values(NetworkCategory)) {
  CATEGORY_INDEX.set(c, c);
  CATEGORY_INDEX.set(foldHeader(c), c);
  CATEGORY_INDEX.set(foldHeader(CATEGORY_LABELS_VI[c]), c);
}

export function parseCategory(value: string): NetworkCategory | undefined {
  return CATEGORY_INDEX.get(value) ?? CATEGORY_INDEX.get(foldHeader(value));
}

/** Which column holds which field; unknown headers are ignored. */
export type HeaderMap = Partial<Record<ImportField, number>>;

export class HeaderError extends Error {}

/** Maps the header row; throws HeaderError (Vietnamese message) when a required column is missing. */
export function mapHeaders(headers: readonly string[], needCourseCode: boolean): HeaderMap {
  const map: HeaderMap = {};
  headers.forEach((h, i) => {
    const field = HEADER_INDEX.get(foldHeader(h));
    if (field !== undefined && map[field] === undefined) map[field] = i;
  });
  const required: ImportField[] = ['staffCode', 'fullName', 'unitCode', ...(needCourseCode ? (['courseCode'] as const) : [])];
  const missing = required.filter((f) => map[f] === undefined);
  if (missing.length === required.length) {
    throw new HeaderError(
      'Không nhận ra dòng tiêu đề. Dòng đầu tiên phải là tên cột, ví dụ: "Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Vị trí việc làm", "Nhóm mạng lưới"' +
        (needCourseCode ? ', "Mã khoá học"' : '') +
        '. Hãy dùng tệp mẫu.',
    );
  }
  if (missing.length > 0) {
    const names = missing.map((f) => `"${IMPORT_COLUMNS.find((c) => c.field === f)?.vi}"`).join(', ');
    throw new HeaderError(`Thiếu cột bắt buộc: ${names}. Hãy dùng tệp mẫu.`);
  }
  return map;
}

/** A row that passed the checks that need no database. */
export type CleanRow = EnrolmentImportRow;

export interface RowError {
  rowNumber: number;
  column: string | null;
  message: string;
}

const CODE_RE = /^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u;
const EMAIL_RE = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]{2,}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const FORMULA_START = /^[=+\-@]/;
const LETTER_RE = /\p{L}/u;

function columnLabel(field: ImportField): string {
  return IMPORT_COLUMNS.find((c) => c.field === field)?.vi ?? field;
}

/**
 * Checks every row that needs no database: required values, lengths, e-mail, category, codes,
 * formula-like cells; then duplicates within the file (the first row wins, the rest are reported).
 * Stateful (it remembers earlier rows), so rows must be given in file order.
 */
export function createRowValidator(map: HeaderMap, needCourseCode: boolean): (row: TableRow) => CleanRow | RowError {
  const seenKey = new Map<string, number>();
  const seenEmail = new Map<string, { row: number; staffCode: string }>();
  const cell = (cells: string[], f: ImportField) => {
    const i = map[f];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };

  return ({ rowNumber, cells }) => {
    const fail = (field: ImportField | null, message: string): RowError => ({ rowNumber, column: field ? columnLabel(field) : null, message });
    const staffCode = cell(cells, 'staffCode');
    const rawName = cell(cells, 'fullName');
    const rawEmail = cell(cells, 'email');
    const unitCode = cell(cells, 'unitCode');
    const position = normaliseName(cell(cells, 'position'));
    const rawCategory = cell(cells, 'networkCategory');
    const courseCode = needCourseCode ? cell(cells, 'courseCode') : '';
    const fullName = normaliseName(rawName);

    if (!staffCode) return fail('staffCode', 'Thiếu mã cán bộ.');
    if (staffCode.length > 50) return fail('staffCode', 'Mã cán bộ dài quá 50 ký tự.');
    if (!CODE_RE.test(staffCode)) return fail('staffCode', `Mã cán bộ "${staffCode.slice(0, 60)}" chỉ được gồm chữ, số và các ký tự . _ - /.`);
    if (!rawName) return fail('fullName', 'Thiếu họ và tên.');
    if (FORMULA_START.test(rawName)) return fail('fullName', 'Họ và tên không được bắt đầu bằng =, +, - hoặc @ (có thể là công thức Excel).');
    if (CONTROL_RE.test(rawName)) return fail('fullName', 'Họ và tên chứa ký tự điều khiển không hợp lệ.');
    if (fullName.length > 200) return fail('fullName', 'Họ và tên dài quá 200 ký tự.');
    if (!LETTER_RE.test(rawName)) return fail('fullName', 'Họ và tên phải có chữ cái.');
    if (rawEmail && (rawEmail.length > 254 || !EMAIL_RE.test(rawEmail))) return fail('email', `Email "${rawEmail.slice(0, 80)}" không hợp lệ.`);
    if (!unitCode) return fail('unitCode', 'Thiếu mã đơn vị.');
    if (unitCode.length > 50 || !CODE_RE.test(unitCode)) return fail('unitCode', `Mã đơn vị "${unitCode.slice(0, 60)}" không hợp lệ.`);
    if (position.length > 200) return fail('position', 'Vị trí việc làm dài quá 200 ký tự.');
    if (FORMULA_START.test(position)) return fail('position', 'Vị trí việc làm không được bắt đầu bằng =, +, - hoặc @.');
    const category = rawCategory ? parseCategory(rawCategory) : null;
    if (category === undefined) return fail('networkCategory', `Nhóm mạng lưới "${rawCategory.slice(0, 80)}" không có trong danh mục. Xem các giá trị hợp lệ trong tệp mẫu.`);
    if (needCourseCode && !courseCode) return fail('courseCode', 'Thiếu mã khoá học.');
    if (courseCode.length > 50) return fail('courseCode', 'Mã khoá học dài quá 50 ký tự.');

    const key = `${staffCode}\u0000${courseCode}`;
    const email = rawEmail ? rawEmail.toLowerCase() : null;
    const first = seenKey.get(key);
    if (first !== undefined) return fail('staffCode', `Trùng với dòng ${first} (cùng mã cán bộ${needCourseCode ? ' và mã khoá học' : ''}): chỉ dòng đầu tiên được dùng.`);
    const emailOwner = email ? seenEmail.get(email) : undefined;
    if (emailOwner && emailOwner.staffCode !== staffCode) return fail('email', `Email đã dùng cho mã cán bộ ${emailOwner.staffCode} ở dòng ${emailOwner.row}.`);
    seenKey.set(key, rowNumber);
    if (email && !emailOwner) seenEmail.set(email, { row: rowNumber, staffCode });
    return {
      rowNumber,
      staffCode,
      fullName,
      email,
      unitCode,
      position: position || null,
      networkCategory: category,
      courseCode: courseCode || null,
      searchText: foldVietnamese(`${fullName} ${staffCode} ${email ?? ''}`),
      sortKey: vietnameseNameSortKey(fullName),
    };
  };
}

export function isRowError(r: CleanRow | RowError): r is RowError {
  return 'message' in r;
}

/** All rows of a table at once (see createRowValidator). */
export function validateRows(table: Table, map: HeaderMap, needCourseCode: boolean): { rows: CleanRow[]; errors: RowError[] } {
  const validate = createRowValidator(map, needCourseCode);
  const rows: CleanRow[] = [];
  const errors: RowError[] = [];
  for (const row of table.rows) {
    const r = validate(row);
    if (isRowError(r)) errors.push(r);
    else rows.push(r);
  }
  return { rows, errors };
}
