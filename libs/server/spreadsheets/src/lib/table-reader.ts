import type { CsvDelimiter, Table, TableRow } from './csv';
import { spreadsheetErrors } from './errors';

/**
 * A table read as it streams: the header row at once, then the data rows in file order, in
 * batches (at most ~1,000 rows each). Every cap (rows, uncompressed bytes) and every content
 * error is thrown from the iteration at the point it is met, so nothing after it is read.
 * Iterate once; `close()` (or leaving the loop) stops reading and frees the inflater.
 */
export interface TableReader extends AsyncIterable<TableRow[]> {
  readonly format: 'csv' | 'xlsx';
  /** Trimmed header names (row 1). */
  readonly headers: string[];
  /** CSV only: the delimiter used. */
  readonly delimiter?: CsvDelimiter;
  /** Uncompressed bytes read so far (XLSX: inflated XML of every part read; CSV: file bytes). */
  readonly bytesRead: number;
  close(): Promise<void>;
}

/**
 * A copy of `s` that holds only its own characters. A substring of 13 characters or more is, in
 * V8, a view into its parent: a cell cut from a 16 KB chunk of XML would keep the whole chunk
 * alive for as long as the cell (e.g. in a caller's duplicate check over 500,000 rows).
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** What a reader's generator has learnt so far. */
export interface ReaderState {
  headers: string[] | null;
  bytesRead: number;
  delimiter?: CsvDelimiter;
}

/**
 * Wraps a batch generator: reads up to the first batch (so the header row is known, and a
 * workbook without any row is refused as EMPTY_FILE), then hands out the rest lazily.
 */
export async function startReader(
  format: 'csv' | 'xlsx',
  batches: AsyncGenerator<TableRow[]>,
  state: ReaderState,
): Promise<TableReader> {
  const first = await batches.next();
  const headers = state.headers ?? [];
  if (format === 'xlsx' && headers.length === 0 && first.done) throw spreadsheetErrors.empty();
  let iterated = false;
  return {
    format,
    headers,
    delimiter: state.delimiter,
    get bytesRead() {
      return state.bytesRead;
    },
    async *[Symbol.asyncIterator]() {
      if (iterated) throw new Error('a TableReader can be iterated only once');
      iterated = true;
      if (!first.done) yield first.value;
      yield* batches;
    },
    close: async () => {
      await batches.return(undefined);
    },
  };
}

/** Reads every row into memory (the buffered API); the caps still stop the read where they are met. */
export async function drain(reader: TableReader): Promise<Table> {
  const rows: TableRow[] = [];
  for await (const batch of reader) for (const row of batch) rows.push(row);
  return { headers: reader.headers, rows };
}
