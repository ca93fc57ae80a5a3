import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ENROLMENT_MANAGER_ROLES, EnrolmentImportSummary, ErrorCode, JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { adminScope, AdminScope } from '@dxtrain/server/audit';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { toCsv, writeXlsx } from '@dxtrain/server/spreadsheets';
import { CreateImportDto } from '../dto/enrolment.dto';
import { EnrolmentImportEntity } from '../enrolment.entity';
import { trainingYearOf } from '@dxtrain/shared/vietnamese';
import { CATEGORY_LABELS_VI, IMPORT_COLUMNS } from './columns';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export interface UploadedImportFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** The api side of bulk enrolment: accept a file (202), report progress, errors and templates. */
@Injectable()
export class EnrolmentImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Enrolment) private readonly queue: Queue,
  ) {}

  async create(actor: Actor, file: UploadedImportFile | undefined, dto: CreateImportDto): Promise<{ id: string }> {
    if (!file || file.size === 0) throw DomainException.badRequest(ErrorCode.EnrolmentImportFileMissing);
    if (file.size > IMPORT_MAX_BYTES) throw new DomainException(ErrorCode.EnrolmentImportTooLarge, 413);
    const scopePaths = actor.scopePaths(ENROLMENT_MANAGER_ROLES);
    if (scopePaths.length === 0) throw DomainException.forbidden();
    if (dto.courseId) {
      const [c] = (await this.db.query('SELECT status FROM courses WHERE id = $1', [dto.courseId])) as Array<{ status: string }>;
      if (!c) throw DomainException.notFound(ErrorCode.CourseNotFound);
      if (c.status !== 'published') throw DomainException.badRequest(ErrorCode.CourseNotAvailable);
    }
    const id = await this.db.transaction(async (tx) => {
      const imp = await tx.getRepository(EnrolmentImportEntity).save({
        status: 'queued',
        dryRun: dto.dryRun === 'true' || dto.dryRun === '1',
        fileName: (file.originalname || 'upload').normalize('NFC').slice(0, 255),
        fileSize: file.size,
        courseId: dto.courseId ?? null,
        trainingYear: dto.year ?? trainingYearOf(),
        dueDate: dto.dueDate ?? null,
        createdBy: actor.userId,
        createdByName: actor.username,
        scopePaths,
      });
      await tx.query('INSERT INTO enrolment_import_files (import_id, content) VALUES ($1, $2)', [imp.id, file.buffer]);
      return imp.id;
    });
    const data: JobOf<JobName.EnrolmentImportParse> = { importId: id };
    await this.queue.add(JobName.EnrolmentImportParse, data, { jobId: `import-${id}-parse` });
    return { id };
  }

  /**
   * The caller's own uploads, and for admins every upload made into units of their scope: each unit the uploader's
   * grants covered (`scope_paths`, followed to the unit's current path) lies in it. Deployment-wide admins see all.
   */
  async list(actor: Actor): Promise<EnrolmentImportSummary[]> {
    const scope = await adminScope(this.db, actor);
    const rows = (await this.db.query(`${SUMMARY_SQL} WHERE ${VISIBLE_SQL} GROUP BY i.id ORDER BY i.created_at DESC LIMIT 100`, visibleParams(actor, scope))) as SummaryRow[];
    return rows.map((r) => toSummary(r, []));
  }

  /** One import (404 outside what `list` shows). */
  async get(actor: Actor, id: string): Promise<EnrolmentImportSummary> {
    const scope = await adminScope(this.db, actor);
    const [row] = (await this.db.query(`${SUMMARY_SQL} WHERE i.id = $4 AND ${VISIBLE_SQL} GROUP BY i.id`, [...visibleParams(actor, scope), id])) as SummaryRow[];
    if (!row) throw DomainException.notFound(ErrorCode.EnrolmentImportNotFound);
    const first = (await this.db.query(
      'SELECT row_number AS "rowNumber", column_name AS "column", message FROM enrolment_import_errors WHERE import_id = $1 ORDER BY row_number, id LIMIT 20',
      [id],
    )) as EnrolmentImportSummary['firstErrors'];
    return toSummary(row, first);
  }

  /** Every refused row: row number, column, Vietnamese message, and the row's values as read. */
  async errorsCsv(actor: Actor, id: string): Promise<string> {
    await this.get(actor, id);
    const rows = (await this.db.query(
      'SELECT row_number, column_name, message FROM enrolment_import_errors WHERE import_id = $1 ORDER BY row_number, id',
      [id],
    )) as Array<{ row_number: number; column_name: string | null; message: string }>;
    return toCsv(
      ['Dòng', 'Cột', 'Lỗi'],
      rows.map((r) => [r.row_number, r.column_name ?? '', r.message]),
    );
  }

  templateCsv(): string {
    return toCsv(IMPORT_COLUMNS.map((c) => c.vi), [TEMPLATE_EXAMPLE]);
  }

  templateXlsx(): Promise<Buffer> {
    return writeXlsx([
      { name: 'Danh sách', headers: IMPORT_COLUMNS.map((c) => c.vi), rows: [TEMPLATE_EXAMPLE] },
      { name: 'Nhóm mạng lưới', headers: ['Giá trị hợp lệ (cột "Nhóm mạng lưới")'], rows: Object.values(CATEGORY_LABELS_VI).map((v) => [v]) },
    ]);
  }
}

