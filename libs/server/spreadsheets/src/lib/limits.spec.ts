import { referenceReadXlsx } from '../testing/reference-readers';
import { buildXlsxBomb, sheetStream, workbookParts, zipParts } from '../testing/xlsx-fixtures';
import { openCsv, parseCsv } from './csv';
import { SpreadsheetError } from './errors';
import { openTable, readTable } from './read-table';
import { TableReader } from './table-reader';
import { openXlsx, readXlsx } from './xlsx';

const MB = 1024 * 1024;

/** Reads every batch, keeping nothing; the rows delivered before a refusal are counted in `seen`. */
async function consume(reader: TableReader, seen = { rows: 0 }): Promise<number> {
  for await (const batch of reader) seen.rows += batch.length;
  return seen.rows;
}

async function errorOf(promise: Promise<unknown>): Promise<SpreadsheetError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SpreadsheetError) return e;
    throw e;
  }
  throw new Error('expected a SpreadsheetError');
}

describe('the caps on the same 250 MB bomb, buffered readers included', () => {
  let honest: Buffer;
  let forged: Buffer;

  beforeAll(async () => {
    honest = await buildXlsxBomb({ bytes: 250 * MB, fill: 'rows' });
    forged = await buildXlsxBomb({ bytes: 250 * MB, fill: 'rows', declaredSheetSize: 4096 });
  }, 180_000);

  it('is refused by the buffered readers too, with the caps configurable', async () => {
    expect((await errorOf(readXlsx(honest))).code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect((await errorOf(readTable(honest, 'x.csv'))).code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    // As the reorganisation plans read (maxRows 5001): refused at row 5002, long before the size cap.
    expect((await errorOf(readTable(forged, 'plan.xlsx', { maxRows: 5001 }))).code).toBe('TOO_MANY_ROWS');
    expect((await errorOf(readXlsx(forged, { maxUncompressedBytes: 20 * MB }))).messageEn).toContain('exceeds 20 MB');
  }, 60_000);
});

describe('the uncompressed-size cap is configurable', () => {
  it('refuses above it and reads up to it (XLSX and CSV)', async () => {
    const xlsx = await zipParts(workbookParts(sheetStream({ bytes: 5 * MB, fill: 'rows' })));
    expect((await errorOf(readXlsx(xlsx, { maxUncompressedBytes: 4 * MB }))).code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect((await readXlsx(xlsx, { maxUncompressedBytes: 6 * MB })).rows.length).toBeGreaterThan(7_000);

    const csv = Buffer.from(`a,b\n${'1,2\n'.repeat(500_000)}`);
    const e = await errorOf(openCsv(csv, { maxUncompressedBytes: 1 * MB }));
    expect(e.code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect(() => parseCsv(csv, { maxUncompressedBytes: 1 * MB })).toThrow(SpreadsheetError);
    expect(parseCsv(csv, { maxUncompressedBytes: 3 * MB }).rows).toHaveLength(500_000);
  }, 60_000);
});

describe('the row cap stops the read at the first row beyond it', () => {
  it('XLSX: the rest of the sheet is not read, not even a broken tail', async () => {
    const zip = await zipParts(workbookParts(sheetStream({ bytes: 10 * MB, fill: 'rows', brokenTail: true })));
    // The whole-workbook loader met the broken tail before it could count rows.
    expect((await errorOf(referenceReadXlsx(zip, { maxRows: 1000 }))).code).toBe('CORRUPT_XLSX');
    expect((await errorOf(readXlsx(zip))).code).toBe('CORRUPT_XLSX');
    expect((await errorOf(readXlsx(zip, { maxRows: 1000 }))).code).toBe('TOO_MANY_ROWS');

    const reader = await openXlsx(zip, { maxRows: 1000 });
    const seen = { rows: 0 };
    const e = await errorOf(consume(reader, seen));
    expect(e.code).toBe('TOO_MANY_ROWS');
    expect(e.messageEn).toBe('The file has more than 1000 data rows.');
    expect(seen.rows).toBe(1000);
    expect(reader.bytesRead).toBeLessThan(1 * MB); // of the 10 MB sheet
  }, 60_000);

  it('CSV: only the first window of text is decoded, the rest never parsed', async () => {
    const lines = ['Mã cán bộ,Họ và tên,Mã đơn vị'];
    for (let i = 0; i < 500_000; i++) lines.push(`CB${i},Nguyễn Văn An ${i},X-01`);
    const csv = Buffer.from(`${lines.join('\n')}\n"an unterminated quote at the very end`);
    expect(() => parseCsv(csv)).toThrow(expect.objectContaining({ code: 'UNTERMINATED_QUOTE' }));
    expect(() => parseCsv(csv, { maxRows: 1000 })).toThrow(expect.objectContaining({ code: 'TOO_MANY_ROWS' }));

    const reader = await openTable(csv, 'list.csv', { maxRows: 1000 });
    const seen = { rows: 0 };
    expect((await errorOf(consume(reader, seen))).code).toBe('TOO_MANY_ROWS');
    expect(seen.rows).toBe(1000);
    expect(reader.bytesRead).toBeLessThanOrEqual(64 * 1024); // of ~17 MB
  }, 60_000);
});

