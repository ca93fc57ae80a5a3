import { CellValue as ExcelCellValue, Workbook } from 'exceljs';
import { CellValue, Table, TableRow } from './csv';
import { SpreadsheetError, spreadsheetErrors } from './errors';
import { budgetOf, ReadLimits } from './limits';
import { neutraliseFormula } from './sanitise';
import { drain, ownString, ReaderState, startReader, TableReader } from './table-reader';
import { attributeOf, attributesOf, XmlHandler, XmlScanner } from './xml';
import { inflateEntry, readZipDirectory, ZipEntry } from './zip';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.subarray(0, 4).equals(ZIP_MAGIC);
}

export type ReadXlsxOptions = ReadLimits;

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

// ---------------------------------------------------------------------------------------------
// Streaming reader. The workbook's ZIP is read in place (central directory, then one part at a
// time, inflated in 16 KB chunks counted against the uncompressed-size cap), its XML scanned as
// it inflates; rows leave in batches. What stays in memory: the shared strings (compactly), the
// date styles, one batch of rows and one pending XML token.
// ---------------------------------------------------------------------------------------------

/** Excel's limits: columns A..XFD. */
const MAX_COLUMNS = 16_384;
/**
 * A batch ends at this many rows or cells, whichever comes first. Small batches are consumed
 * before V8 promotes them to the old generation: with 1,000-row batches a 200 MB sheet left
 * ~110 MB of dead rows there until a full GC; with 100, RSS does not move.
 */
const BATCH_ROWS = 100;
const BATCH_CELLS = 10_000;
/** Longest shared string or cell text accepted (Excel's cells hold 32,767 characters). */
const MAX_STRING = 1024 * 1024;

/** Built-in number formats that exceljs reads as dates (14–22 and 45–47; the others are locale-specific or numeric). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** exceljs' rule: a format with y, m, d, h, s or b outside quotes and brackets is a date. */
function isDateFormat(code: string | undefined): boolean {
  if (!code) return false;
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** Excel escapes characters XML cannot carry as `_xHHHH_` in shared and rich text (exceljs decodes them there). */
function decodeExcelEscapes(text: string): string {
  return text.indexOf('_x') === -1 ? text : text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** exceljs decodes `t="str"` values once more. */
function decodeTwice(text: string): string {
  return text.indexOf('&') === -1 ? text : text.replace(/&(lt|gt|amp|apos|quot);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e] ?? '');
}

function columnIndex(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) col = col * 26 + (c - 0x40);
    else if (c >= 0x61 && c <= 0x7a) col = col * 26 + (c - 0x60);
    else break;
    if (col > MAX_COLUMNS) break;
  }
  return col;
}

/**
 * Shared strings, packed: blocks of 4,096 strings joined into one string with their offsets,
 * i.e. about 4 bytes per string on top of the characters instead of a heap object each.
 */
class StringTable {
  private readonly blocks: string[] = [];
  private readonly offsets: Uint32Array[] = [];
  private current: string[] = [];
  size = 0;

  add(s: string): void {
    this.current.push(s);
    this.size++;
    if (this.current.length === 4096) this.seal();
  }

  seal(): void {
    if (this.current.length === 0) return;
    const offsets = new Uint32Array(this.current.length + 1);
    for (let i = 0; i < this.current.length; i++) offsets[i + 1] = offsets[i] + this.current[i].length;
    this.blocks.push(this.current.join(''));
    this.offsets.push(offsets);
    this.current = [];
  }

