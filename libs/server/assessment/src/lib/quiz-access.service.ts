import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { CatalogService, CourseProgressEntity, ProgressService } from '@dxtrain/server/catalog';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { QuizEntity } from './assessment.entity';

/** Course-based access for quizzes and question banks: editors of the course author, learners take. */
@Injectable()
export class QuizAccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalog: CatalogService,
    private readonly progress: ProgressService,
  ) {}

  /** The course's owner unit, if the actor edits the course. */
  async editableCourse(actor: Actor, courseId: string): Promise<string> {
    const { course, canEdit } = await this.catalog.load(actor, courseId);
    if (!canEdit) throw DomainException.forbidden();
    return course.ownerUnitId;
  }

  async quiz(actor: Actor, quizId: string): Promise<{ quiz: QuizEntity; canEdit: boolean }> {
    const quiz = await this.db.getRepository(QuizEntity).findOneBy({ id: quizId });
    if (!quiz) throw DomainException.notFound(ErrorCode.QuizNotFound);
    const { canEdit } = await this.catalog.load(actor, quiz.courseId).catch(() => {
      throw DomainException.notFound(ErrorCode.QuizNotFound);
    });
    return { quiz, canEdit };
  }

  /**
   * May this person start an attempt? Only on a quiz that the published course version they study contains (a quiz
   * lesson of it, or its final quiz). Someone who has not started the course starts it here (it pins the published
   * version, the same as "Start" on the course page), if the course is for them. Anything else — a draft quiz, a quiz
   * of a course outside their audience, a quiz added in a later version than theirs — does not exist for them (404).
   * Editors try a draft quiz with the preview, which records nothing.
   */
  async takeable(actor: Actor, quiz: QuizEntity): Promise<void> {
    const personId = actor.personId as string;
    const pinned = await this.db.getRepository(CourseProgressEntity).findOneBy({ personId, courseId: quiz.courseId });
    const contains = async (versionId: string | null) =>
      versionId !== null &&
      ((await this.db.query(
        `SELECT 1 FROM course_versions v WHERE v.id = $1 AND (v.final_quiz_id = $2
           OR EXISTS (SELECT 1 FROM lessons l WHERE l.version_id = v.id AND l.kind = 'quiz' AND l.content->>'quizId' = $2::text))`,
        [versionId, quiz.id],
      )) as unknown[]).length > 0;
    if (pinned) {
      if (!(await contains(pinned.versionId))) throw DomainException.notFound(ErrorCode.QuizNotFound);
      return;
    }
    // Not started yet: only when the published version (the one they would get) has this quiz; then start the course.
    const { course } = await this.catalog.load(actor, quiz.courseId).catch(() => {
      throw DomainException.notFound(ErrorCode.QuizNotFound);
    });
    if (!(await contains(course.publishedVersionId))) throw DomainException.notFound(ErrorCode.QuizNotFound);
    await this.progress.start(actor, quiz.courseId);
  }

  async editableQuiz(actor: Actor, quizId: string): Promise<QuizEntity> {
    const { quiz, canEdit } = await this.quiz(actor, quizId);
    if (!canEdit) throw DomainException.forbidden();
    return quiz;
  }
}
