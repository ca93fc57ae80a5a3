import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { CatalogModule, QUIZ_OUTCOME_PORT } from '@dxtrain/server/catalog';
import { AttemptsController, CourseAssessmentController, QuestionsController, QuizzesController } from './assessment.controller';
import { QuestionEntity, QuizAttemptEntity, QuizAttemptSlotEntity, QuizEntity } from './assessment.entity';
import { AttemptsService } from './attempts.service';
import { QuestionsService } from './questions.service';
import { QuizAccessService } from './quiz-access.service';
import { QuizzesService } from './quizzes.service';

/** Question banks, quizzes, attempts and grading. Provides the catalog's QUIZ_OUTCOME_PORT. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([QuestionEntity, QuizEntity, QuizAttemptEntity, QuizAttemptSlotEntity]), AuditModule, CatalogModule],
  controllers: [CourseAssessmentController, QuestionsController, QuizzesController, AttemptsController],
  providers: [QuizAccessService, QuestionsService, QuizzesService, AttemptsService, { provide: QUIZ_OUTCOME_PORT, useExisting: AttemptsService }],
  exports: [QUIZ_OUTCOME_PORT, AttemptsService],
})
export class AssessmentModule {}
