import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { EnrolmentSource, EnrolmentStatus, JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { AuditService, unitOfPath } from '@dxtrain/server/audit';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, openTable, ReadLimits, SpreadsheetError } from '@dxtrain/server/spreadsheets';
import { EnrolmentImportEntity } from '../enrolment.entity';
import { CleanRow, createRowValidator, HeaderError, isRowError, mapHeaders, RowError } from './columns';

/** Rows per chunk job: big enough for set-based SQL to shine, small enough to share among workers. */
export const IMPORT_CHUNK_SIZE = 10_000;
export const IMPORT_MAX_ROWS = 500_000;
/**
 * What an import file may unpack to (XLSX: the XML parts read, inflated; CSV: its size). Checked
 * while reading, so a small XLSX that inflates to gigabytes is refused within a second or two.
 */
export const IMPORT_MAX_UNCOMPRESSED_BYTES = DEFAULT_MAX_UNCOMPRESSED_BYTES;
const IMPORT_LIMITS: ReadLimits = { maxRows: IMPORT_MAX_ROWS, maxUncompressedBytes: IMPORT_MAX_UNCOMPRESSED_BYTES };
/** Refused rows are written to the database this many at a time, so they never pile up in memory. */
const ERROR_BATCH = 10_000;
/** The stored file is read in pieces of this size. */
const FILE_PIECE = 4 * 1024 * 1024;

type ChunkJob = JobOf<JobName.EnrolmentImportChunk>;

interface ChunkCounts {
  processedRows: number;
  createdPeople: number;
  updatedPeople: number;
  enrolled: number;
  alreadyEnrolled: number;
  failedRows: number;
}

interface PersonMatch {
  id: string;
  province_id: string;
  staff_code: string;
  email: string | null;
  full_name: string;
  org_unit_id: string;
  position: string | null;
  network_category: string | null;
  active: boolean;
  path: string;
}

/**
 * The worker side of a bulk enrolment import.
 *
 * 1. `parse`: read the file (CSV/XLSX) from the database, streaming, twice. Pass 1 checks every
 *    row that needs no database and refuses a file as a whole (header, row cap, uncompressed-
 *    size cap, corrupt) before anything is queued; the counts are then set and the import is
 *    `running`. Pass 2 stages the valid rows in chunks and enqueues one job per chunk
 *    (deterministic job ids) as each fills. Memory stays flat whatever the file.
 * 2. `processChunk`: in ONE transaction, resolve units and courses, upsert people, insert
 *    enrolments (ON CONFLICT DO NOTHING), write the outbox and the chunk's counts and errors.
 *    A chunk row that already exists means the chunk is done: a redelivered job (worker killed,
 *    stalled) does nothing twice. The last chunk to finish marks the import completed.
 * A dry run runs the same SQL inside a savepoint that is rolled back, so its counts are exact.
 */
