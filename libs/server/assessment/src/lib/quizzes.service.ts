import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, ItemAnalysisRow, QuizResultRow, QuizSettings } from '@dxtrain/shared/contracts';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { toCsv, writeXlsx } from '@dxtrain/server/spreadsheets';
import { QuizAttemptEntity, QuizEntity } from './assessment.entity';
import { gradeByMethod } from './attempts.service';
import { QuizDto, UpdateQuizDto } from './dto/assessment.dto';
import { analyseSlotRows } from './engine/item-analysis';
import { QuizAccessService } from './quiz-access.service';

export function toSettings(q: QuizEntity): QuizSettings {
  return {
    id: q.id,
    courseId: q.courseId,
    title: q.title,
    mode: q.mode,
    selection: q.selection,
    shuffleQuestions: q.shuffleQuestions,
    shuffleOptions: q.shuffleOptions,
    timeLimitSeconds: q.timeLimitSeconds,
    openAt: q.openAt?.toISOString() ?? null,
    closeAt: q.closeAt?.toISOString() ?? null,
    maxAttempts: q.maxAttempts,
    gradingMethod: q.gradingMethod,
    passMark: Number(q.passMark),
    review: q.review,
  };
}

const RESULT_HEADERS = ['Mã cán bộ', 'Họ và tên', 'Đơn vị', 'Số lần làm', 'Điểm (thang 10)', 'Đạt', 'Lần nộp cuối'];

