import { CellValue as ExcelCellValue, Workbook, Worksheet } from 'exceljs';
import { CellValue, Table, TableRow } from './csv';
import { spreadsheetErrors } from './errors';
import { neutraliseFormula } from './sanitise';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.subarray(0, 4).equals(ZIP_MAGIC);
}

export interface ReadXlsxOptions {
  /** Reject workbooks with more data rows than this (SpreadsheetError TOO_MANY_ROWS). */
  maxRows?: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** yyyy-mm-dd, or yyyy-mm-ddTHH:mm:ss when the cell has a time of day (Excel dates carry no zone: read as UTC). */
function formatDate(d: Date): string {
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return date;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Numbers as Excel shows them in General format: 15 significant digits, no trailing `.0`. */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** Any exceljs cell value as text: rich text flattened, hyperlinks as their text, formulas as their cached result. */
export function cellToString(value: ExcelCellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').normalize('NFC');
    if ('formula' in value || 'sharedFormula' in value) return cellToString(value.result as ExcelCellValue | undefined);
    if ('hyperlink' in value) return cellToString(value.text as ExcelCellValue);
    if ('error' in value) return value.error;
  }
  return '';
}

function readSheet(ws: Worksheet, maxRows: number): Table {
  const headerRow = ws.getRow(1);
  const headers: string[] = [];
  for (let col = 1; col <= headerRow.cellCount; col++) headers[col - 1] = cellToString(headerRow.getCell(col).value).trim();
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();

  const rows: TableRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const width = Math.max(headers.length, row.cellCount);
    const cells: string[] = new Array<string>(width);
    let blank = true;
    for (let col = 1; col <= width; col++) {
      const s = cellToString(row.getCell(col).value);
      if (s !== '') blank = false;
      cells[col - 1] = s;
    }
    if (blank) return;
    if (rows.length >= maxRows) throw spreadsheetErrors.tooManyRows(maxRows);
    rows.push({ rowNumber, cells });
  });
  return { headers, rows };
}

/**
 * Reads the first worksheet of an .xlsx workbook: row 1 is the header, values become strings
 * (dates ISO yyyy-mm-dd, numbers without a trailing .0, rich text flattened, formulas → cached
 * result). Row numbers are Excel's; blank rows are skipped.
 *
 * The whole workbook is loaded in memory (exceljs `xlsx.load`); fine for question banks and
 * tens of thousands of rows. For 500,000-row enrolment files switch to exceljs' streaming reader.
 */
export async function readXlsx(buffer: Buffer, opts: ReadXlsxOptions = {}): Promise<Table> {
  if (buffer.length === 0) throw spreadsheetErrors.empty();
  if (!isZip(buffer)) throw spreadsheetErrors.notXlsx();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (e) {
    throw spreadsheetErrors.corruptXlsx(e instanceof Error ? e.message : String(e));
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw spreadsheetErrors.empty();
  const table = readSheet(sheet, opts.maxRows ?? Infinity);
  if (table.headers.length === 0 && table.rows.length === 0) throw spreadsheetErrors.empty();
  return table;
}

export interface SheetSpec {
  /** Tab name; characters Excel forbids are replaced, cut to 31 characters. */
  name: string;
  headers: readonly string[];
  rows: ReadonlyArray<readonly CellValue[]>;
  /** Column widths in characters; by default fitted to the content (10..60). */
  columnWidths?: readonly number[];
}

function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '-').trim().slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function toExcelValue(value: CellValue): ExcelCellValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return neutraliseFormula(value.normalize('NFC'));
  return value;
}

/**
 * Writes a workbook: one sheet per spec, bold frozen header row, string cells protected
 * against formula injection like `toCsv`, dates formatted dd/mm/yyyy.
 */
export async function writeXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'dxtrain';
  const taken = new Set<string>();
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(sheetName(spec.name, taken), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    const header = ws.addRow(spec.headers.map((h) => toExcelValue(h)));
    header.font = { bold: true };
    for (const row of spec.rows) {
      const added = ws.addRow(row.map(toExcelValue));
      row.forEach((v, i) => {
        if (v instanceof Date) added.getCell(i + 1).numFmt = 'dd/mm/yyyy';
      });
    }
    let columns = spec.headers.length;
    for (const row of spec.rows) if (row.length > columns) columns = row.length;
    for (let col = 1; col <= columns; col++) {
      let width = spec.columnWidths?.[col - 1];
      if (width === undefined) {
        let longest = (spec.headers[col - 1] ?? '').length;
        for (const row of spec.rows.slice(0, 1000)) {
          const v = row[col - 1];
          const len = v instanceof Date ? 10 : v === null || v === undefined ? 0 : String(v).length;
          if (len > longest) longest = len;
        }
        width = Math.min(60, Math.max(10, longest + 2));
      }
      ws.getColumn(col).width = width;
    }
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
