import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import {
  ComplianceExportFormat,
  ComplianceExportJob,
  ComplianceExportKind,
  CoverageReport,
  CoverageRow,
  ErrorCode,
  JobName,
  QueueName,
  UntrainedPerson,
} from '@dxtrain/shared/contracts';
import { pdfDocument } from '@dxtrain/server/documents';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { neutraliseFormula, toCsv } from '@dxtrain/server/spreadsheets';
import { ComplianceService, ScopedUnit } from './compliance.service';
import { CreateExportDto } from './dto/compliance.dto';

/** Rows above which a direct download is refused (EXPORT_TOO_LARGE): the export then runs as a job. */
export const EXPORT_SYNC_MAX_ROWS = 5_000;
/** Hard limit of one export job. */
export const EXPORT_JOB_MAX_ROWS = 1_000_000;

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ComplianceExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

export const COVERAGE_HEADERS = [
  'Mã đơn vị',
  'Tên đơn vị',
  'Số thành viên',
  'Đã bồi dưỡng',
  'Đang học',
  'Chưa học',
  'Được miễn',
  'Tỷ lệ bao phủ (%)',
  'Đơn vị có đầu mối CĐS',
  'Tổng số đơn vị',
  'Có tài khoản',
  'Đã đăng nhập trong năm',
];
export const UNTRAINED_HEADERS = ['Mã cán bộ', 'Họ và tên', 'Thư điện tử', 'Đơn vị', 'Nhóm', 'Vị trí việc làm', 'Trạng thái', 'Lý do', 'Số tiết', 'Số tiết yêu cầu'];
const STATUS_VI: Record<string, string> = { in_progress: 'Đang học', not_started: 'Chưa học' };
const REASON_VI: Record<string, string> = {
  not_enrolled: 'Chưa ghi danh',
  enrolled_not_completed: 'Đã ghi danh, chưa hoàn thành',
  failed_exam: 'Chưa đạt bài kiểm tra',
};
const LEVEL_NAMES: Record<string, string> = { department: 'Sở ngành', district: 'Cấp huyện', commune: 'Cấp xã', community_digital_team: 'Tổ CNS cộng đồng' };

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const coverageCells = (r: CoverageRow) => [
  r.code,
  r.name + (r.closed ? ' (đã sáp nhập)' : ''),
  r.members,
  r.trained,
  r.inProgress,
  r.notStarted,
  r.exempt,
  pct(r.coverageRate),
  r.unitsWithFocalPoint,
  r.units,
  r.membersWithAccount,
  r.membersSignedIn,
];
const untrainedCells = (p: UntrainedPerson) => [
  p.staffCode,
  p.fullName,
  p.email,
  p.orgUnitName,
  p.networkCategory,
  p.position,
  STATUS_VI[p.status] ?? p.status,
  REASON_VI[p.reason] ?? p.reason,
  p.periods,
  p.requiredPeriods,
];