/** Quiz settings, results and item analysis, for the course's editors. */
@Injectable()
export class QuizzesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: QuizAccessService,
    private readonly audit: AuditService,
  ) {}

  private async checkSelection(courseId: string, dto: Partial<QuizDto>): Promise<void> {
    if (dto.openAt && dto.closeAt && dto.closeAt <= dto.openAt) {
      throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'closeAt', message: 'closeAt must be after openAt' }]);
    }
    if (dto.selection?.mode === 'fixed') {
      const ids = dto.selection.questionIds ?? [];
      const [{ n }] = await this.db.query(`SELECT COUNT(*)::int AS n FROM questions WHERE id = ANY($1::uuid[]) AND course_id = $2 AND NOT archived`, [ids, courseId]);
      if (n !== new Set(ids).size) throw DomainException.badRequest(ErrorCode.QuestionNotFound, [{ field: 'selection.questionIds', message: 'every question must be in this course’s bank' }]);
      if (dto.mode === 'practice') {
        // A practice quiz reveals correctness per answer: exam questions there would leak the exam.
        const examOnly = (await this.db.query(
          `SELECT id FROM questions WHERE id = ANY($1::uuid[]) AND course_id = $2 AND (definition->>'examOnly')::boolean IS TRUE`,
          [ids, courseId],
        )) as Array<{ id: string }>;
        if (examOnly.length) {
          throw DomainException.badRequest(ErrorCode.QuestionExamOnly, examOnly.map((q) => ({ field: 'selection.questionIds', message: q.id })));
        }
      }
    }
  }

  async list(actor: Actor, courseId: string): Promise<QuizSettings[]> {
    await this.access.editableCourse(actor, courseId);
    return (await this.db.getRepository(QuizEntity).find({ where: { courseId }, order: { createdAt: 'ASC' } })).map(toSettings);
  }

  async get(actor: Actor, quizId: string): Promise<QuizSettings> {
    return toSettings(await this.access.editableQuiz(actor, quizId));
  }

  async create(actor: Actor, courseId: string, dto: QuizDto): Promise<QuizSettings> {
    await this.access.editableCourse(actor, courseId);
    await this.checkSelection(courseId, dto);
    const repo = this.db.getRepository(QuizEntity);
    const quiz = repo.create({
      courseId,
      title: dto.title,
      mode: dto.mode,
      selection: dto.selection.mode === 'fixed' ? { mode: 'fixed', questionIds: dto.selection.questionIds ?? [] } : { mode: 'random', draws: dto.selection.draws ?? [] },
      shuffleQuestions: dto.shuffleQuestions ?? false,
      shuffleOptions: dto.shuffleOptions ?? true,
      timeLimitSeconds: dto.timeLimitSeconds ?? null,
      openAt: dto.openAt ? new Date(dto.openAt) : null,
      closeAt: dto.closeAt ? new Date(dto.closeAt) : null,
      maxAttempts: dto.mode === 'practice' ? null : (dto.maxAttempts ?? null),
      gradingMethod: dto.gradingMethod ?? 'highest',
      passMark: String(dto.passMark ?? 0.5),
      review: dto.review ?? { score: 'after_submit', answers: 'after_submit' },
    });
    await repo.insert(quiz);
    return toSettings(await repo.findOneByOrFail({ id: quiz.id }));
  }

  async update(actor: Actor, quizId: string, dto: UpdateQuizDto): Promise<QuizSettings> {
    const quiz = await this.access.editableQuiz(actor, quizId);
    await this.checkSelection(quiz.courseId, { ...toSettings(quiz), ...dto } as Partial<QuizDto>);
    const changes: Partial<QuizEntity> = {};
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.mode !== undefined) changes.mode = dto.mode;
    if (dto.selection !== undefined) {
      changes.selection = dto.selection.mode === 'fixed' ? { mode: 'fixed', questionIds: dto.selection.questionIds ?? [] } : { mode: 'random', draws: dto.selection.draws ?? [] };
    }
    if (dto.shuffleQuestions !== undefined) changes.shuffleQuestions = dto.shuffleQuestions;
    if (dto.shuffleOptions !== undefined) changes.shuffleOptions = dto.shuffleOptions;
    if (dto.timeLimitSeconds !== undefined) changes.timeLimitSeconds = dto.timeLimitSeconds;
    if (dto.openAt !== undefined) changes.openAt = dto.openAt ? new Date(dto.openAt) : null;
    if (dto.closeAt !== undefined) changes.closeAt = dto.closeAt ? new Date(dto.closeAt) : null;
    if (dto.maxAttempts !== undefined) changes.maxAttempts = dto.maxAttempts;
    if (dto.gradingMethod !== undefined) changes.gradingMethod = dto.gradingMethod;
    if (dto.passMark !== undefined) changes.passMark = String(dto.passMark);
    if (dto.review !== undefined) changes.review = dto.review;
    await this.db.transaction(async (manager) => {
      await manager.getRepository(QuizEntity).update({ id: quizId }, changes);
      if (changes.closeAt) {
        // Closing earlier also ends attempts in progress at the new close time (answers shown
        // "after close" must not reach someone still answering).
        await manager.query(
          `UPDATE quiz_attempts SET deadline_at = LEAST(COALESCE(deadline_at, $2), $2) WHERE quiz_id = $1 AND status = 'in_progress'`,
          [quizId, changes.closeAt],
        );
      }
      const [course] = (await manager.query(`SELECT owner_unit_id FROM courses WHERE id = $1`, [quiz.courseId])) as Array<{ owner_unit_id: string }>;
      await this.audit.record(manager, actor, { action: 'quiz.updated', entityType: 'quiz', entityId: quizId, before: toSettings(quiz), after: changes, orgUnitIds: [course?.owner_unit_id] });
    });
    return this.get(actor, quizId);
  }

  async results(actor: Actor, quizId: string): Promise<QuizResultRow[]> {
    const quiz = await this.access.editableQuiz(actor, quizId);
    const people: Array<{ person_id: string; staff_code: string; full_name: string; unit_name: string }> = await this.db.query(
      `SELECT DISTINCT p.id AS person_id, p.staff_code, p.full_name, u.name AS unit_name, p.sort_key
         FROM quiz_attempts a JOIN people p ON p.id = a.person_id JOIN org_units u ON u.id = p.org_unit_id
        WHERE a.quiz_id = $1 ORDER BY p.sort_key`,
      [quizId],
    );
    const attempts = await this.db.getRepository(QuizAttemptEntity).find({ where: { quizId } });
    return people.map((p) => {
      const mine = attempts.filter((a) => a.personId === p.person_id);
      const finished = mine.filter((a) => a.status !== 'in_progress');
      const gradeValue = gradeByMethod(quiz.gradingMethod, finished);
      const last = finished.map((a) => a.submittedAt as Date).sort((a, b) => b.getTime() - a.getTime())[0];
      return {
        personId: p.person_id,
        staffCode: p.staff_code,
        fullName: p.full_name,
        unitName: p.unit_name,
        attempts: mine.length,
        grade: gradeValue,
        passed: gradeValue !== null && gradeValue >= Number(quiz.passMark),
        lastSubmittedAt: last?.toISOString() ?? null,
      };
    });
  }

  async exportResults(actor: Actor, quizId: string, format: 'csv' | 'xlsx'): Promise<Buffer> {
    const rows = (await this.results(actor, quizId)).map((r) => [
      r.staffCode,
      r.fullName,
      r.unitName,
      String(r.attempts),
      r.grade === null ? '' : (r.grade * 10).toLocaleString('vi-VN', { maximumFractionDigits: 2 }),
      r.passed ? 'Đạt' : 'Chưa đạt',
      r.lastSubmittedAt ? new Date(r.lastSubmittedAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '',
    ]);
    return format === 'csv' ? Buffer.from(toCsv(RESULT_HEADERS, rows, { bom: true }), 'utf8') : writeXlsx([{ name: 'Kết quả', headers: RESULT_HEADERS, rows }]);
  }

  async itemAnalysis(actor: Actor, quizId: string): Promise<ItemAnalysisRow[]> {
    await this.access.editableQuiz(actor, quizId);
    const slots: Array<{ attempt_id: string; question_id: string; definition: { text: string; title?: string; type: string }; response: unknown; graded: { fraction: number; score: number } | null; score: string; max_score: string }> =
      await this.db.query(
        `SELECT s.attempt_id, s.question_id, s.definition, s.response, s.graded, a.score, a.max_score
           FROM quiz_attempt_slots s JOIN quiz_attempts a ON a.id = s.attempt_id
          WHERE a.quiz_id = $1 AND a.status <> 'in_progress'`,
        [quizId],
      );
    return analyseSlotRows(slots) as unknown as ItemAnalysisRow[];
  }
}