@Injectable()
export class EnrolmentImportPipeline {
  private readonly logger = new Logger(EnrolmentImportPipeline.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Enrolment) private readonly queue: Queue,
    @InjectQueue(QueueName.Notifications) private readonly notifications: Queue,
    private readonly audit: AuditService,
  ) {}

  async parse(importId: string): Promise<void> {
    const imp = await this.db.getRepository(EnrolmentImportEntity).findOneBy({ id: importId });
    if (!imp || imp.status === 'failed' || imp.status === 'completed') return;
    if (imp.status === 'running') {
      // Checked and counted already; a crash may have cut the queueing short: queue again (idempotent).
      const file = await this.loadFile(importId);
      if (file) await this.queueChunks(imp, file);
      return;
    }
    await this.db.query(`UPDATE enrolment_imports SET status = 'parsing', started_at = COALESCE(started_at, now()) WHERE id = $1`, [importId]);
    const file = await this.loadFile(importId);
    if (!file) return this.fail(importId, 'Không tìm thấy tệp đã tải lên. Vui lòng tải lại.');

    const t0 = Date.now();
    let checked: Awaited<ReturnType<EnrolmentImportPipeline['check']>>;
    try {
      checked = await this.check(imp, file);
    } catch (e) {
      if (e instanceof SpreadsheetError) {
        this.logger.warn(`import ${importId}: file refused (${e.code}) after ${Date.now() - t0} ms`);
        // The code too, so that support can tell the causes apart whatever the wording.
        return this.fail(importId, `${e.messageVi} (mã lỗi: ${e.code})`);
      }
      if (e instanceof HeaderError) return this.fail(importId, e.message);
      throw e;
    }
    if (!checked) return;
    const { totalRows, failedRows, errors } = checked;
    if (totalRows === 0) return this.fail(importId, 'Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.');
    const chunkCount = Math.ceil((totalRows - failedRows) / IMPORT_CHUNK_SIZE);

    const moved = await this.db.transaction(async (tx) => {
      const [locked] = (await tx.query('SELECT status FROM enrolment_imports WHERE id = $1 FOR UPDATE', [importId])) as Array<{ status: string }>;
      if (locked?.status !== 'parsing') return false;
      await tx.query('DELETE FROM enrolment_import_errors WHERE import_id = $1 AND row_number = ANY($2::int[])', [importId, errors.map((e) => e.rowNumber)]);
      await insertErrors(tx, importId, errors);
      await tx.query(
        `UPDATE enrolment_imports SET status = 'running', total_rows = $2, parse_failed_rows = $3, chunk_count = $4 WHERE id = $1`,
        [importId, totalRows, failedRows, chunkCount],
      );
      await this.finishIfDone(tx, importId);
      return true;
    });
    if (!moved) return;
    const queued = chunkCount > 0 ? await this.queueChunks(imp, file) : 0;
    if (queued !== chunkCount) this.logger.error(`import ${importId}: ${queued} chunks queued but ${chunkCount} counted`);
    this.logger.log(`import ${importId}: read ${totalRows} rows (${failedRows} refused) into ${chunkCount} chunks in ${Date.now() - t0} ms`);
  }

  /**
   * Pass 1: reads the whole file (streaming) and checks every row that needs no database,
   * writing the refused ones as it goes and keeping no good row. Every refusal of the file as a
   * whole (header, row cap, uncompressed-size cap, corrupt content) is thrown here, where the
   * read meets it, before a single chunk job exists. Null when the import stopped being parsed.
   */
  private async check(imp: EnrolmentImportEntity, file: Buffer): Promise<{ totalRows: number; failedRows: number; errors: RowError[] } | null> {
    const needCourseCode = !imp.courseId;
    const reader = await openTable(file, imp.fileName, IMPORT_LIMITS);
    try {
      const validate = createRowValidator(mapHeaders(reader.headers, needCourseCode), needCourseCode);
      let errors: RowError[] = [];
      let totalRows = 0;
      let failedRows = 0;
      for await (const batch of reader) {
        for (const row of batch) {
          totalRows++;
          const r = validate(row);
          if (isRowError(r)) {
            errors.push(r);
            failedRows++;
          }
        }
        if (errors.length >= ERROR_BATCH) {
          if (!(await this.writeParseErrors(imp.id, errors))) return null;
          errors = [];
        }
      }
      return { totalRows, failedRows, errors };
    } finally {
      await reader.close();
    }
  }

  /**
   * Pass 2: the same rows again (same bytes, same order, so the same checks give the same good
   * rows), queued as chunk jobs as each fills, so that workers start while the rest is read.
   * The split and the job ids are deterministic: queueing again adds nothing new.
   */
  private async queueChunks(imp: EnrolmentImportEntity, file: Buffer): Promise<number> {
    const needCourseCode = !imp.courseId;
    const reader = await openTable(file, imp.fileName, IMPORT_LIMITS);
    let chunk = 0;
    let rows: CleanRow[] = [];
    const flush = async () => {
      const data: ChunkJob = { importId: imp.id, chunk, rows };
      await this.queue.add(JobName.EnrolmentImportChunk, data, { jobId: `import-${imp.id}-chunk-${chunk}`, removeOnComplete: true, removeOnFail: 100 });
      chunk++;
      rows = [];
    };
    try {
      const validate = createRowValidator(mapHeaders(reader.headers, needCourseCode), needCourseCode);
      for await (const batch of reader) {
        for (const row of batch) {
          const r = validate(row);
          if (!isRowError(r) && rows.push(r) === IMPORT_CHUNK_SIZE) await flush();
        }
      }
      if (rows.length) await flush();
    } finally {
      await reader.close();
    }
    return chunk;
  }

  /**
   * The uploaded bytes, fetched 4 MB at a time: one `SELECT content` of a 50 MB file holds the
   * protocol buffer and the hex text of the bytea (4× the file) at once.
   */
  private async loadFile(importId: string): Promise<Buffer | null> {
    const [row] = (await this.db.query('SELECT octet_length(content) AS size FROM enrolment_import_files WHERE import_id = $1', [importId])) as Array<{ size: number }>;
    if (!row) return null;
    const file = Buffer.allocUnsafe(row.size);
    for (let at = 0; at < row.size; at += FILE_PIECE) {
      const [piece] = (await this.db.query('SELECT substring(content FROM $2 FOR $3) AS part FROM enrolment_import_files WHERE import_id = $1', [importId, at + 1, FILE_PIECE])) as Array<{
        part: Buffer;
      }>;
      if (!piece || piece.part.length !== Math.min(FILE_PIECE, row.size - at)) throw new Error(`import ${importId}: the stored file changed while it was read`);
      piece.part.copy(file, at);
    }
    return file;
  }

  /**
   * Writes a batch of refused rows while the file is still being read (replacing those rows'
   * earlier errors, so a re-read after a crash writes each once). False when the import is no
   * longer being parsed.
   */
  private async writeParseErrors(importId: string, errors: RowError[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [locked] = (await tx.query('SELECT status FROM enrolment_imports WHERE id = $1 FOR UPDATE', [importId])) as Array<{ status: string }>;
      if (locked?.status !== 'parsing') return false;
      await tx.query('DELETE FROM enrolment_import_errors WHERE import_id = $1 AND row_number = ANY($2::int[])', [importId, errors.map((e) => e.rowNumber)]);
      await insertErrors(tx, importId, errors);
      return true;
    });
  }

  private async fail(importId: string, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM enrolment_import_errors WHERE import_id = $1', [importId]);
      await tx.query(`UPDATE enrolment_imports SET status = 'failed', failure_reason = $2, finished_at = now() WHERE id = $1`, [importId, reason]);
    });
  }

  /** Processes one chunk exactly once. Returns false when it had already been done. */
  async processChunk(importId: string, chunk: number, rows: CleanRow[]): Promise<boolean> {
    let notify = false;
    const t0 = Date.now();
    const did = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`enrolment-import:${importId}:${chunk}`]);
      const already = (await tx.query('SELECT 1 FROM enrolment_import_chunks WHERE import_id = $1 AND chunk = $2', [importId, chunk])) as unknown[];
      if (already.length > 0) return false;
      const imp = await tx.getRepository(EnrolmentImportEntity).findOneBy({ id: importId });
      // Chunks may run while the rest of the file is still being read ('parsing').
      if (!imp || (imp.status !== 'running' && imp.status !== 'parsing')) return false;
      if (imp.dryRun) await tx.query('SAVEPOINT dry_run');
      const { counts, errors, messages } = await applyRows(tx, imp, rows);
      if (imp.dryRun) await tx.query('ROLLBACK TO SAVEPOINT dry_run');
      notify = messages > 0 && !imp.dryRun;
      await insertErrors(tx, importId, errors);
      await tx.query(
        `INSERT INTO enrolment_import_chunks (import_id, chunk, processed_rows, created_people, updated_people, enrolled, already_enrolled, failed_rows)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [importId, chunk, counts.processedRows, counts.createdPeople, counts.updatedPeople, counts.enrolled, counts.alreadyEnrolled, counts.failedRows],
      );
      await this.finishIfDone(tx, importId);
      return true;
    });
    if (notify) await this.notifications.add(JobName.NotificationsFlush, {}, { jobId: `flush-import-${importId}-${chunk}`, removeOnComplete: true });
    if (did) this.logger.debug(`import ${importId}: chunk ${chunk} in ${Date.now() - t0} ms`);
    return did;
  }

  /** Marks the import completed when every chunk is done; the row lock serialises the last chunks. */
  private async finishIfDone(tx: EntityManager, importId: string): Promise<void> {
    const [imp] = (await tx.query('SELECT status, chunk_count, dry_run, created_by, created_by_name, scope_paths FROM enrolment_imports WHERE id = $1 FOR UPDATE', [importId])) as Array<{
      status: string;
      scope_paths: string[];
      chunk_count: number;
      dry_run: boolean;
      created_by: string;
      created_by_name: string;
    }>;
    const [{ n }] = (await tx.query('SELECT count(*)::int AS n FROM enrolment_import_chunks WHERE import_id = $1', [importId])) as Array<{ n: number }>;
    if (!imp || imp.status !== 'running' || n < imp.chunk_count) return;
    await tx.query(`UPDATE enrolment_imports SET status = 'completed', finished_at = now() WHERE id = $1`, [importId]);
    if (!imp.dry_run) {
      await this.audit.record(tx, { userId: imp.created_by, username: imp.created_by_name, ip: null }, {
        action: 'enrolment_import.completed',
        entityType: 'enrolment_import',
        entityId: importId,
        after: await summaryCounts(tx, importId),
        orgUnitIds: imp.scope_paths.map(unitOfPath),
      });
    }
  }
}

async function summaryCounts(tx: EntityManager, importId: string): Promise<Record<string, number>> {
  const [r] = (await tx.query(
    `SELECT i.total_rows AS "totalRows",
            i.parse_failed_rows + COALESCE(sum(c.processed_rows), 0)::int AS "processedRows",
            COALESCE(sum(c.created_people), 0)::int AS "createdPeople", COALESCE(sum(c.updated_people), 0)::int AS "updatedPeople",
            COALESCE(sum(c.enrolled), 0)::int AS enrolled, COALESCE(sum(c.already_enrolled), 0)::int AS "alreadyEnrolled",
            i.parse_failed_rows + COALESCE(sum(c.failed_rows), 0)::int AS "failedRows"
       FROM enrolment_imports i LEFT JOIN enrolment_import_chunks c ON c.import_id = i.id
      WHERE i.id = $1 GROUP BY i.id`,
    [importId],
  )) as Array<Record<string, number>>;
  return r;
}

async function insertErrors(tx: EntityManager, importId: string, errors: RowError[]): Promise<void> {
  for (let i = 0; i < errors.length; i += 10_000) {
    const part = errors.slice(i, i + 10_000);
    await tx.query(
      `INSERT INTO enrolment_import_errors (import_id, row_number, column_name, message)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
      [importId, part.map((e) => e.rowNumber), part.map((e) => e.column), part.map((e) => e.message)],
    );
  }
}

