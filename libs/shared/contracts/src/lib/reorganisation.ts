import { OrgUnitKind } from './organisation';

/** What one row of a reorganisation plan does. */
export enum ReorgAction {
  /** A new unit under `target` (or a new top unit when `target` is empty). */
  Create = 'create',
  /** `unit` closes into `target`: its people and open sub-units go to the target; its history continues there. */
  CloseInto = 'close_into',
  /** `unit` is divided: one row per successor `target`, the `assign` column lists the people (staff codes) and sub-units (codes) it receives. */
  Split = 'split',
  /** `unit` (with its subtree) moves under `target`. */
  Move = 'move',
  /** Every open unit of kind `kind` under `unit` is abolished: its sub-units and people move up to its parent. */
  AbolishLevel = 'abolish_level',
}

export const REORG_ACTIONS: readonly ReorgAction[] = Object.values(ReorgAction);

/** Why a plan row is refused (or what the dry run could not decide); the text is in REORG_ISSUE_TEXT. */
export enum ReorgIssue {
  NoRows = 'NO_ROWS',
  TooManyRows = 'TOO_MANY_ROWS',
  HeaderMissing = 'HEADER_MISSING',
  ActionUnknown = 'ACTION_UNKNOWN',
  CodeMissing = 'CODE_MISSING',
  CodeUnknown = 'CODE_UNKNOWN',
  CodeAmbiguous = 'CODE_AMBIGUOUS',
  CodeTaken = 'CODE_TAKEN',
  NameMissing = 'NAME_MISSING',
  KindUnknown = 'KIND_UNKNOWN',
  DateInvalid = 'DATE_INVALID',
  DateInFuture = 'DATE_IN_FUTURE',
  DateBeforeUnit = 'DATE_BEFORE_UNIT',
  TargetMissing = 'TARGET_MISSING',
  TargetClosed = 'TARGET_CLOSED',
  UnitClosed = 'UNIT_CLOSED',
  Cycle = 'CYCLE',
  HandledTwice = 'HANDLED_TWICE',
  SplitNeedsTwo = 'SPLIT_NEEDS_TWO',
  SplitUnassigned = 'SPLIT_UNASSIGNED',
  SplitAssignUnknown = 'SPLIT_ASSIGN_UNKNOWN',
  SplitAssignedTwice = 'SPLIT_ASSIGNED_TWICE',
  LevelEmpty = 'LEVEL_EMPTY',
  RootNotAllowed = 'ROOT_NOT_ALLOWED',
  StaffCodeClash = 'STAFF_CODE_CLASH',
}

