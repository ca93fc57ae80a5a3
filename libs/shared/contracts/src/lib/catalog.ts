import { NetworkCategory } from './people';

export enum CourseStatus {
  Draft = 'draft',
  Published = 'published',
  Archived = 'archived',
}

export enum CourseVersionStatus {
  Draft = 'draft',
  Published = 'published',
  /** A published version replaced by a newer one; learners who started it keep it. */
  Superseded = 'superseded',
}

export enum LessonKind {
  Text = 'text',
  Video = 'video',
  Document = 'document',
  Link = 'link',
  Quiz = 'quiz',
}

export const LESSON_KINDS: readonly LessonKind[] = Object.values(LessonKind);

/** Kind-specific lesson content. */
export type LessonContent =
  | { kind: LessonKind.Text; markdown: string }
  | { kind: LessonKind.Video; fileId?: string | null; url?: string | null }
  | { kind: LessonKind.Document; fileId: string }
  | { kind: LessonKind.Link; url: string }
  | { kind: LessonKind.Quiz; quizId: string };

/**
 * Who may take a published course: the owner unit's subtree (the default), named units (other provinces, for a
 * course shared across provinces), or everyone on the deployment. Learners who already started keep access.
 */
export enum CourseAudienceScope {
  Subtree = 'subtree',
  Units = 'units',
  Everyone = 'everyone',
}

export const COURSE_AUDIENCE_SCOPES: readonly CourseAudienceScope[] = Object.values(CourseAudienceScope);

export interface CourseAudience {
  scope: CourseAudienceScope;
  /** For `units`: the units (and their subtrees) that may take the course. */
  units: Array<{ id: string; name: string }>;
}

export interface CourseSummary {
  id: string;
  code: string;
  title: string;
  summary: string;
  status: CourseStatus;
  periods: number;
  topics: string[];
  audienceCategories: NetworkCategory[];
  audienceScope: CourseAudienceScope;
  ownerUnitId: string;
  ownerUnitName: string;
  publishedVersion: number | null;
  hasDraft: boolean;
  lessonCount: number;
}

export interface LessonOutline {
  id: string;
  title: string;
  kind: LessonKind;
  required: boolean;
  durationMinutes: number | null;
  position: number;
}

export interface SectionOutline {
  id: string;
  title: string;
  position: number;
  lessons: LessonOutline[];
}

export interface CourseVersionDetail {
  id: string;
  version: number;
  status: CourseVersionStatus;
  title: string;
  summary: string;
  periods: number;
  periodMinutes: number;
  topics: string[];
  audienceCategories: NetworkCategory[];
  audiencePositions: string[];
  finalQuizId: string | null;
  publishedAt: string | null;
  sections: SectionOutline[];
}

export interface CourseDetail {
  id: string;
  code: string;
  status: CourseStatus;
  ownerUnitId: string;
  ownerUnitName: string;
  /** The version a learner sees: theirs if they started one, else the current published one. */
  version: CourseVersionDetail | null;
  /** Editors only. */
  draft: CourseVersionDetail | null;
  audience: CourseAudience;
  canEdit: boolean;
  progress: CourseProgressSummary | null;
}

export interface LessonDetail extends LessonOutline {
  sectionId: string;
  courseId: string;
  versionId: string;
  /** Text lessons: sanitised HTML rendered from Markdown. */
  html?: string;
  markdown?: string;
  /** Video/document: a signed, short-lived URL that supports range requests. */
  fileUrl?: string | null;
  fileName?: string | null;
  contentType?: string | null;
  url?: string | null;
  quizId?: string | null;
  progress: { viewedAt: string | null; completedAt: string | null; timeSpentSeconds: number; position: Record<string, unknown> | null } | null;
}

export interface CourseProgressSummary {
  courseId: string;
  versionId: string;
  percentComplete: number;
  lessonsCompleted: number;
  lessonsRequired: number;
  /** Every lesson of the version the learner completed (required or not). */
  completedLessonIds: string[];
  lastLessonId: string | null;
  timeSpentSeconds: number;
  startedAt: string;
  completedAt: string | null;
  score: number | null;
}

export interface MyLearningItem {
  course: CourseSummary;
  progress: CourseProgressSummary;
}

export interface CourseCompletedEvent {
  completionId: string;
  personId: string;
  courseId: string;
  courseVersionId: string;
  completedAt: string;
  /** Final quiz score as a fraction 0..1, or null when the course has no final quiz. */
  score: number | null;
  trainingYear: number;
}

export interface StoredFileInfo {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}
