/**
 * The readers of the previous version, kept verbatim for differential tests: the streaming
 * readers must give exactly what these gave (exceljs' whole-workbook loader for XLSX, the
 * one-pass parser over the whole text for CSV). Test code only.
 */
import { isUtf8 } from 'node:buffer';
import { Workbook, Worksheet } from 'exceljs';
import type { CsvDelimiter, CsvTable, Table, TableRow } from '../lib/csv';
import { spreadsheetErrors } from '../lib/errors';
import { cellToString, isZip } from '../lib/xlsx';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/** Decodes UTF-8 (BOM dropped), refusing binary content and invalid byte sequences. */
function decodeText(input: Buffer | string): string {
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.includes('\u0000')) throw spreadsheetErrors.binary();
  } else {
    if (input.includes(0)) throw spreadsheetErrors.binary();
    if (!isUtf8(input)) throw spreadsheetErrors.invalidUtf8();
    const hasBom = input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
    text = input.toString('utf8', hasBom ? 3 : 0);
  }
  if (text.trim() === '') throw spreadsheetErrors.empty();
  return text;
}

const COMBINING_MARK = /[\u0300-\u036f]/;

/** NFC, skipping the (costly) normalisation of text without combining marks, i.e. already composed. */
function toNfc(text: string): string {
  return COMBINING_MARK.test(text) ? text.normalize('NFC') : text;
}

/** Comma or semicolon, whichever occurs more often outside quotes on the first line (comma on a tie). */
function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === COMMA) commas++;
    else if (c === SEMICOLON) semicolons++;
    else if (c === LF || c === CR) {
      if (commas + semicolons > 0) break; // the first line with content decides
    }
  }
  return semicolons > commas ? ';' : ',';
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parses CSV (RFC 4180): quoted fields may hold delimiters, doubled quotes and line breaks;
 * records end with CRLF, LF or CR; UTF-8 with or without BOM; delimiter detected from the
 * header line. Text is normalised to NFC (files saved on macOS may be NFD).
 *
 * Row numbers follow the spreadsheet convention: every record is one row as Excel shows it
 * when it opens the file — the header is row 1, a quoted field spanning several lines is still
 * one row, and blank lines count as (empty) rows but are not returned. Rows whose cells are
 * all empty are skipped too. Short rows are padded with '' to the header's width; extra cells
 * are kept. Cells are not trimmed (header names are).
 *
 * Errors (`SpreadsheetError`): EMPTY_FILE, BINARY_CONTENT (NUL bytes), INVALID_UTF8,
 * UNTERMINATED_QUOTE (with the text line the quote opened on), TOO_MANY_ROWS.
 */
export function referenceParseCsv(input: Buffer | string, opts: { delimiter?: CsvDelimiter; maxRows?: number } = {}): CsvTable {
  const text = toNfc(decodeText(input));
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const delim = delimiter.charCodeAt(0);
  const maxRows = opts.maxRows ?? Infinity;
  const len = text.length;

  let headers: string[] | null = null;
  const rows: TableRow[] = [];
  let record: string[] = [];
  let recordIsBlank = true;
  let rowNumber = 1; // spreadsheet row of the record being read
  let line = 1; // text line, for error messages
  let i = 0;

  const endRecord = () => {
    if (!recordIsBlank) {
      if (headers === null) {
        headers = record.map((h) => h.trim());
      } else {
        if (rows.length >= maxRows) throw spreadsheetErrors.tooManyRows(maxRows);
        while (record.length < headers.length) record.push('');
        rows.push({ rowNumber, cells: record });
      }
    }
    record = [];
    recordIsBlank = true;
    rowNumber++;
  };

  while (i < len) {
    let value: string;
    let c = text.charCodeAt(i);
    if (c === QUOTE) {
      const openLine = line;
      let start = i + 1;
      value = '';
      for (;;) {
        const q = text.indexOf('"', start);
        if (q === -1) throw spreadsheetErrors.unterminatedQuote(openLine);
        line += countLineBreaks(text, start, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          start = q + 2;
        } else {
          value += text.slice(start, q);
          i = q + 1;
          break;
        }
      }
      // Lenient like Excel: characters after the closing quote belong to the same field.
      const after = i;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      if (i > after) value += text.slice(after, i);
      if (value.includes('\r')) value = value.replace(/\r\n?/g, '\n');
      recordIsBlank = false;
    } else {
      const start = i;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      value = text.slice(start, i);
      if (value !== '') recordIsBlank = false;
    }
    record.push(value);

    if (i >= len) break;
    c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i >= len) record.push('');
      continue;
    }
    // End of record: CRLF, LF or CR.
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    endRecord();
  }
  if (record.length > 0) endRecord();

  return { headers: headers ?? [], rows, delimiter };
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
export async function referenceReadXlsx(buffer: Buffer, opts: { maxRows?: number } = {}): Promise<Table> {
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

