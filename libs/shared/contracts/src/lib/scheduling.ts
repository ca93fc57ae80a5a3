import { Role } from './roles';

/**
 * Training classes (in-person / online / blended), owned by the scheduling domain.
 * The event that crosses domains, then the DTO shapes of the scheduling api.
 */

/** Published on the `events` queue (job id = completion id: once) when a registrant meets a class's completion rule. */
export interface ClassCompletedEvent {
  /** Id of the class completion record (unique per person and class). */
  completionId: string;
  personId: string;
  classId: string;
  /** The linked course, when the class has one (its certificate and compliance credit follow the course). */
  courseId: string | null;
  classTitle: string;
  /** The class's organiser unit: issues its certificate (when the class has no linked course). */
  organiserUnitId: string;
  /** Periods ("tiết") credited by the class. */
  periods: number;
  completedAt: string;
  /** Calendar year of the completion in Asia/Ho_Chi_Minh. */
  trainingYear: number;
}

// ---- DTO shapes of the scheduling domain ------------------------------------------------

/** Roles that schedule classes and manage their registrations and attendance (in their subtree). */
export const CLASS_ORGANISER_ROLES: readonly Role[] = [Role.Admin, Role.Organiser];
/** Roles that may nominate staff of their subtree to a class. */
export const CLASS_NOMINATOR_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.UnitManager];

export enum ClassMode {
  InPerson = 'in_person',
  Online = 'online',
  Blended = 'blended',
}

/** Stored statuses; `full` is reported when an open class has no seat left. */
export enum ClassStatus {
  Draft = 'draft',
  Open = 'open',
  Full = 'full',
  Closed = 'closed',
  Completed = 'completed',
  Cancelled = 'cancelled',
}

/** Who approves a self-registration (or a nomination when the organiser approves). */
export enum ClassApproval {
  None = 'none',
  Manager = 'manager',
  Organiser = 'organiser',
}

export enum RegistrationStatus {
  PendingApproval = 'pending_approval',
  Confirmed = 'confirmed',
  Waitlisted = 'waitlisted',
  Cancelled = 'cancelled',
  Rejected = 'rejected',
}

export enum RegistrationSource {
  Self = 'self',
  Nomination = 'nomination',
  Organiser = 'organiser',
}

export enum AttendanceStatus {
  Present = 'present',
  Absent = 'absent',
  Excused = 'excused',
}

export interface ClassSessionItem {
  id: string;
  classId: string;
  startsAt: string;
  endsAt: string;
  /** iCalendar SEQUENCE: bumped on every change of the session. */
  sequence: number;
  cancelled: boolean;
}

export interface ClassTrainer {
  personId: string | null;
  name: string;
}

export interface ClassItem {
  id: string;
  title: string;
  courseId: string | null;
  courseTitle: string | null;
  mode: ClassMode;
  orgUnitId: string;
  orgUnitName: string;
  room: string | null;
  address: string | null;
  meetingUrl: string | null;
  capacity: number;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  selfRegistration: boolean;
  approval: ClassApproval;
  targetAudience: string;
  audienceCategories: string[];
  periods: number;
  /** Sessions a registrant must attend (present) to complete; null = all sessions. */
  minSessions: number | null;
  refuseConflicts: boolean;
  status: ClassStatus;
  confirmedCount: number;
  waitlistCount: number;
  pendingCount: number;
  trainers: ClassTrainer[];
  sessions: ClassSessionItem[];
  /** The caller may edit the class, its registrations and attendance. */
  canManage: boolean;
}

export interface ClassRegistrationItem {
  id: string;
  classId: string;
  personId: string;
  fullName: string;
  staffCode: string;
  orgUnitName: string;
  status: RegistrationStatus;
  source: RegistrationSource;
  /** 1-based place on the waitlist (waitlisted only). */
  waitlistPosition: number | null;
  registeredAt: string;
  completedAt: string | null;
  /** Overlapping sessions of other classes (warning; refused when the class is configured so). */
  conflicts: ScheduleConflict[];
}

export interface ScheduleConflict {
  kind: 'trainer' | 'room' | 'learner';
  /** The trainer's or room's name, or the learner's. */
  who: string;
  classId: string;
  classTitle: string;
  sessionId: string;
  startsAt: string;
  endsAt: string;
}

export interface AttendanceRow {
  personId: string;
  fullName: string;
  staffCode: string;
  orgUnitName: string;
  status: AttendanceStatus | null;
  checkedInAt: string | null;
}

export interface CheckInToken {
  sessionId: string;
  token: string;
  /** Web page the QR code points to. */
  url: string;
  /** SVG of the QR code. */
  qrSvg: string;
  validFrom: string;
  expiresAt: string;
}

export interface CheckInResult {
  sessionId: string;
  classId: string;
  classTitle: string;
  status: AttendanceStatus;
  checkedInAt: string;
  classCompleted: boolean;
}

/** A learner's view: classes open to them and their own registrations. */
export interface MyClassItem extends Omit<ClassItem, 'canManage'> {
  registration: { id: string; status: RegistrationStatus; waitlistPosition: number | null; completedAt: string | null } | null;
  attendance: Array<{ sessionId: string; status: AttendanceStatus | null }>;
}

export interface CalendarFeed {
  url: string;
}
