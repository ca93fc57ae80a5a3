import type { CourseCompletedEvent } from './catalog';
import type { EnrolmentImportRow } from './enrolment';
import type { ClassCompletedEvent } from './scheduling';

/** Every BullMQ queue of the platform. The api enqueues, the worker processes. */
export enum QueueName {
  Identity = 'identity',
  /** Domain events for later consumers (certificates, compliance). */
  Events = 'events',
  /** Bulk enrolment imports (parse, then chunks shared by every worker) and audience rules. */
  Enrolment = 'enrolment',
  /** Outgoing e-mail from the outbox, with retries. */
  Notifications = 'notifications',
  /** Certificate PDFs: render, sign-off, store. */
  Certificates = 'certificates',
  /** Coverage roll-up refresh (every minute), reminders (cron), large exports. */
  Compliance = 'compliance',
}

export enum JobName {
  PurgeExpiredRefreshTokens = 'identity.purge-expired-refresh-tokens',
  CourseCompleted = 'course.completed',
  ClassCompleted = 'class.completed',
  /** People joined, moved, changed category/position or were reactivated: audience rules re-check them. */
  PeopleChanged = 'people.changed',
  EnrolmentImportParse = 'enrolment-import.parse',
  EnrolmentImportChunk = 'enrolment-import.chunk',
  AudienceRulesEvaluate = 'audience-rules.evaluate',
  /** Send pending outbox e-mail (idempotent: claims messages with SKIP LOCKED). */
  NotificationsFlush = 'notifications.flush',
  CertificateRender = 'certificate.render',
  /** Issue certificates for every completion of a course (and year) that has none yet. */
  CertificatesIssueBatch = 'certificates.issue-batch',
  ComplianceRefresh = 'compliance.refresh',
  ComplianceReminders = 'compliance.reminders',
  ComplianceExport = 'compliance.export',
}

/** Job name → payload. Producers and processors both type against this map. */
export interface JobPayloads {
  [JobName.PurgeExpiredRefreshTokens]: { olderThanDays: number };
  [JobName.CourseCompleted]: CourseCompletedEvent;
  [JobName.ClassCompleted]: ClassCompletedEvent;
  /** Either the people themselves, or every person under these units (after a move or a merge). */
  [JobName.PeopleChanged]: { personIds?: string[]; unitIds?: string[] };
  [JobName.EnrolmentImportParse]: { importId: string };
  /** The chunk's rows travel with the job, so any worker on any machine can process it. */
  [JobName.EnrolmentImportChunk]: { importId: string; chunk: number; rows: EnrolmentImportRow[] };
  /** All active rules, or one rule when `ruleId` is set. */
  [JobName.AudienceRulesEvaluate]: { ruleId?: string };
  [JobName.NotificationsFlush]: Record<string, never>;
  [JobName.CertificateRender]: { certificateId: string };
  [JobName.CertificatesIssueBatch]: { courseId: string; year: number | null; requestedBy: string };
  /** Recompute the years marked dirty (and the current year when stale); `years` forces those. */
  [JobName.ComplianceRefresh]: { years?: number[] };
  [JobName.ComplianceReminders]: Record<string, never>;
  [JobName.ComplianceExport]: { exportId: string };
}

export type JobOf<N extends JobName> = JobPayloads[N];