/** Styled workbook: one sheet per level, bold white-on-blue Vietnamese header row, frozen, coverage coloured. */
async function styledWorkbook(sheets: Array<{ name: string; headers: string[]; rows: Array<Array<string | number | null>>; rateColumn?: number }>): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'dxtrain';
  const taken = new Set<string>();
  for (const s of sheets) {
    let name = s.name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Sheet';
    for (let n = 2; taken.has(name); n++) name = `${s.name.slice(0, 28)} ${n}`;
    taken.add(name);
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = ws.addRow(s.headers);
    header.eachCell((c) => {
      c.font = { bold: true, color: { argb: 'FFFFFFFF' } };
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
      c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
    header.height = 32;
    for (const r of s.rows) {
      const row = ws.addRow(r.map((v) => (typeof v === 'string' ? neutraliseFormula(v.normalize('NFC')) : v)));
      if (s.rateColumn !== undefined) {
        const v = r[s.rateColumn];
        if (typeof v === 'number') {
          row.getCell(s.rateColumn + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: v >= 90 ? 'FFC6EFCE' : v >= 60 ? 'FFFFEB9C' : 'FFFFC7CE' } };
        }
      }
    }
    s.headers.forEach((h, i) => (ws.getColumn(i + 1).width = Math.min(45, Math.max(12, h.length + 2, ...s.rows.slice(0, 500).map((r) => String(r[i] ?? '').length + 2)))));
  }
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Renders the coverage table, the untrained list and the PDF summary; runs large ones as jobs. */
@Injectable()
export class ComplianceExportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Compliance) private readonly queue: Queue,
    private readonly compliance: ComplianceService,
  ) {}

  /** Direct download; refused with EXPORT_TOO_LARGE above EXPORT_SYNC_MAX_ROWS (start a job instead). */
  async download(actor: Actor, kind: ComplianceExportKind, format: ComplianceExportFormat, q: { year: number; unitId?: string; category?: string; reason?: string }): Promise<ExportFile> {
    const unit = await this.compliance.unitInScope(actor, q.unitId);
    await this.compliance.checkYear(q.year);
    this.checkFormat(kind, format);
    const rows = await this.estimateRows(unit, kind, q);
    if (rows > EXPORT_SYNC_MAX_ROWS) {
      throw DomainException.badRequest(ErrorCode.ExportTooLarge, [{ field: 'rows', message: `${rows} > ${EXPORT_SYNC_MAX_ROWS}` }]);
    }
    return this.render(unit, kind, format, q);
  }

  private checkFormat(kind: ComplianceExportKind, format: ComplianceExportFormat): void {
    const ok = kind === 'summary' ? format === 'pdf' : format !== 'pdf';
    if (!ok) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'format', message: kind === 'summary' ? 'pdf only' : 'xlsx or csv' }]);
  }

  async estimateRows(unit: ScopedUnit, kind: ComplianceExportKind, q: { year: number; category?: string; reason?: string }): Promise<number> {
    if (kind === 'untrained') return this.compliance.countUntrained(unit, q);
    if (kind === 'summary') return 1;
    const [{ n }] = (await this.db.query(
      `SELECT count(*)::int AS n FROM org_units u JOIN compliance_unit_stats s ON s.org_unit_id = u.id AND s.training_year = $1 WHERE u.path LIKE $2 AND u.depth <= $3`,
      [q.year, unit.path.replace(/[\\%_]/g, (c) => '\\' + c) + '%', unit.depth + 3],
    )) as Array<{ n: number }>;
    return n;
  }

  async render(
    unit: ScopedUnit,
    kind: ComplianceExportKind,
    format: ComplianceExportFormat,
    q: { year: number; category?: string; reason?: string },
    progress: (pct: number) => Promise<void> = async () => undefined,
  ): Promise<ExportFile> {
    const base = `${kind === 'coverage' ? 'bao-phu' : kind === 'untrained' ? 'chua-boi-duong' : 'bao-cao'}-${unit.code}-${q.year}`;
    if (kind === 'summary') {
      const report = await this.compliance.computeCoverage(unit, q.year);
      await progress(50);
      return { fileName: `${base}.pdf`, contentType: CONTENT_TYPES.pdf, body: await summaryPdf(report) };
    }
    if (kind === 'coverage') {
      const report = await this.compliance.computeCoverage(unit, q.year);
      const levels = await this.compliance.coverageByLevel(unit, q.year);
      await progress(60);
      const summaryRows = [coverageCells(report.unit), ...report.children.map(coverageCells)];
      if (format === 'csv') return { fileName: `${base}.csv`, contentType: CONTENT_TYPES.csv, body: Buffer.from(toCsv(COVERAGE_HEADERS, summaryRows)) };
      const sheets = [
        { name: 'Tổng hợp', headers: COVERAGE_HEADERS, rows: summaryRows, rateColumn: 7 },
        ...levels.map((rows, i) => ({
          name: `Cấp ${i + 1} - ${[...new Set(rows.map((r) => LEVEL_NAMES[r.kind] ?? r.kind))].sort((a, b) => a.localeCompare(b, 'vi')).join(', ')}`,
          headers: COVERAGE_HEADERS,
          rows: rows.map(coverageCells),
          rateColumn: 7,
        })),
      ];
      return { fileName: `${base}.xlsx`, contentType: CONTENT_TYPES.xlsx, body: await styledWorkbook(sheets) };
    }
    // Untrained list, page by page (progress per page).
    const total = await this.compliance.countUntrained(unit, q);
    const rows: Array<Array<string | number | null>> = [];
    const pageSize = 5_000;
    for (let page = 1; (page - 1) * pageSize < total; page++) {
      const p = await this.compliance.untrainedOf(unit, { ...q, page, pageSize });
      rows.push(...p.items.map(untrainedCells));
      await progress(Math.min(95, Math.round((rows.length / Math.max(1, total)) * 90)));
    }
    if (format === 'csv') return { fileName: `${base}.csv`, contentType: CONTENT_TYPES.csv, body: Buffer.from(toCsv(UNTRAINED_HEADERS, rows)) };
    return { fileName: `${base}.xlsx`, contentType: CONTENT_TYPES.xlsx, body: await styledWorkbook([{ name: 'Chưa bồi dưỡng', headers: UNTRAINED_HEADERS, rows }]) };
  }

  // ---- jobs ------------------------------------------------------------------------------------

  async createJob(actor: Actor, dto: CreateExportDto): Promise<ComplianceExportJob> {
    const unit = await this.compliance.unitInScope(actor, dto.unitId);
    await this.compliance.checkYear(dto.year);
    this.checkFormat(dto.kind, dto.format);
    const rows = await this.estimateRows(unit, dto.kind, dto);
    if (rows > EXPORT_JOB_MAX_ROWS) throw DomainException.badRequest(ErrorCode.ExportTooLarge, [{ field: 'rows', message: `${rows} > ${EXPORT_JOB_MAX_ROWS}` }]);
    const [row] = (await this.db.query(
      `INSERT INTO compliance_exports (requested_by, kind, format, training_year, org_unit_id, filters) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [actor.userId, dto.kind, dto.format, dto.year, unit.id, { category: dto.category ?? null, reason: dto.reason ?? null }],
    )) as Array<{ id: string }>;
    await this.queue.add(JobName.ComplianceExport, { exportId: row.id }, { jobId: `compliance-export-${row.id}` });
    return this.getJob(actor, row.id);
  }

  async getJob(actor: Actor, id: string): Promise<ComplianceExportJob> {
    const [r] = (await this.db.query(
      `SELECT id, kind, format, training_year, org_unit_id, status, progress, file_name, error, created_at FROM compliance_exports WHERE id = $1 AND requested_by = $2`,
      [id, actor.userId],
    )) as Array<Record<string, unknown>>;
    if (!r) throw DomainException.notFound(ErrorCode.ExportNotFound);
    return {
      id: r['id'] as string,
      kind: r['kind'] as ComplianceExportKind,
      format: r['format'] as ComplianceExportFormat,
      year: Number(r['training_year']),
      unitId: r['org_unit_id'] as string,
      status: r['status'] as ComplianceExportJob['status'],
      progress: Number(r['progress']),
      fileName: (r['file_name'] as string | null) ?? null,
      error: (r['error'] as string | null) ?? null,
      createdAt: (r['created_at'] as Date).toISOString(),
    };
  }

  async jobFile(actor: Actor, id: string): Promise<ExportFile> {
    const job = await this.getJob(actor, id);
    if (job.status !== 'done') throw DomainException.conflict(ErrorCode.ExportNotReady);
    const [r] = (await this.db.query(`SELECT content FROM compliance_exports WHERE id = $1`, [id])) as Array<{ content: Buffer }>;
    return { fileName: job.fileName ?? 'export', contentType: CONTENT_TYPES[job.format], body: r.content };
  }

  /** The worker side of an export job. */
  async runJob(id: string): Promise<void> {
    const [r] = (await this.db.query(`SELECT * FROM compliance_exports WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    if (!r || r['status'] === 'done') return;
    const [unit] = (await this.db.query(`SELECT id, code, name, kind, path, depth, valid_to::text AS "validTo" FROM org_units WHERE id = $1`, [r['org_unit_id']])) as ScopedUnit[];
    const setProgress = async (p: number) => {
      await this.db.query(`UPDATE compliance_exports SET status = 'running', progress = $2 WHERE id = $1`, [id, p]);
    };
    await setProgress(1);
    try {
      const filters = (r['filters'] as { category?: string | null; reason?: string | null }) ?? {};
      const file = await this.render(
        unit,
        r['kind'] as ComplianceExportKind,
        r['format'] as ComplianceExportFormat,
        { year: Number(r['training_year']), category: filters.category ?? undefined, reason: filters.reason ?? undefined },
        setProgress,
      );
      await this.db.query(`UPDATE compliance_exports SET status = 'done', progress = 100, file_name = $2, content = $3, finished_at = now() WHERE id = $1`, [id, file.fileName, file.body]);
    } catch (e) {
      await this.db.query(`UPDATE compliance_exports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, String((e as Error).message).slice(0, 1000)]);
      throw e;
    }
  }

  /** Finished exports are kept a day. */
  async purgeOld(): Promise<void> {
    await this.db.query(`DELETE FROM compliance_exports WHERE created_at < now() - interval '1 day'`);
  }
}

/** "Báo cáo kết quả bồi dưỡng, tập huấn chuyển đổi số năm …" for a unit: key figures and the table of its direct children. */
export async function summaryPdf(report: CoverageReport): Promise<Buffer> {
  const { doc, bytes: done } = pdfDocument({ size: 'A4', margin: 48, info: { Title: `Báo cáo kết quả bồi dưỡng ${report.year}`, Author: 'dxtrain' } }, 'sans');
  const u = report.unit;
  const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1).replace('.', ',')}%`);
  doc.font('bold').fontSize(11).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { align: 'center' });
  doc.font('regular').fontSize(11).text('Độc lập - Tự do - Hạnh phúc', { align: 'center' }).moveDown(1.5);
  doc.font('bold').fontSize(14).text(`BÁO CÁO KẾT QUẢ BỒI DƯỠNG, TẬP HUẤN CHUYỂN ĐỔI SỐ NĂM ${report.year}`, { align: 'center' });
  doc.font('regular').fontSize(12).text(u.name, { align: 'center' }).moveDown(1);
  doc.font('bold').fontSize(12).text('1. Kết quả chung');
  doc.font('regular').fontSize(11);
  const lines = [
    `Tổng số thành viên mạng lưới chuyển đổi số: ${u.members}`,
    `Đã hoàn thành bồi dưỡng trong năm: ${u.trained} (tỷ lệ bao phủ ${percent(u.coverageRate)}; mục tiêu 100% vào năm 2030)`,
    `Đang học: ${u.inProgress}; chưa học: ${u.notStarted}; được miễn: ${u.exempt}`,
    `Đơn vị có đầu mối chuyển đổi số: ${u.unitsWithFocalPoint}/${u.units}`,
    `Thành viên có tài khoản đã đăng nhập nền tảng trong năm: ${u.membersSignedIn}/${u.members}`,
  ];
  for (const l of lines) doc.text(`- ${l}`);
  doc.moveDown(1);
  if (report.children.length) {
    doc.font('bold').fontSize(12).text('2. Kết quả theo đơn vị trực thuộc').moveDown(0.5);
    const cols = [200, 60, 60, 60, 60, 60];
    const head = ['Đơn vị', 'Thành viên', 'Đã BD', 'Đang học', 'Chưa học', 'Tỷ lệ'];
    const row = (cells: string[], bold = false) => {
      if (doc.y > 760) doc.addPage();
      const y = doc.y;
      let x = doc.page.margins.left;
      doc.font(bold ? 'bold' : 'regular').fontSize(9);
      cells.forEach((c, i) => {
        doc.text(c, x, y, { width: cols[i] - 4, align: i === 0 ? 'left' : 'right' });
        x += cols[i];
      });
      doc.x = doc.page.margins.left;
      doc.y = Math.max(doc.y, y + 14);
    };
    row(head, true);
    for (const c of report.children) row([c.name + (c.closed ? ' (đã sáp nhập)' : ''), String(c.members), String(c.trained), String(c.inProgress), String(c.notStarted), percent(c.coverageRate)]);
  }
  doc.moveDown(1).font('regular').fontSize(9).text(`Số liệu cập nhật lúc ${report.refreshedAt ?? '—'} (dxtrain).`, doc.page.margins.left);
  doc.end();
  return done;
}
