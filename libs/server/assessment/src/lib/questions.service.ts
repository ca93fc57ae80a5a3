import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, QuestionDefinition, QuestionImportResult, QuestionItem } from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { readTable, SpreadsheetError } from '@dxtrain/server/spreadsheets';
import { QuestionEntity } from './assessment.entity';
import { QuestionQueryDto } from './dto/assessment.dto';
import { parseAiken } from './engine/aiken';
import { parseGift, toGift } from './engine/gift';
import { validateDefinition } from './engine/grading';
import { importQuestionTable } from './engine/table-import';
import { QuizAccessService } from './quiz-access.service';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

function toItem(q: QuestionEntity): QuestionItem {
  return { id: q.id, courseId: q.courseId, category: q.category, tags: q.tags, type: q.type, definition: q.definition, updatedAt: q.updatedAt.toISOString() };
}

/** A course's question bank: authoring, GIFT / Aiken / CSV / XLSX import, GIFT export. */
@Injectable()
export class QuestionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: QuizAccessService,
    private readonly audit: AuditService,
  ) {}

  private checked(raw: Record<string, unknown>): QuestionDefinition {
    const problems = validateDefinition(raw as unknown as QuestionDefinition);
    if (problems.length) throw DomainException.badRequest(ErrorCode.QuestionInvalid, problems.map((message) => ({ field: 'definition', message })));
    return raw as unknown as QuestionDefinition;
  }

  async list(actor: Actor, courseId: string, query: QuestionQueryDto): Promise<QuestionItem[]> {
    await this.access.editableCourse(actor, courseId);
    const qb = this.db.getRepository(QuestionEntity).createQueryBuilder('q').where('q.course_id = :courseId AND NOT q.archived', { courseId }).orderBy('q.category').addOrderBy('q.created_at');
    if (query.category !== undefined) qb.andWhere('q.category = :category', { category: query.category });
    const rows = await qb.getMany();
    const needle = query.q ? foldVietnamese(query.q) : '';
    return rows.filter((q) => !needle || foldVietnamese(q.definition.text).includes(needle)).map(toItem);
  }

  async create(actor: Actor, courseId: string, raw: Record<string, unknown>): Promise<QuestionItem> {
    await this.access.editableCourse(actor, courseId);
    const definition = this.checked(raw);
    const entity = this.db.getRepository(QuestionEntity).create({
      courseId,
      category: definition.category ?? '',
      tags: definition.tags ?? [],
      type: definition.type,
      definition,
      archived: false,
    });
    await this.db.getRepository(QuestionEntity).insert(entity);
    return toItem(await this.db.getRepository(QuestionEntity).findOneByOrFail({ id: entity.id }));
  }

  private async editable(actor: Actor, id: string): Promise<QuestionEntity> {
    const q = await this.db.getRepository(QuestionEntity).findOneBy({ id });
    if (!q) throw DomainException.notFound(ErrorCode.QuestionNotFound);
    await this.access.editableCourse(actor, q.courseId).catch(() => {
      throw DomainException.notFound(ErrorCode.QuestionNotFound);
    });
    return q;
  }

  /** Edits apply to future attempts only: every attempt keeps the definition it was given. */
  async update(actor: Actor, id: string, raw: Record<string, unknown>): Promise<QuestionItem> {
    await this.editable(actor, id);
    const definition = this.checked(raw);
    await this.db.getRepository(QuestionEntity).update({ id }, { definition, type: definition.type, category: definition.category ?? '', tags: definition.tags ?? [] });
    return toItem(await this.db.getRepository(QuestionEntity).findOneByOrFail({ id }));
  }

  async archive(actor: Actor, id: string): Promise<void> {
    await this.editable(actor, id);
    await this.db.getRepository(QuestionEntity).update({ id }, { archived: true });
  }

  async import(actor: Actor, courseId: string, file: { buffer: Buffer; originalname: string } | undefined, format: 'gift' | 'aiken' | 'table' | undefined, dryRun: boolean): Promise<QuestionImportResult> {
    const ownerUnitId = await this.access.editableCourse(actor, courseId);
    if (!file || file.buffer.length === 0) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: 'the file is empty or missing' }]);
    const name = file.originalname.toLowerCase();
    const isZip = file.buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const chosen = format ?? (isZip || name.endsWith('.csv') || name.endsWith('.xlsx') ? 'table' : name.endsWith('.aiken') || name.endsWith('.txt') && /^ANSWER:/m.test(file.buffer.toString('utf8')) ? 'aiken' : 'gift');
    let parsed: { questions: Array<{ line: number; definition: QuestionDefinition }>; errors: Array<{ line: number; column?: string; message: string }> };
    try {
      if (chosen === 'table') {
        parsed = importQuestionTable(await readTable(file.buffer, file.originalname));
      } else {
        if (file.buffer.includes(0)) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: 'binary file, expected text' }]);
        const text = file.buffer.toString('utf8').replace(/^\uFEFF/, '');
        parsed = chosen === 'gift' ? parseGift(text) : parseAiken(text);
      }
    } catch (e) {
      if (e instanceof SpreadsheetError) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: e.message }]);
      throw e;
    }
    const errors = parsed.errors.map((e) => ({ line: e.line, ...(e.column ? { column: e.column } : {}), message: e.message }));
    const valid: QuestionDefinition[] = [];
    for (const q of parsed.questions) {
      const problems = validateDefinition(q.definition);
      if (problems.length) errors.push({ line: q.line, message: problems.join('; ') });
      else valid.push(q.definition);
    }
    errors.sort((a, b) => a.line - b.line);
    if (!dryRun && valid.length) {
      await this.db.transaction(async (manager) => {
        const repo = manager.getRepository(QuestionEntity);
        await repo.insert(valid.map((d) => repo.create({ courseId, category: d.category ?? '', tags: d.tags ?? [], type: d.type, definition: d, archived: false })));
        await this.audit.record(manager, actor, { action: 'questions.imported', entityType: 'course', entityId: courseId, after: { format: chosen, imported: valid.length, errors: errors.length }, orgUnitIds: [ownerUnitId] });
      });
    }
    return { dryRun, imported: valid.length, errors };
  }

  async exportGift(actor: Actor, courseId: string): Promise<{ text: string; skipped: string[] }> {
    const items = await this.list(actor, courseId, {});
    const result = toGift(items.map((i) => i.definition));
    return typeof result === 'string' ? { text: result, skipped: [] } : result;
  }
}