/** `{name}` placeholders are filled from the issue's params. */
export const REORG_ISSUE_TEXT: Record<ReorgIssue, { vi: string; en: string }> = {
  [ReorgIssue.NoRows]: { vi: 'Tệp không có dòng kế hoạch nào.', en: 'The file has no plan rows.' },
  [ReorgIssue.TooManyRows]: { vi: 'Tệp có quá {max} dòng; hãy chia thành nhiều kế hoạch.', en: 'The file has more than {max} rows; split it into several plans.' },
  [ReorgIssue.HeaderMissing]: { vi: 'Thiếu cột "{column}" ở dòng tiêu đề.', en: 'The header row has no "{column}" column.' },
  [ReorgIssue.ActionUnknown]: {
    vi: 'Thao tác "{value}" không hợp lệ; dùng: tạo mới, sáp nhập vào, chia tách, chuyển, bỏ cấp.',
    en: 'Unknown action "{value}"; use create, close_into, split, move, abolish_level.',
  },
  [ReorgIssue.CodeMissing]: { vi: 'Thiếu mã đơn vị.', en: 'The unit code is missing.' },
  [ReorgIssue.CodeUnknown]: { vi: 'Không tìm thấy đơn vị có mã "{code}" trong phạm vi của bạn.', en: 'No unit with code "{code}" in your scope.' },
  [ReorgIssue.CodeAmbiguous]: {
    vi: 'Mã "{code}" có ở nhiều tỉnh; ghi kèm mã tỉnh, ví dụ "{example}".',
    en: 'Code "{code}" exists in several provinces; qualify it with the province code, e.g. "{example}".',
  },
  [ReorgIssue.CodeTaken]: { vi: 'Mã "{code}" đã có trong cây tổ chức này.', en: 'Code "{code}" is already used in this tree.' },
  [ReorgIssue.NameMissing]: { vi: 'Đơn vị mới cần có tên.', en: 'A new unit needs a name.' },
  [ReorgIssue.KindUnknown]: { vi: 'Loại đơn vị "{value}" không hợp lệ.', en: 'Unknown unit kind "{value}".' },
  [ReorgIssue.DateInvalid]: { vi: 'Ngày hiệu lực "{value}" không hợp lệ (dd/mm/yyyy).', en: 'Effective date "{value}" is not a date (dd/mm/yyyy).' },
  [ReorgIssue.DateInFuture]: {
    vi: 'Ngày hiệu lực {date} chưa đến; áp dụng kế hoạch từ ngày đó.',
    en: 'The effective date {date} is in the future; apply the plan on or after that day.',
  },
  [ReorgIssue.DateBeforeUnit]: {
    vi: 'Ngày hiệu lực {date} trước ngày đơn vị "{code}" được thành lập ({since}).',
    en: 'The effective date {date} is before unit "{code}" existed ({since}).',
  },
  [ReorgIssue.TargetMissing]: { vi: 'Thao tác này cần mã đơn vị đích.', en: 'This action needs a target unit code.' },
  [ReorgIssue.TargetClosed]: { vi: 'Đơn vị đích "{code}" đã đóng (giải thể, sáp nhập).', en: 'Target unit "{code}" is closed.' },
  [ReorgIssue.UnitClosed]: { vi: 'Đơn vị "{code}" đã đóng trước đó.', en: 'Unit "{code}" is already closed.' },
  [ReorgIssue.Cycle]: {
    vi: 'Tạo vòng lặp: "{target}" nằm trong (hoặc đã sáp nhập vào) "{code}".',
    en: 'This makes a cycle: "{target}" is inside (or was merged into) "{code}".',
  },
  [ReorgIssue.HandledTwice]: {
    vi: 'Đơn vị "{code}" đã được đóng, chia tách hoặc bỏ cấp ở dòng {other}.',
    en: 'Unit "{code}" is already closed, split or abolished by row {other}.',
  },
  [ReorgIssue.SplitNeedsTwo]: { vi: 'Chia tách "{code}" cần ít nhất hai đơn vị nhận.', en: 'Splitting "{code}" needs at least two successors.' },
  [ReorgIssue.SplitUnassigned]: {
    vi: 'Chia tách "{code}" còn {count} người/đơn vị trực thuộc chưa được phân bổ: {items}.',
    en: 'Splitting "{code}" leaves {count} people or sub-units unassigned: {items}.',
  },
  [ReorgIssue.SplitAssignUnknown]: {
    vi: '"{value}" không phải cán bộ hay đơn vị trực thuộc của "{code}".',
    en: '"{value}" is neither a person nor a sub-unit of "{code}".',
  },
  [ReorgIssue.SplitAssignedTwice]: { vi: '"{value}" được phân bổ cho hơn một đơn vị.', en: '"{value}" is assigned to more than one successor.' },
  [ReorgIssue.LevelEmpty]: { vi: 'Không có đơn vị loại "{kind}" đang hoạt động dưới "{code}".', en: 'No open unit of kind "{kind}" under "{code}".' },
  [ReorgIssue.StaffCodeClash]: {
    vi: 'Cán bộ chuyển sang tỉnh khác trùng mã cán bộ hoặc email đã có ở tỉnh đó: {items}. Đổi mã/email trước rồi áp dụng lại.',
    en: 'People moving into another province clash with staff codes or e-mails already used there: {items}. Change them first, then apply again.',
  },
  [ReorgIssue.RootNotAllowed]: {
    vi: 'Chỉ tạo được đơn vị cấp cao nhất (tỉnh) khi có quyền quản trị toàn hệ thống.',
    en: 'Only a deployment-wide administrator may create a top-level unit.',
  },
};

export interface ReorgRowIssue {
  /** Spreadsheet row (the header is row 1); 0 for the whole file. */
  row: number;
  column: string;
  code: ReorgIssue;
  params: Record<string, string | number>;
  /** English text, for API clients; the web app renders REORG_ISSUE_TEXT in the user's language. */
  message: string;
}

export function reorgIssueText(issue: Pick<ReorgRowIssue, 'code' | 'params'>, lang: 'vi' | 'en'): string {
  return REORG_ISSUE_TEXT[issue.code][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(issue.params[k] ?? ''));
}

/** One structural change the plan makes, as the dry run shows it. */
export interface ReorgUnitChange {
  row: number;
  action: ReorgAction;
  effectiveDate: string;
  unit: { code: string; name: string; kind: OrgUnitKind };
  /** Successor(s) or new parent. */
  targets: Array<{ code: string; name: string }>;
  /** People and open sub-units that move with this change. */
  people: number;
  subUnits: number;
}

/** What the change does in another domain (people, grants, classes, rules…). */
export interface ReorgImpact {
  area: 'people' | 'role_grants' | 'courses' | 'classes' | 'registrations' | 'audience_rules' | 'training_requirements' | 'certificate_templates' | 'certificate_serials';
  /** Items changed (re-pointed to the successor, moved…). */
  changed: Array<{ label: string; from: string; to: string }>;
  /** Changed, but someone should look at them (moved grants). */
  review: Array<{ label: string; reason: string }>;
  /** Left as they are: the plan cannot decide for them. */
  undecided: Array<{ label: string; reason: string }>;
}

export interface ReorganisationReport {
  /** Set once applied. */
  planId: string | null;
  applied: boolean;
  name: string;
  rows: number;
  valid: boolean;
  issues: ReorgRowIssue[];
  changes: ReorgUnitChange[];
  totals: { created: number; closed: number; split: number; moved: number; abolished: number; people: number };
  impacts: ReorgImpact[];
}

export interface ReorganisationPlanSummary {
  id: string;
  name: string;
  appliedAt: string;
  appliedBy: string;
  rows: number;
  totals: ReorganisationReport['totals'];
}

/** A unit's history links: the units it came from, and the units it became. */
export interface OrgUnitLineageLink {
  unitId: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  relation: 'merge' | 'split' | 'abolish';
  effectiveDate: string;
  validTo: string | null;
}
