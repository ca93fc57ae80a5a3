import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { CatalogService } from '@dxtrain/server/catalog';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { QuizEntity } from './assessment.entity';

/** Course-based access for quizzes and question banks: editors of the course author, learners take. */
@Injectable()
export class QuizAccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalog: CatalogService,
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

  async editableQuiz(actor: Actor, quizId: string): Promise<QuizEntity> {
    const { quiz, canEdit } = await this.quiz(actor, quizId);
    if (!canEdit) throw DomainException.forbidden();
    return quiz;
  }
}