/** The set-based heart of the import: a chunk's rows → people and enrolments, in the caller's transaction. */
async function applyRows(
  tx: EntityManager,
  imp: EnrolmentImportEntity,
  rows: CleanRow[],
): Promise<{ counts: ChunkCounts; errors: RowError[]; messages: number }> {
  const marks: Array<[string, number]> = [['start', Date.now()]];
  const mark = (name: string) => marks.push([name, Date.now()]);
  const errors: RowError[] = [];
  const failed = new Set<number>();
  const fail = (row: CleanRow, column: string | null, message: string) => {
    if (failed.has(row.rowNumber)) return;
    failed.add(row.rowNumber);
    errors.push({ rowNumber: row.rowNumber, column, message });
  };
  const inScope = (path: string) => imp.scopePaths.some((p) => path.startsWith(p));

  // Units by code (codes are unique within a province; the uploader's scope picks the province).
  const unitCodes = [...new Set(rows.map((r) => r.unitCode))];
  const units = (await tx.query(
    `SELECT id, code, root_id, path, name, valid_to IS NOT NULL AND valid_to <= CURRENT_DATE AS closed FROM org_units WHERE code = ANY($1::text[])`,
    [unitCodes],
  )) as Array<{ id: string; code: string; root_id: string; path: string; name: string; closed: boolean }>;
  const unitsByCode = new Map<string, typeof units>();
  for (const u of units) unitsByCode.set(u.code, [...(unitsByCode.get(u.code) ?? []), u]);

  // Courses: the import's course, or by code per row.
  const courseByCode = new Map<string, { id: string; status: string } | null>();
  if (!imp.courseId) {
    const codes = [...new Set(rows.map((r) => r.courseCode).filter((c): c is string => !!c))];
    const found = (await tx.query('SELECT id, code, status FROM courses WHERE code = ANY($1::text[])', [codes])) as Array<{ id: string; code: string; status: string }>;
    for (const c of found) courseByCode.set(c.code, c);
  }

  type Resolved = { row: CleanRow; unit: (typeof units)[number]; courseId: string };
  const resolved: Resolved[] = [];
  for (const row of rows) {
    const candidates = unitsByCode.get(row.unitCode) ?? [];
    const visible = candidates.filter((u) => inScope(u.path));
    if (candidates.length === 0) {
      fail(row, 'Mã đơn vị', `Mã đơn vị "${row.unitCode}" không tồn tại trong cơ cấu tổ chức.`);
      continue;
    }
    if (visible.length === 0) {
      fail(row, 'Mã đơn vị', `Đơn vị "${row.unitCode}" nằm ngoài phạm vi quản lý của bạn.`);
      continue;
    }
    if (visible.length > 1) {
      fail(row, 'Mã đơn vị', `Mã đơn vị "${row.unitCode}" có ở nhiều tỉnh trong phạm vi của bạn; hãy nhập riêng cho từng tỉnh.`);
      continue;
    }
    const unit = visible[0];
    if (unit.closed) {
      fail(row, 'Mã đơn vị', `Đơn vị "${row.unitCode}" (${unit.name}) đã giải thể hoặc sáp nhập; hãy dùng mã đơn vị mới.`);
      continue;
    }
    let courseId = imp.courseId;
    if (!courseId) {
      const course = courseByCode.get(row.courseCode ?? '');
      if (!course) {
        fail(row, 'Mã khoá học', `Mã khoá học "${row.courseCode}" không tồn tại.`);
        continue;
      }
      if (course.status !== 'published') {
        fail(row, 'Mã khoá học', `Khoá học "${row.courseCode}" chưa được phát hành hoặc đã lưu trữ.`);
        continue;
      }
      courseId = course.id;
    }
    resolved.push({ row, unit, courseId });
  }

  mark('resolve');
  // People, matched by staff code within the province, then by e-mail.
  const provinces = resolved.map((r) => r.unit.root_id);
  const select = `SELECT p.id, p.province_id, p.staff_code, p.email, p.full_name, p.org_unit_id, p.position, p.network_category, p.active, u.path
                    FROM people p JOIN org_units u ON u.id = p.org_unit_id`;
  const byCode = new Map<string, PersonMatch>();
  const byEmail = new Map<string, PersonMatch>();
  const loadPeople = async (provinceIds: string[], codes: string[], emails: (string | null)[]) => {
    if (provinceIds.length === 0) return;
    const found = (await tx.query(
      `${select} WHERE (p.province_id, p.staff_code) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
         UNION
       ${select} WHERE p.email IS NOT NULL AND (p.province_id, p.email) IN (SELECT * FROM unnest($1::uuid[], $3::text[]))`,
      [provinceIds, codes, emails],
    )) as PersonMatch[];
    for (const p of found) {
      byCode.set(`${p.province_id}|${p.staff_code}`, p);
      if (p.email) byEmail.set(`${p.province_id}|${p.email}`, p);
    }
  };
  await loadPeople(
    provinces,
    resolved.map((r) => r.row.staffCode),
    resolved.map((r) => r.row.email ?? ''),
  );

  type Planned = Resolved & { person: PersonMatch | null };
  const planned: Planned[] = [];
  for (const r of resolved) {
    const key = `${r.unit.root_id}|${r.row.staffCode}`;
    const codeMatch = byCode.get(key) ?? null;
    const emailMatch = r.row.email ? (byEmail.get(`${r.unit.root_id}|${r.row.email}`) ?? null) : null;
    if (codeMatch && emailMatch && codeMatch.id !== emailMatch.id) {
      fail(r.row, 'Email', `Email "${r.row.email}" đã thuộc cán bộ khác (mã ${emailMatch.staff_code}).`);
      continue;
    }
    const person = codeMatch ?? emailMatch;
    if (person && !inScope(person.path)) {
      fail(r.row, 'Mã cán bộ', `Cán bộ mã "${person.staff_code}" thuộc đơn vị ngoài phạm vi quản lý của bạn.`);
      continue;
    }
    if (person && !person.active) {
      fail(r.row, 'Mã cán bộ', `Cán bộ mã "${person.staff_code}" đang ngừng hoạt động; hãy kích hoạt lại hồ sơ trước khi ghi danh.`);
      continue;
    }
    planned.push({ ...r, person });
  }

  mark('lookup');
  // Create the new people once each (several rows may name the same person for different courses).
  const toCreate = new Map<string, Planned>();
  for (const p of planned) if (!p.person) toCreate.set(`${p.unit.root_id}|${p.row.staffCode}`, toCreate.get(`${p.unit.root_id}|${p.row.staffCode}`) ?? p);
  let createdPeople = 0;
  if (toCreate.size > 0) {
    const list = [...toCreate.values()];
    const created = (await tx.query(
      `INSERT INTO people (province_id, staff_code, full_name, email, org_unit_id, position, network_category, search_text, sort_key)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT DO NOTHING
       RETURNING id, province_id, staff_code`,
      [
        list.map((p) => p.unit.root_id),
        list.map((p) => p.row.staffCode),
        list.map((p) => p.row.fullName),
        list.map((p) => p.row.email),
        list.map((p) => p.unit.id),
        list.map((p) => p.row.position),
        list.map((p) => p.row.networkCategory),
        list.map((p) => p.row.searchText),
        list.map((p) => p.row.sortKey),
      ],
    )) as Array<{ id: string; province_id: string; staff_code: string }>;
    createdPeople = created.length;
    const createdIds = new Map(created.map((c) => [`${c.province_id}|${c.staff_code}`, c.id]));
    // Rows that lost a race with a concurrent chunk (or an e-mail owned by someone else) are re-read.
    const lost = list.filter((p) => !createdIds.has(`${p.unit.root_id}|${p.row.staffCode}`));
    if (lost.length) {
      await loadPeople(
        lost.map((p) => p.unit.root_id),
        lost.map((p) => p.row.staffCode),
        lost.map((p) => p.row.email ?? ''),
      );
    }
    for (const p of planned) {
      if (p.person) continue;
      const key = `${p.unit.root_id}|${p.row.staffCode}`;
      const id = createdIds.get(key);
      if (id) {
        p.person = { id, province_id: p.unit.root_id, staff_code: p.row.staffCode, email: p.row.email, full_name: p.row.fullName, org_unit_id: p.unit.id, position: p.row.position, network_category: p.row.networkCategory, active: true, path: p.unit.path };
      } else {
        p.person = byCode.get(key) ?? null;
        if (!p.person) fail(p.row, 'Email', `Email "${p.row.email}" đã thuộc cán bộ khác trong tỉnh.`);
      }
    }
  }

  mark('create');
  // Update what changed (blank optional cells never erase what is there).
  const updates = new Map<string, { id: string; staffCode: string; fullName: string; email: string | null; unitId: string; position: string | null; category: string | null; search: string; sort: string }>();
  for (const p of planned) {
    if (!p.person || failed.has(p.row.rowNumber) || toCreate.get(`${p.unit.root_id}|${p.row.staffCode}`) === p) continue;
    const cur = p.person;
    const next = {
      id: cur.id,
      staffCode: p.row.staffCode,
      fullName: p.row.fullName,
      email: p.row.email ?? cur.email,
      unitId: p.unit.id,
      position: p.row.position ?? cur.position,
      category: p.row.networkCategory ?? cur.network_category,
      search: p.row.searchText,
      sort: p.row.sortKey,
    };
    const changed =
      next.staffCode !== cur.staff_code ||
      next.fullName !== cur.full_name ||
      next.email !== cur.email ||
      next.unitId !== cur.org_unit_id ||
      next.position !== cur.position ||
      next.category !== cur.network_category;
    if (changed && !updates.has(cur.id)) updates.set(cur.id, next);
  }
  if (updates.size > 0) {
    const list = [...updates.values()];
    await tx.query(
      `UPDATE people p SET staff_code = v.staff_code, full_name = v.full_name, email = v.email, org_unit_id = v.unit_id, position = v.position,
              network_category = v.category, search_text = v.search, sort_key = v.sort, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[])
              AS v(id, staff_code, full_name, email, unit_id, position, category, search, sort)
        WHERE p.id = v.id`,
      [
        list.map((u) => u.id),
        list.map((u) => u.staffCode),
        list.map((u) => u.fullName),
        list.map((u) => u.email),
        list.map((u) => u.unitId),
        list.map((u) => u.position),
        list.map((u) => u.category),
        list.map((u) => u.search),
        list.map((u) => u.sort),
      ],
    );
  }

  mark('update');
  // Enrolments: one per (person, course, year) by the unique index; existing ones are counted, not touched.
  const pairs = new Map<string, Planned>();
  for (const p of planned) {
    if (!p.person || failed.has(p.row.rowNumber)) continue;
    const key = `${p.person.id}|${p.courseId}`;
    const first = pairs.get(key);
    if (first) fail(p.row, 'Mã cán bộ', `Trùng với dòng ${first.row.rowNumber}: cùng cán bộ và khoá học.`);
    else pairs.set(key, p);
  }
  const toEnrol = [...pairs.values()];
  let enrolled = 0;
  let messages = 0;
  if (toEnrol.length > 0) {
    const inserted = (await tx.query(
      `INSERT INTO enrolments (person_id, course_id, training_year, source, status, due_date, enrolled_by, import_id)
       SELECT v.person_id, v.course_id, $3, $4, $5, $6, $7, $8 FROM unnest($1::uuid[], $2::uuid[]) AS v(person_id, course_id)
       ON CONFLICT (person_id, course_id, training_year) DO NOTHING
       RETURNING id`,
      [
        toEnrol.map((p) => p.person?.id),
        toEnrol.map((p) => p.courseId),
        imp.trainingYear,
        EnrolmentSource.Import,
        EnrolmentStatus.Enrolled,
        imp.dueDate,
        imp.createdBy,
        imp.id,
      ],
    )) as Array<{ id: string }>;
    enrolled = inserted.length;
    mark('enrol');
    if (enrolled > 0) messages = await writeEnrolmentNotices(tx, inserted.map((r) => r.id));
    mark('outbox');
  }
  if (process.env['ENROLMENT_IMPORT_PROFILE']) console.log(marks.slice(1).map(([n, t], i) => `${n} ${t - marks[i][1]}ms`).join(' · '));

  const counts: ChunkCounts = {
    processedRows: rows.length,
    createdPeople,
    updatedPeople: updates.size,
    enrolled,
    alreadyEnrolled: toEnrol.length - enrolled,
    failedRows: failed.size,
  };
  return { counts, errors, messages };
}

