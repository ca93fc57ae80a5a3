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
}

export enum JobName {
  PurgeExpiredRefreshTokens = 'identity.purge-expired-refresh-tokens',
  CourseCompleted = 'course.completed',
  ClassCompleted = 'class.completed',
  EnrolmentImportParse = 'enrolment-import.parse',
  EnrolmentImportChunk = 'enrolment-import.chunk',
  AudienceRulesEvaluate = 'audience-rules.evaluate',
  /** Send pending outbox e-mail (idempotent: claims messages with SKIP LOCKED). */
  NotificationsFlush = 'notifications.flush',
  CertificateRender = 'certificate.render',
}

/** Job name → payload. Producers and processors both type against this map. */
export interface JobPayloads {
  [JobName.PurgeExpiredRefreshTokens]: { olderThanDays: number };
  [JobName.CourseCompleted]: CourseCompletedEvent;
  [JobName.ClassCompleted]: ClassCompletedEvent;
  [JobName.EnrolmentImportParse]: { importId: string };
  /** The chunk's rows travel with the job, so any worker on any machine can process it. */
  [JobName.EnrolmentImportChunk]: { importId: string; chunk: number; rows: EnrolmentImportRow[] };
  /** All active rules, or one rule when `ruleId` is set. */
  [JobName.AudienceRulesEvaluate]: { ruleId?: string };
  [JobName.NotificationsFlush]: Record<string, never>;
  [JobName.CertificateRender]: { certificateId: string };
}

export type JobOf<N extends JobName> = JobPayloads[N];
