import type { CourseCompletedEvent } from './catalog';

/** Every BullMQ queue of the platform. The api enqueues, the worker processes. */
export enum QueueName {
  Identity = 'identity',
  /** Domain events for later consumers (certificates, compliance). */
  Events = 'events',
}

export enum JobName {
  PurgeExpiredRefreshTokens = 'identity.purge-expired-refresh-tokens',
  CourseCompleted = 'course.completed',
}

/** Job name → payload. Producers and processors both type against this map. */
export interface JobPayloads {
  [JobName.PurgeExpiredRefreshTokens]: { olderThanDays: number };
  [JobName.CourseCompleted]: CourseCompletedEvent;
}

export type JobOf<N extends JobName> = JobPayloads[N];
