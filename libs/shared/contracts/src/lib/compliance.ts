import { Role } from './roles';

/** Who may open the coverage dashboard (their grants' subtrees). */
export const COMPLIANCE_READER_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.UnitManager, Role.Hr];
/** Who may write training requirements (rules) in their subtree. */
export const COMPLIANCE_RULE_ROLES: readonly Role[] = [Role.Admin, Role.Organiser];
/** Who may record exemptions (long leave, …) for people in their subtree. */
export const COMPLIANCE_EXEMPTION_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.Hr];

/** The 2030 target: 100% of the DX workforce trained every year. */
export const COVERAGE_TARGET_YEAR = 2030;

/** A person's training status for a year: derived from records, rules, enrolments and exemptions, never typed in. */
export enum TrainingStatus {
  Trained = 'trained',
  InProgress = 'in_progress',
  NotStarted = 'not_started',
  Exempt = 'exempt',
}

/** Why someone is not (yet) trained. */
export enum UntrainedReason {
  NotEnrolled = 'not_enrolled',
  EnrolledNotCompleted = 'enrolled_not_completed',
  FailedExam = 'failed_exam',
}

export interface CoverageFigures {
  members: number;
  trained: number;
  inProgress: number;
  notStarted: number;
  exempt: number;
  /** trained / (members − exempt), 0..1; null when nobody is counted. */
  coverageRate: number | null;
  units: number;
  unitsWithFocalPoint: number;
  membersWithAccount: number;
  /** Members with an account who signed in during the year. */
  membersSignedIn: number;
}

export interface CoverageRow extends CoverageFigures {
  unitId: string;
  code: string;
  name: string;
  kind: string;
  depth: number;
  /** Closed (merged) units still answer for the years they were open. */
  closed: boolean;
  hasChildren: boolean;
  /**
   * Set on a row that is a former unit answering for this one in that year: `merge` (it was merged into it later),
   * `split` (it was divided later; its figures are whole and also count for its other successors).
   */
  formerUnit?: 'merge' | 'split';
}

export interface CoverageReport {
  year: number;
  unit: CoverageRow;
  children: CoverageRow[];
  /** When the figures were last recomputed (new completions show up within a minute). */
  refreshedAt: string | null;
}

export interface TrendPoint extends CoverageFigures {
  year: number;
}

export interface CoverageTrend {
  unitId: string;
  points: TrendPoint[];
  /** Least-squares straight line through the yearly coverage rates, from the last year with data to 2030. */
  projection: Array<{ year: number; coverageRate: number }>;
  target: { year: number; coverageRate: number };
}

export interface UntrainedPerson {
  personId: string;
  staffCode: string;
  fullName: string;
  email: string | null;
  orgUnitId: string;
  orgUnitName: string;
  networkCategory: string | null;
  position: string | null;
  status: TrainingStatus;
  reason: UntrainedReason;
  periods: number;
  requiredPeriods: number | null;
}

export interface TrainingRequirement {
  id: string;
  year: number;
  orgUnitId: string;
  orgUnitName: string;
  networkCategory: string | null;
  position: string | null;
  minPeriods: number | null;
  courseIds: string[];
  /** Last day (inclusive, Asia/Ho_Chi_Minh) on which a completion counts; default 31 December. */
  deadline: string;
  active: boolean;
}

export interface RequirementsList {
  items: TrainingRequirement[];
  /** Pairs of active rules that say different things for the same people (same year, unit, category, position). */
  conflicts: Array<{ ruleIds: [string, string]; message: string }>;
}

export interface Exemption {
  id: string;
  personId: string;
  fullName: string;
  staffCode: string;
  year: number;
  reason: string;
  createdAt: string;
}

export type ComplianceExportKind = 'coverage' | 'untrained' | 'summary';
export type ComplianceExportFormat = 'xlsx' | 'csv' | 'pdf';

export interface ComplianceExportJob {
  id: string;
  kind: ComplianceExportKind;
  format: ComplianceExportFormat;
  year: number;
  unitId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** 0..100 */
  progress: number;
  fileName: string | null;
  error: string | null;
  createdAt: string;
}
