import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  CourseCompletedEvent,
  CourseProgressSummary,
  CourseStatus,
  ErrorCode,
  JobName,
  LessonDetail,
  LessonKind,
  MyLearningItem,
  QueueName,
} from '@dxtrain/shared/contracts';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { CatalogService, renderMarkdown } from './catalog.service';
import { LessonEntity } from './course.entity';
import { LessonProgressDto } from './dto/course.dto';
import { CourseCompletionEntity, CourseProgressEntity, LessonProgressEntity } from './progress.entity';
import { QUIZ_OUTCOME_PORT, QuizOutcomePort } from './quiz-outcome.port';
import { FileOwnerKind } from './storage/file-owner';
import { FilesService } from './storage/files.service';
import { trainingYearOf } from '@dxtrain/shared/vietnamese';

/**
 * A learner's way through a course: which version they study, lessons viewed and completed,
 * time spent, where to resume, and completion (recorded once, then published as
 * `course.completed` on the events queue).
 */
@Injectable()
export class ProgressService {
  private readonly logger = new Logger(ProgressService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalog: CatalogService,
    private readonly files: FilesService,
    @InjectQueue(QueueName.Events) private readonly events: Queue,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * Resolved lazily: the assessment domain provides it and itself depends on this service,
   * so a constructor injection would be circular. Absent when assessment is not loaded.
   */
  private get quizzes(): QuizOutcomePort | undefined {
    try {
      return this.moduleRef.get<QuizOutcomePort>(QUIZ_OUTCOME_PORT, { strict: false });
    } catch {
      return undefined;
    }
  }

  private personOf(actor: Actor): string {
    if (!actor.personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    return actor.personId;
  }

  /** Starts (or returns) the learner's progress on the course's published version. */
  async start(actor: Actor, courseId: string): Promise<CourseProgressSummary> {
    const personId = this.personOf(actor);
    const { course } = await this.catalog.load(actor, courseId);
    const existing = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId });
    if (!existing) {
      if (course.status !== CourseStatus.Published || !course.publishedVersionId) throw DomainException.badRequest(ErrorCode.CourseNotAvailable);
      await this.db
        .createQueryBuilder()
        .insert()
        .into(CourseProgressEntity)
        .values({ personId, courseId, versionId: course.publishedVersionId })
        .orIgnore()
        .execute();
    }
    return (await this.summaries(personId, [courseId]))[0];
  }

  async myLearning(actor: Actor): Promise<MyLearningItem[]> {
    const personId = this.personOf(actor);
    const rows = await this.db.getRepository(CourseProgressEntity).find({ where: { personId }, order: { updatedAt: 'DESC' } });
    const summaries = await this.summaries(
      personId,
      rows.map((r) => r.courseId),
    );
    return Promise.all(summaries.map(async (progress) => ({ course: await this.catalog.summary(progress.courseId), progress })));
  }

  async progressOf(personId: string, courseId: string): Promise<CourseProgressSummary | null> {
    return (await this.summaries(personId, [courseId]))[0] ?? null;
  }