  get(index: number): string {
    if (!(index >= 0 && index < this.size)) return '';
    const block = index >>> 12;
    const i = index & 4095;
    if (block === this.blocks.length) return this.current[i];
    const o = this.offsets[block];
    return this.blocks[block].slice(o[i], o[i + 1]);
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

class RelsHandler implements XmlHandler {
  collecting = false;
  readonly rels: Relationship[] = [];
  open(name: string, raw: string): void {
    if (name !== 'Relationship') return;
    const a = attributesOf(raw);
    this.rels.push({ id: a['Id'] ?? '', type: a['Type'] ?? '', target: a['Target'] ?? '', external: a['TargetMode'] === 'External' });
  }
  close(): void {
    /* nothing */
  }
  text(): void {
    /* nothing */
  }
}

class WorkbookHandler implements XmlHandler {
  collecting = false;
  date1904 = false;
  sheets = 0;
  firstSheetRelId: string | null = null;
  open(name: string, raw: string): void {
    if (name === 'workbookPr') {
      const v = attributesOf(raw)['date1904'];
      this.date1904 = v === '1' || v === 'true';
    } else if (name === 'sheet' && this.sheets++ === 0) {
      const a = attributesOf(raw);
      const key = Object.keys(a).find((k) => k.endsWith(':id'));
      this.firstSheetRelId = key ? a[key] : null;
    }
  }
  close(): void {
    /* nothing */
  }
  text(): void {
    /* nothing */
  }
}

class StylesHandler implements XmlHandler {
  collecting = false;
  private inNumFmts = false;
  private inCellXfs = false;
  private readonly custom = new Map<number, string>();
  private readonly xfFormats: number[] = [];
  open(name: string, raw: string): void {
    if (name === 'numFmts') this.inNumFmts = true;
    else if (name === 'cellXfs') this.inCellXfs = true;
    else if (name === 'numFmt' && this.inNumFmts) {
      const a = attributesOf(raw);
      if (this.custom.size < 65_536) this.custom.set(parseInt(a['numFmtId'] ?? '', 10), a['formatCode'] ?? '');
    } else if (name === 'xf' && this.inCellXfs && this.xfFormats.length < 1 << 20) {
      this.xfFormats.push(parseInt(attributesOf(raw)['numFmtId'] ?? '0', 10));
    }
  }
  close(name: string): void {
    if (name === 'numFmts') this.inNumFmts = false;
    else if (name === 'cellXfs') this.inCellXfs = false;
  }
  text(): void {
    /* nothing */
  }
  /** Which cell style indexes (`s`) show numbers as dates. */
  dateStyles(): boolean[] {
    return this.xfFormats.map((id) => !!id && (this.custom.has(id) ? isDateFormat(this.custom.get(id)) : BUILTIN_DATE_FORMATS.has(id)));
  }
}

class SharedStringsHandler implements XmlHandler {
  collecting = false;
  readonly table = new StringTable();
  private inItem = false;
  private phonetic = 0;
  private item = '';
  private piece = '';
  open(name: string): void {
    if (name === 'si') {
      this.inItem = true;
      this.item = '';
    } else if (name === 'rPh') this.phonetic++;
    else if (name === 't' && this.inItem && this.phonetic === 0) {
      this.collecting = true;
      this.piece = '';
    }
  }
  text(value: string): void {
    this.piece += value;
    if (this.item.length + this.piece.length > MAX_STRING) throw spreadsheetErrors.corruptXlsx('a shared string longer than 1 MB');
  }
  close(name: string): void {
    if (name === 't' && this.collecting) {
      this.collecting = false;
      this.item += decodeExcelEscapes(this.piece);
    } else if (name === 'rPh') this.phonetic--;
    else if (name === 'si' && this.inItem) {
      this.inItem = false;
      this.table.add(this.item.normalize('NFC'));
    }
  }
}

/** The first worksheet: rows → TableRow batches, the header row → `state.headers`. */
class SheetHandler implements XmlHandler {
  collecting = false;
  paused = false;
  rows: TableRow[] = [];
  private batchCells = 0;
  private dataRows = 0;
  private inData = false;
  private inRow = false;
  private rowNumber = 0;
  private cells: string[] = [];
  private lastCol = 0;
  private maxCol = 0;
  // the cell being read
  private inCell = false;
  private col = 0;
  private type = '';
  private style = 0;
  private formula = false;
  private inFormula = false;
  private inInline = false;
  private inRun = false;
  private phonetic = 0;
  private value: string | undefined;
  private rich: string | undefined;
  private run = '';

  constructor(
    private readonly strings: StringTable,
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly maxRows: number,
    private readonly state: ReaderState,
  ) {}

  take(): TableRow[] {
    const rows = this.rows;
    this.rows = [];
    this.batchCells = 0;
    this.paused = false;
    return rows;
  }

  open(name: string, raw: string): void {
    if (this.inCell) {
      if (name === 'v' || (name === 't' && this.inInline && this.phonetic === 0)) {
        this.collecting = true;
        if (this.inRun) this.run = '';
      } else if (name === 'f') {
        this.inFormula = true;
        this.collecting = true;
        if (attributeOf(raw, 't')) this.formula = true;
      } else if (name === 'is') this.inInline = true;
      else if (name === 'r' && this.inInline) this.inRun = true;
      else if (name === 'rPh') this.phonetic++;
      return;
    }
    if (name === 'c' && this.inRow) {
      const ref = attributeOf(raw, 'r');
      this.col = ref ? columnIndex(ref) : this.lastCol + 1;
      if (this.col < 1 || this.col > MAX_COLUMNS) throw spreadsheetErrors.corruptXlsx(`cell reference ${ref ?? ''} is outside A..XFD`);
      this.type = attributeOf(raw, 't') ?? '';
      const style = attributeOf(raw, 's');
      this.style = style ? parseInt(style, 10) : 0;
      this.formula = false;
      this.value = undefined;
      this.rich = undefined;
      this.run = '';
      this.inCell = true;
    } else if (name === 'row' && this.inData) {
      const r = attributeOf(raw, 'r');
      this.rowNumber = r ? parseInt(r, 10) : this.rowNumber + 1;
      if (!(this.rowNumber >= 1)) throw spreadsheetErrors.corruptXlsx(`row number ${r ?? ''}`);
      this.cells = [];
      this.lastCol = 0;
      this.maxCol = 0;
      this.inRow = true;
    } else if (name === 'sheetData') this.inData = true;
  }

  text(value: string): void {
    if (this.inFormula) {
      if (value.length > 0) this.formula = true;
      return;
    }
    if (this.inRun) this.run += value;
    else this.value = this.value === undefined ? value : this.value + value;
    if ((this.value?.length ?? 0) + this.run.length + (this.rich?.length ?? 0) > MAX_STRING) throw spreadsheetErrors.corruptXlsx('a cell longer than 1 MB');
  }

  close(name: string): void {
    if (this.inCell) {
      if (name === 'c') this.endCell();
      else if (name === 'v' || name === 't') {
        this.collecting = false;
        if (name === 't' && this.inRun) this.rich = (this.rich ?? '') + decodeExcelEscapes(this.run);
      } else if (name === 'f') {
        this.inFormula = false;
        this.collecting = false;
      } else if (name === 'is') this.inInline = false;
      else if (name === 'r') this.inRun = false;
      else if (name === 'rPh') this.phonetic--;
      return;
    }
    if (name === 'row' && this.inRow) this.endRow();
    else if (name === 'sheetData') this.inData = false;
  }

  private numberText(raw: string): string {
    const n = parseFloat(raw);
    if (this.style > 0 && this.dateStyles[this.style]) return formatDate(excelToDate(n, this.date1904));
    return formatNumber(n);
  }

  private endCell(): void {
    this.inCell = false;
    this.collecting = false;
    this.inInline = false;
    this.inRun = false;
    this.phonetic = 0;
    const raw = this.rich ?? this.value;
    const t = this.type;
    let text = '';
    if (this.formula) {
      if (raw) {
        if (t === 'str') text = decodeTwice(raw).normalize('NFC');
        else if (t === 'b') text = parseInt(raw, 10) !== 0 ? 'TRUE' : 'FALSE';
        else if (t === 'e') text = raw;
        else text = this.numberText(raw);
      }
    } else if (raw !== undefined) {
      if (t === 's') text = this.strings.get(parseInt(raw, 10));
      else if (t === 'str') text = decodeTwice(raw).normalize('NFC');
      else if (t === 'inlineStr') text = raw.normalize('NFC');
      else if (t === 'b') text = parseInt(raw, 10) !== 0 ? 'TRUE' : 'FALSE';
      else if (t === 'e') text = raw;
      else if (t === 'd') {
        const d = new Date(raw);
        text = Number.isNaN(d.getTime()) ? raw : formatDate(d);
      } else text = this.numberText(raw);
    } else if (this.style <= 0) {
      // No value and no style: exceljs does not even create the cell.
      this.lastCol = this.col;
      return;
    }
    this.cells[this.col - 1] = ownString(text);
    this.lastCol = this.col;
    if (this.col > this.maxCol) this.maxCol = this.col;
  }

  private endRow(): void {
    this.inRow = false;
    const state = this.state;
    if (this.rowNumber === 1 && state.headers === null) {
      const headers: string[] = [];
      for (let col = 0; col < this.maxCol; col++) headers[col] = (this.cells[col] ?? '').trim();
      while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
      state.headers = headers;
      return;
    }
    if (state.headers === null) state.headers = [];
    const width = Math.max(state.headers.length, this.maxCol);
    const cells = new Array<string>(width);
    let blank = true;
    for (let col = 0; col < width; col++) {
      const s = this.cells[col] ?? '';
      if (s !== '') blank = false;
      cells[col] = s;
    }
    if (blank) return;
    if (this.dataRows >= this.maxRows) throw spreadsheetErrors.tooManyRows(this.maxRows);
    this.dataRows++;
    this.rows.push({ rowNumber: this.rowNumber, cells });
    this.batchCells += width;
    if (this.rows.length >= BATCH_ROWS || this.batchCells >= BATCH_CELLS) this.paused = true;
  }
}

/** UTF-8 (or, rarely, UTF-16 with a BOM) text of a part, decoded across chunk boundaries. */
class PartDecoder {
  private decoder: TextDecoder | null = null;
  decode(chunk: Buffer): string {
    if (!this.decoder) {
      const encoding = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      this.decoder = new TextDecoder(encoding);
    }
    return this.decoder.decode(chunk, { stream: true });
  }
  end(): string {
    return this.decoder ? this.decoder.decode() : '';
  }
}

/** OPC part name of a relationship target, relative to the source part's folder. */
function resolvePart(folder: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : folder ? `${folder}/${target}` : target;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

async function* xlsxBatches(buffer: Buffer, limits: ReadLimits, state: ReaderState): AsyncGenerator<TableRow[]> {
  if (buffer.length === 0) throw spreadsheetErrors.empty();
  if (!isZip(buffer)) throw spreadsheetErrors.notXlsx();
  let zip: Map<string, ZipEntry>;
  try {
    zip = readZipDirectory(buffer);
  } catch (e) {
    if (e instanceof SpreadsheetError) throw e;
    throw spreadsheetErrors.corruptXlsx(e instanceof Error ? e.message : String(e));
  }
  const budget = budgetOf(limits);
  const part = (name: string) => zip.get(name.toLowerCase());

  const parse = async <H extends XmlHandler>(entry: ZipEntry, handler: H): Promise<H> => {
    budget.check(entry.uncompressedSize);
    const scanner = new XmlScanner(handler);
    const decoder = new PartDecoder();
    try {
      for await (const chunk of inflateEntry(buffer, entry, budget)) {
        state.bytesRead = budget.used;
        scanner.write(decoder.decode(chunk));
      }
    } finally {
      state.bytesRead = budget.used;
    }
    scanner.write(decoder.end());
    scanner.end();
    return handler;
  };

  // Package relationships → the workbook; its relationships → first sheet, shared strings, styles.
  let workbookPath = 'xl/workbook.xml';
  const rootRels = part('_rels/.rels');
  if (rootRels) {
    const doc = (await parse(rootRels, new RelsHandler())).rels.find((r) => r.type.endsWith('/officeDocument') && !r.external);
    if (doc) workbookPath = resolvePart('', doc.target);
  }
  const workbookEntry = part(workbookPath);
  if (!workbookEntry) throw spreadsheetErrors.notXlsx();
  const workbook = await parse(workbookEntry, new WorkbookHandler());
  if (workbook.sheets === 0) throw spreadsheetErrors.empty();
  const slash = workbookPath.lastIndexOf('/');
  const folder = slash === -1 ? '' : workbookPath.slice(0, slash);
  const relsEntry = part(`${folder ? `${folder}/` : ''}_rels/${workbookPath.slice(slash + 1)}.rels`);
  const rels = relsEntry ? (await parse(relsEntry, new RelsHandler())).rels.filter((r) => !r.external) : [];
  const related = (kind: string, fallback: string) => {
    const rel = rels.find((r) => r.type.endsWith(`/${kind}`));
    return part(rel ? resolvePart(folder, rel.target) : resolvePart(folder, fallback));
  };
  const sheetRel = rels.find((r) => r.id === workbook.firstSheetRelId);
  const sheetEntry = sheetRel ? part(resolvePart(folder, sheetRel.target)) : undefined;
  if (!sheetEntry) throw spreadsheetErrors.corruptXlsx('the first worksheet is missing');
  const stylesEntry = related('styles', 'styles.xml');
  const stringsEntry = related('sharedStrings', 'sharedStrings.xml');

  // What the ZIP declares already tells most oversized files: refuse them before inflating a byte.
  budget.check(sheetEntry.uncompressedSize + (stylesEntry?.uncompressedSize ?? 0) + (stringsEntry?.uncompressedSize ?? 0));
  const dateStyles = stylesEntry ? (await parse(stylesEntry, new StylesHandler())).dateStyles() : [];
  const strings = stringsEntry ? (await parse(stringsEntry, new SharedStringsHandler())).table : new StringTable();
  strings.seal();

  const sheet = new SheetHandler(strings, dateStyles, workbook.date1904, limits.maxRows ?? Infinity, state);
  const scanner = new XmlScanner(sheet);
  const decoder = new PartDecoder();
  budget.check(sheetEntry.uncompressedSize);
  try {
    for await (const chunk of inflateEntry(buffer, sheetEntry, budget)) {
      state.bytesRead = budget.used;
      scanner.write(decoder.decode(chunk));
      while (sheet.paused) {
        yield sheet.take();
        scanner.write('');
      }
    }
  } finally {
    state.bytesRead = budget.used;
  }
  scanner.write(decoder.end());
  while (sheet.paused) {
    yield sheet.take();
    scanner.write('');
  }
  scanner.end();
  if (state.headers === null) state.headers = [];
  const rest = sheet.take();
  if (rest.length > 0) yield rest;
}

/**
 * Opens the first worksheet of an .xlsx workbook for streaming (see `TableReader`): row 1 is the
 * header, values become strings (dates ISO yyyy-mm-dd, numbers without a trailing .0, rich text
 * flattened, formulas → cached result); row numbers are Excel's; blank rows are skipped. Merged
 * ranges keep their value in the top-left cell only (as Excel's "Save as CSV" does).
 *
 * Memory stays flat whatever the file: one part inflates at a time, in 16 KB chunks, and the
 * read stops at the first row beyond `maxRows` (TOO_MANY_ROWS) and at the first byte beyond
 * `maxUncompressedBytes` (SPREADSHEET_TOO_LARGE_UNCOMPRESSED; most such files are refused
 * before inflating anything, from the sizes their ZIP declares).
 */
export async function openXlsx(buffer: Buffer, opts: ReadXlsxOptions = {}): Promise<TableReader> {
  const state: ReaderState = { headers: null, bytesRead: 0 };
  return startReader('xlsx', xlsxBatches(buffer, opts, state), state);
}

/** The whole first worksheet in memory (see `openXlsx`; the same caps apply, while reading). */
export async function readXlsx(buffer: Buffer, opts: ReadXlsxOptions = {}): Promise<Table> {
  return drain(await openXlsx(buffer, opts));
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
