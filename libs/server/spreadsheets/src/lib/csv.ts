import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { spreadsheetErrors } from './errors';
import { budgetOf, ReadLimits } from './limits';
import { neutraliseFormula } from './sanitise';
import { ownString, ReaderState, startReader, TableReader } from './table-reader';

/** One data row. `rowNumber` is the row as Excel shows it (the header is row 1). */
export interface TableRow {
  rowNumber: number;
  cells: string[];
}

/** A table read from CSV or XLSX: trimmed header names, and the non-blank data rows. */
export interface Table {
  headers: string[];
  rows: TableRow[];
}

export type CsvDelimiter = ',' | ';';

export interface CsvTable extends Table {
  delimiter: CsvDelimiter;
}

export interface ParseCsvOptions extends ReadLimits {
  /** Force a delimiter instead of detecting it from the header line. */
  delimiter?: CsvDelimiter;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/**
 * Text decoded and parsed at a time: 16 KB of the file (bytes of a Buffer, characters of a
 * string), so that each window's strings stay in V8's young generation and die there.
 */
const WINDOW = 16 * 1024;
/** Rows handed out per batch (small batches die young too). */
const BATCH_ROWS = 100;

function hasBom(input: Buffer): boolean {
  return input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
}

/** Decodes UTF-8 (BOM dropped), refusing binary content and invalid byte sequences. */
export function decodeText(input: Buffer | string): string {
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.includes('\u0000')) throw spreadsheetErrors.binary();
  } else {
    if (input.includes(0)) throw spreadsheetErrors.binary();
    if (!isUtf8(input)) throw spreadsheetErrors.invalidUtf8();
    text = input.toString('utf8', hasBom(input) ? 3 : 0);
  }
  if (text.trim() === '') throw spreadsheetErrors.empty();
  return text;
}

const COMBINING_MARK = /[\u0300-\u036f]/;
const NON_SPACE = /\S/;

/** NFC, skipping the (costly) normalisation of text without combining marks, i.e. already composed. */
function toNfc(text: string): string {
  return COMBINING_MARK.test(text) ? text.normalize('NFC') : text;
}

/**
 * Comma or semicolon, whichever occurs more often outside quotes on the first line (comma on a
 * tie); null while `text` ends before that line does and more text is to come.
 */
function detectDelimiter(text: string, final: boolean): CsvDelimiter | null {
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
      if (commas + semicolons > 0) return semicolons > commas ? ';' : ','; // the first line with content decides
    }
  }
  if (!final) return null;
  return semicolons > commas ? ';' : ',';
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The checks that need the whole input but no decoding (all native scans, no copy): size, NUL
 * bytes, UTF-8 validity — in that order, before any row is read.
 */
function precheck(input: Buffer | string, opts: ParseCsvOptions): void {
  const budget = budgetOf(opts);
  if (typeof input === 'string') {
    budget.check(Buffer.byteLength(input, 'utf8'));
    if (input.includes('\u0000')) throw spreadsheetErrors.binary();
  } else {
    budget.check(input.length);
    if (input.includes(0)) throw spreadsheetErrors.binary();
    if (!isUtf8(input)) throw spreadsheetErrors.invalidUtf8();
  }
}