const TEMPLATE_EXAMPLE = ['GL-000123', 'Nguyễn Thị Hương', 'huong.nt@example.gov.vn', 'GL-PLEIKU', 'Chuyên viên', CATEGORY_LABELS_VI.unit_focal_point, 'KNS-01'];

interface SummaryRow {
  id: string;
  status: EnrolmentImportSummary['status'];
  dry_run: boolean;
  file_name: string;
  course_id: string | null;
  training_year: number;
  total_rows: number;
  processed_rows: number;
  created_people: number;
  updated_people: number;
  enrolled: number;
  already_enrolled: number;
  failed_rows: number;
  failure_reason: string | null;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  finished_at: Date | null;
}

/**
 * Who reads an import: its uploader ($1); a deployment-wide admin ($2); an admin whose scope ($3: LIKE patterns)
 * holds every unit the upload was made into (the last id of each stored scope path, at its current path).
 */
const VISIBLE_SQL = `(i.created_by = $1 OR $2::boolean OR (cardinality($3::text[]) > 0 AND cardinality(i.scope_paths) > 0 AND NOT EXISTS (
    SELECT 1 FROM unnest(i.scope_paths) AS sp(path)
      LEFT JOIN org_units su ON su.id = substring(sp.path from '([0-9a-fA-F-]{36})/$')::uuid
     WHERE su.id IS NULL OR NOT (su.path LIKE ANY($3::text[])))))`;

function visibleParams(actor: Actor, scope: AdminScope): [string, boolean, string[]] {
  return [actor.userId, scope.all, scope.patterns];
}

const SUMMARY_SQL = `
  SELECT i.id, i.status, i.dry_run, i.file_name, i.course_id, i.training_year, i.total_rows, i.failure_reason, i.created_by, i.created_by_name,
         i.created_at, i.finished_at,
         i.parse_failed_rows + COALESCE(sum(c.processed_rows), 0)::int AS processed_rows,
         COALESCE(sum(c.created_people), 0)::int AS created_people, COALESCE(sum(c.updated_people), 0)::int AS updated_people,
         COALESCE(sum(c.enrolled), 0)::int AS enrolled, COALESCE(sum(c.already_enrolled), 0)::int AS already_enrolled,
         i.parse_failed_rows + COALESCE(sum(c.failed_rows), 0)::int AS failed_rows
    FROM enrolment_imports i LEFT JOIN enrolment_import_chunks c ON c.import_id = i.id`;

function toSummary(r: SummaryRow, firstErrors: EnrolmentImportSummary['firstErrors']): EnrolmentImportSummary {
  return {
    id: r.id,
    status: r.status,
    dryRun: r.dry_run,
    fileName: r.file_name,
    courseId: r.course_id,
    trainingYear: r.training_year,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    createdPeople: r.created_people,
    updatedPeople: r.updated_people,
    enrolled: r.enrolled,
    alreadyEnrolled: r.already_enrolled,
    failedRows: r.failed_rows,
    failureReason: r.failure_reason,
    firstErrors,
    createdBy: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}