  private async summaries(personId: string, courseIds: string[]): Promise<CourseProgressSummary[]> {
    if (courseIds.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT cp.course_id, cp.version_id, cp.last_lesson_id, cp.time_spent_seconds, cp.started_at, cp.completed_at, cp.score,
              (SELECT COUNT(*)::int FROM lessons l WHERE l.version_id = cp.version_id AND l.required) AS required,
              (SELECT COUNT(*)::int FROM lessons l JOIN lesson_progress lp ON lp.lesson_id = l.id AND lp.person_id = cp.person_id
                WHERE l.version_id = cp.version_id AND l.required AND lp.completed_at IS NOT NULL) AS done,
              ARRAY(SELECT lp.lesson_id FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id
                WHERE lp.person_id = cp.person_id AND l.version_id = cp.version_id AND lp.completed_at IS NOT NULL) AS completed_ids
         FROM course_progress cp WHERE cp.person_id = $1 AND cp.course_id = ANY($2::uuid[])
         ORDER BY array_position($2::uuid[], cp.course_id)`,
      [personId, courseIds],
    );
    return rows.map((r) => {
      const required = Number(r['required']);
      const done = Number(r['done']);
      const completedAt = r['completed_at'] as Date | null;
      return {
        courseId: r['course_id'] as string,
        versionId: r['version_id'] as string,
        percentComplete: completedAt ? 100 : required === 0 ? 0 : Math.floor((done / required) * 100),
        lessonsCompleted: done,
        lessonsRequired: required,
        completedLessonIds: (r['completed_ids'] as string[] | null) ?? [],
        lastLessonId: (r['last_lesson_id'] as string | null) ?? null,
        timeSpentSeconds: Number(r['time_spent_seconds']),
        startedAt: (r['started_at'] as Date).toISOString(),
        completedAt: completedAt ? completedAt.toISOString() : null,
        score: r['score'] === null ? null : Number(r['score']),
      };
    });
  }

  /** A lesson of the learner's version (or, for editors, of any version) with its progress. */
  async lesson(actor: Actor, lessonId: string): Promise<LessonDetail> {
    const lesson = await this.db.getRepository(LessonEntity).findOneBy({ id: lessonId });
    if (!lesson) throw DomainException.notFound(ErrorCode.LessonNotFound);
    const [{ course_id: courseId }] = await this.db.query(`SELECT course_id FROM course_versions WHERE id = $1`, [lesson.versionId]);
    const { canEdit } = await this.catalog.load(actor, courseId);
    let progress: LessonProgressEntity | null = null;
    if (!canEdit) {
      const personId = this.personOf(actor);
      const cp = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId });
      if (!cp || cp.versionId !== lesson.versionId) throw DomainException.notFound(ErrorCode.LessonNotFound);
      progress = await this.db.getRepository(LessonProgressEntity).findOneBy({ personId, lessonId });
    } else if (actor.personId) {
      progress = await this.db.getRepository(LessonProgressEntity).findOneBy({ personId: actor.personId, lessonId });
    }
    const detail: LessonDetail = {
      id: lesson.id,
      title: lesson.title,
      kind: lesson.kind,
      required: lesson.required,
      durationMinutes: lesson.durationMinutes,
      position: lesson.position,
      sectionId: lesson.sectionId,
      courseId,
      versionId: lesson.versionId,
      progress: progress
        ? {
            viewedAt: progress.viewedAt.toISOString(),
            completedAt: progress.completedAt?.toISOString() ?? null,
            timeSpentSeconds: progress.timeSpentSeconds,
            position: progress.position,
          }
        : null,
    };
    const c = lesson.content;
    switch (c.kind) {
      case LessonKind.Text:
        Object.assign(detail, { markdown: c.markdown, html: renderMarkdown(c.markdown) });
        break;
      case LessonKind.Video:
      case LessonKind.Document:
        if (c.fileId) Object.assign(detail, await this.files.signedInfo(c.fileId, { kind: FileOwnerKind.Course, id: courseId }, actor.userId));
        if (c.kind === LessonKind.Video && c.url) detail.url = c.url;
        break;
      case LessonKind.Link:
        detail.url = c.url;
        break;
      case LessonKind.Quiz:
        detail.quizId = c.quizId;
        break;
    }
    return detail;
  }

  /** Records a view, time spent, resume position and (for non-quiz lessons) completion. */
  async recordLesson(actor: Actor, lessonId: string, dto: LessonProgressDto): Promise<CourseProgressSummary> {
    const personId = this.personOf(actor);
    const lesson = await this.db.getRepository(LessonEntity).findOneBy({ id: lessonId });
    if (!lesson) throw DomainException.notFound(ErrorCode.LessonNotFound);
    const [{ course_id: courseId }] = await this.db.query(`SELECT course_id FROM course_versions WHERE id = $1`, [lesson.versionId]);
    const cp = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId });
    if (!cp || cp.versionId !== lesson.versionId) throw DomainException.notFound(ErrorCode.LessonNotFound);
    // Quiz lessons are completed by the quiz itself, never by the client saying so.
    const complete = dto.completed === true && lesson.kind !== LessonKind.Quiz;
    const seconds = dto.timeSpentSeconds ?? 0;
    await this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO lesson_progress (person_id, lesson_id, course_id, viewed_at, completed_at, time_spent_seconds, position)
         VALUES ($1, $2, $3, now(), CASE WHEN $4 THEN now() END, $5, $6)
         ON CONFLICT (person_id, lesson_id) DO UPDATE
           SET completed_at = COALESCE(lesson_progress.completed_at, EXCLUDED.completed_at),
               time_spent_seconds = lesson_progress.time_spent_seconds + EXCLUDED.time_spent_seconds,
               position = COALESCE(EXCLUDED.position, lesson_progress.position)`,
        [personId, lessonId, courseId, complete, seconds, dto.position ? JSON.stringify(dto.position) : null],
      );
      await manager.query(
        `UPDATE course_progress SET last_lesson_id = $3, time_spent_seconds = time_spent_seconds + $4, updated_at = now()
          WHERE person_id = $1 AND course_id = $2`,
        [personId, courseId, lessonId, seconds],
      );
    });
    await this.evaluate(personId, courseId);
    return (await this.progressOf(personId, courseId)) as CourseProgressSummary;
  }

  /** Called by the assessment domain after a submitted attempt: completes quiz lessons, then re-evaluates. */
  async onQuizFinished(personId: string, quizId: string): Promise<void> {
    if (!this.quizzes) return;
    const outcome = await this.quizzes.outcome(personId, quizId);
    if (!outcome?.attempted) return;
    const done = outcome.mode === 'practice' ? true : outcome.passed;
    const courses: Array<{ course_id: string }> = await this.db.query(`SELECT course_id FROM quizzes WHERE id = $1`, [quizId]);
    for (const { course_id: courseId } of courses) {
      const cp = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId });
      if (!cp) continue;
      if (done) {
        await this.db.query(
          `INSERT INTO lesson_progress (person_id, lesson_id, course_id, viewed_at, completed_at)
           SELECT $1, l.id, $3, now(), now() FROM lessons l
            WHERE l.version_id = $2 AND l.kind = 'quiz' AND l.content->>'quizId' = $4
           ON CONFLICT (person_id, lesson_id) DO UPDATE SET completed_at = COALESCE(lesson_progress.completed_at, now())`,
          [personId, cp.versionId, courseId, quizId],
        );
      }
      await this.evaluate(personId, courseId);
    }
  }

  /**
   * Completion rule: every required lesson completed and, when the version names a final quiz,
   * that quiz passed. Recorded once per (person, course, training year); the event is published
   * with the completion id as job id, so a retry never publishes twice.
   */
  async evaluate(personId: string, courseId: string): Promise<boolean> {
    const cp = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId });
    if (!cp || cp.completedAt) return false;
    const [{ missing }] = await this.db.query(
      `SELECT COUNT(*)::int AS missing FROM lessons l
        LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id AND lp.person_id = $1
        WHERE l.version_id = $2 AND l.required AND lp.completed_at IS NULL`,
      [personId, cp.versionId],
    );
    if (missing > 0) return false;
    const [{ final_quiz_id: finalQuizId }] = await this.db.query(`SELECT final_quiz_id FROM course_versions WHERE id = $1`, [cp.versionId]);
    let score: number | null = null;
    if (finalQuizId) {
      const outcome = await this.quizzes?.outcome(personId, finalQuizId);
      if (!outcome?.passed) return false;
      score = outcome.fraction;
    }
    const completedAt = new Date();
    const trainingYear = trainingYearOf(completedAt);
    const event = await this.db.transaction(async (manager) => {
      const claimed = await manager.query(
        `UPDATE course_progress SET completed_at = $3, score = $4, percent_complete = 100 WHERE person_id = $1 AND course_id = $2 AND completed_at IS NULL RETURNING id`,
        [personId, courseId, completedAt, score],
      );
      if (claimed[0].length === 0) return null;
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO course_completions (person_id, course_id, version_id, training_year, completed_at, score)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, course_id, training_year) DO NOTHING RETURNING id`,
        [personId, courseId, cp.versionId, trainingYear, completedAt, score],
      );
      if (inserted.length === 0) return null;
      const event: CourseCompletedEvent = {
        completionId: inserted[0].id,
        personId,
        courseId,
        courseVersionId: cp.versionId,
        completedAt: completedAt.toISOString(),
        score,
        trainingYear,
      };
      // Published before the commit: if Redis is down the completion rolls back and the next
      // progress report tries again, so an event is never lost. Consumers look the completion
      // up by id (a rollback after a successful publish leaves an event they will not find).
      await this.events.add(JobName.CourseCompleted, event, { jobId: `course.completed.${event.completionId}` });
      return event;
    });
    if (event) this.logger.log(`course ${courseId} completed by ${personId}`);
    return event !== null;
  }
}