/** The input's text, BOM dropped, one window at a time. */
function* textWindows(input: Buffer | string, state: ReaderState): Generator<string> {
  if (typeof input === 'string') {
    let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (i < input.length) {
      let end = Math.min(i + WINDOW, input.length);
      const last = input.charCodeAt(end - 1);
      if (end < input.length && last >= 0xd800 && last <= 0xdbff) end++; // never split a surrogate pair
      state.bytesRead = end;
      yield input.slice(i, end);
      i = end;
    }
    return;
  }
  const decoder = new StringDecoder('utf8');
  for (let i = hasBom(input) ? 3 : 0; i < input.length; i += WINDOW) {
    const end = Math.min(i + WINDOW, input.length);
    state.bytesRead = end;
    yield decoder.write(input.subarray(i, end));
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * The CSV parser, incremental: decodes and parses one window of text at a time and yields the
 * data rows in batches; a record cut by the end of a window is parsed again with the next one.
 * `state` gets the delimiter and the header row as soon as they are known.
 */
function* csvBatches(input: Buffer | string, opts: ParseCsvOptions, state: ReaderState): Generator<TableRow[]> {
  precheck(input, opts);
  const maxRows = opts.maxRows ?? Infinity;
  let delim = -1;
  let seenContent = false;
  let headers: string[] | null = null;
  let batch: TableRow[] = [];
  let dataRows = 0;
  let rowNumber = 1; // spreadsheet row of the record being read
  let line = 1; // text line, for error messages

  let text = ''; // text not parsed yet: the cut record carried over, then the new window
  let len = 0;
  let i = 0;
  let final = false;
  let nfc = false;

  const endRecord = (record: string[], isBlank: boolean) => {
    if (!isBlank) {
      if (headers === null) {
        headers = record.map((h) => h.trim());
        state.headers = headers;
      } else {
        if (dataRows >= maxRows) throw spreadsheetErrors.tooManyRows(maxRows);
        dataRows++;
        while (record.length < headers.length) record.push('');
        batch.push({ rowNumber, cells: record });
      }
    }
    rowNumber++;
  };

  let recordStart = 0;
  let recordLine = 1;
  const cut = () => {
    i = recordStart;
    line = recordLine;
    return false;
  };
  /**
   * Parses one record from `i`. Quoted fields may hold delimiters, doubled quotes and line
   * breaks; after the closing quote, characters up to the delimiter belong to the same field
   * (lenient like Excel). Returns false, with `i` and `line` unchanged, when the record runs to
   * the end of the text and more text is to come.
   */
  const parseRecord = (): boolean => {
    recordStart = i;
    recordLine = line;
    const record: string[] = [];
    let isBlank = true;
    for (;;) {
      let value: string;
      let c = text.charCodeAt(i);
      if (c === QUOTE) {
        const openLine = line;
        let from = i + 1;
        value = '';
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            if (!final) return cut();
            throw spreadsheetErrors.unterminatedQuote(openLine);
          }
          if (q + 1 >= len && !final) return cut(); // a doubled quote may follow
          line += countLineBreaks(text, from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
          } else {
            value += text.slice(from, q);
            i = q + 1;
            break;
          }
        }
        const after = i;
        while (i < len) {
          c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i >= len && !final) return cut();
        if (i > after) value += text.slice(after, i);
        if (value.includes('\r')) value = value.replace(/\r\n?/g, '\n');
        isBlank = false;
      } else {
        const from = i;
        while (i < len) {
          c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i >= len && !final) return cut();
        value = text.slice(from, i);
        if (value !== '') isBlank = false;
      }
      record.push(ownString(nfc ? toNfc(value) : value));

      if (i >= len) break; // the last record, without a line break
      c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        if (i >= len) {
          if (!final) return cut();
          record.push('');
          break;
        }
        continue;
      }
      // End of record: CRLF, LF or CR.
      if (c === CR && i + 1 >= len && !final) return cut();
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    endRecord(record, isBlank);
    return true;
  };

  const windows = textWindows(input, state);
  for (;;) {
    const next = windows.next();
    if (next.done) final = true;
    else {
      text = text.length > 0 ? text + next.value : next.value;
      if (!seenContent && NON_SPACE.test(next.value)) seenContent = true;
    }
    if (!seenContent) {
      if (final) throw spreadsheetErrors.empty();
      continue;
    }
    if (delim < 0) {
      const d = opts.delimiter ?? detectDelimiter(text, final);
      if (d === null) continue;
      delim = d.charCodeAt(0);
      state.delimiter = d;
    }
    len = text.length;
    i = 0;
    // Text is normalised to NFC field by field (the same as normalising the whole text: the
    // delimiters, quotes and line breaks never compose with a following mark).
    nfc = COMBINING_MARK.test(text);
    while (i < len) {
      if (!parseRecord()) break;
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    text = i < len ? text.slice(i) : '';
    if (final) break;
  }
  if (batch.length > 0) yield batch;
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
 * Errors (`SpreadsheetError`): SPREADSHEET_TOO_LARGE_UNCOMPRESSED (more bytes than
 * `maxUncompressedBytes`, default 200 MB), BINARY_CONTENT (NUL bytes), INVALID_UTF8, EMPTY_FILE,
 * UNTERMINATED_QUOTE (with the text line the quote opened on), TOO_MANY_ROWS (at the first row
 * beyond `maxRows`: the rest is not parsed).
 */
export function parseCsv(input: Buffer | string, opts: ParseCsvOptions = {}): CsvTable {
  const state: ReaderState = { headers: null, bytesRead: 0 };
  const rows: TableRow[] = [];
  for (const batch of csvBatches(input, opts, state)) for (const row of batch) rows.push(row);
  return { headers: state.headers ?? [], rows, delimiter: state.delimiter ?? ',' };
}

/**
 * The same parser as `parseCsv`, streaming (see `TableReader`): a window of text and a batch of
 * rows at a time, yielding to the event loop every 20 ms.
 */
export async function openCsv(input: Buffer | string, opts: ParseCsvOptions = {}): Promise<TableReader> {
  const state: ReaderState = { headers: null, bytesRead: 0 };
  async function* batches(): AsyncGenerator<TableRow[]> {
    let since = Date.now();
    for (const batch of csvBatches(input, opts, state)) {
      yield batch;
      // Parsing is synchronous: let timers (e.g. BullMQ's lock renewal) and I/O run every 20 ms.
      if (Date.now() - since >= 20) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        since = Date.now();
      }
    }
  }
  return startReader('csv', batches(), state);
}

export type CellValue = string | number | boolean | Date | null | undefined;

export interface ToCsvOptions {
  /** Prefix a UTF-8 byte order mark so Excel reads Vietnamese correctly. Default true. */
  bom?: boolean;
  delimiter?: CsvDelimiter;
}

function formatCell(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return neutraliseFormula(value.normalize('NFC'));
  // Numbers and booleans are data, not text a spreadsheet could take for a formula (-2 stays -2).
  return String(value);
}

/**
 * Writes CSV with CRLF line ends, quoting fields that contain the delimiter, a quote or a line
 * break. String cells that a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR) are prefixed with `'` (OWASP CSV injection guidance).
 */
export function toCsv(headers: readonly string[], rows: ReadonlyArray<readonly CellValue[]>, opts: ToCsvOptions = {}): string {
  const delimiter = opts.delimiter ?? ',';
  const needsQuote = delimiter === ',' ? /[",\r\n]/ : /[";\r\n]/;
  const field = (value: CellValue) => {
    const s = formatCell(value);
    return needsQuote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines: string[] = [headers.map(field).join(delimiter)];
  for (const row of rows) lines.push(row.map(field).join(delimiter));
  return (opts.bom === false ? '' : '\uFEFF') + lines.join('\r\n') + '\r\n';
}
