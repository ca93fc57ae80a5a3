import type { NetworkCategory } from './people';
import { Role } from './roles';

export enum EnrolmentStatus {
  Enrolled = 'enrolled',
  InProgress = 'in_progress',
  Completed = 'completed',
  Withdrawn = 'withdrawn',
}

export enum EnrolmentSource {
  Self = 'self',
  Manual = 'manual',
  Rule = 'rule',
  Import = 'import',
}

/** Roles that may enrol others (within the subtree of their grant). */
export const ENROLMENT_MANAGER_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.UnitManager];

export interface EnrolmentItem {
  id: string;
  personId: string;
  staffCode: string;
  fullName: string;
  orgUnitId: string;
  orgUnitName: string;
  courseId: string;
  courseCode: string;
  courseTitle: string;
  trainingYear: number;
  source: EnrolmentSource;
  status: EnrolmentStatus;
  dueDate: string | null;
  enrolledAt: string;
  completedAt: string | null;
  withdrawnAt: string | null;
}

export interface AudienceRule {
  id: string;
  courseId: string;
  courseCode: string;
  orgUnitId: string;
  orgUnitName: string;
  networkCategory: NetworkCategory | null;
  position: string | null;
  trainingYear: number;
  dueDate: string | null;
  active: boolean;
  /** People the rule matches now (active staff in the subtree). */
  matching?: number;
  createdAt: string;
}

export type EnrolmentImportStatus = 'queued' | 'parsing' | 'running' | 'completed' | 'failed';

export interface EnrolmentImportSummary {
  id: string;
  status: EnrolmentImportStatus;
  dryRun: boolean;
  fileName: string;
  courseId: string | null;
  trainingYear: number;
  totalRows: number;
  processedRows: number;
  createdPeople: number;
  updatedPeople: number;
  enrolled: number;
  alreadyEnrolled: number;
  failedRows: number;
  /** Why the whole file failed (cannot be read, no header, too many rows), in Vietnamese. */
  failureReason: string | null;
  /** The first few failed rows, for a preview; the whole list is errors.csv. */
  firstErrors: EnrolmentImportError[];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface EnrolmentImportError {
  rowNumber: number;
  column: string | null;
  message: string;
}

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  status: 'pending' | 'sent' | 'held' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface EnrolmentCreatedNotice {
  enrolmentIds: string[];
}


/** A validated row of an enrolment file, as carried by a chunk job. */
export interface EnrolmentImportRow {
  rowNumber: number;
  staffCode: string;
  fullName: string;
  email: string | null;
  unitCode: string;
  position: string | null;
  networkCategory: NetworkCategory | null;
  courseCode: string | null;
  searchText: string;
  sortKey: string;
}