/** One e-mail per new enrolment of a person with an address, in the enrolment's transaction. */
export async function writeEnrolmentNotices(tx: EntityManager, enrolmentIds: string[]): Promise<number> {
  const rows = (await tx.query(
    `INSERT INTO outbox_messages (to_address, subject, body_text, ref_id, person_id, org_unit_id)
     SELECT p.email,
            'Thông báo ghi danh khoá học: ' || v.title,
            'Kính gửi ' || p.full_name || E',\\n\\nAnh/chị đã được ghi danh vào khoá học "' || v.title || '" (mã ' || c.code || ') năm ' || e.training_year ||
              CASE WHEN e.due_date IS NOT NULL THEN ', hạn hoàn thành ' || to_char(e.due_date, 'DD/MM/YYYY') ELSE '' END ||
              E'.\\nVui lòng đăng nhập dxtrain để bắt đầu học.\\n\\nTrân trọng.',
            e.id, p.id, p.org_unit_id
       FROM enrolments e
       JOIN people p ON p.id = e.person_id
       JOIN courses c ON c.id = e.course_id
       JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id)
      WHERE e.id = ANY($1::uuid[]) AND p.email IS NOT NULL
     RETURNING id`,
    [enrolmentIds],
  )) as unknown[];
  return rows.length;
}
