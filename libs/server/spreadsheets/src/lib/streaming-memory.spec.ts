/**
 * Memory bounds of the streaming readers. Only the streaming API runs in this file: V8 learns
 * from the buffered readers (which keep every row) to allocate rows straight into the old
 * generation, where dead ones then wait for a full GC, and RSS would measure that instead.
 */
import { buildXlsxBomb } from '../testing/xlsx-fixtures';
import { openCsv } from './csv';
import { SpreadsheetError } from './errors';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES } from './limits';
import { openTable } from './read-table';
import { TableReader } from './table-reader';
import { openXlsx } from './xlsx';
import { readZipDirectory } from './zip';

const MB = 1024 * 1024;
/** The bound on RSS growth while a reader meets a bomb (the old whole-workbook loader took 1.8 GB). */
const FLAT_MB = 150;
/** The forged bomb streams ~300,000 rows before its cap: garbage, collected late under load. */
const FORGED_MB = 700;

interface Outcome<T> {
  value?: T;
  error?: SpreadsheetError;
  /** Peak RSS growth while it ran (sampled every 5 ms), in MB. A memory bound, not a timing. */
  growthMb: number;
  ms: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 5);
  const started = Date.now();
  const out: Outcome<T> = { growthMb: 0, ms: 0 };
  try {
    out.value = await fn();
  } catch (e) {
    if (!(e instanceof SpreadsheetError)) throw e;
    out.error = e;
  } finally {
    clearInterval(timer);
    sample();
  }
  out.growthMb = (peak - before) / MB;
  out.ms = Date.now() - started;
  return out;
}

/** Reads every batch, keeping nothing; the rows delivered before a refusal are counted in `seen`. */
async function consume(reader: TableReader, seen = { rows: 0 }): Promise<number> {
  for await (const batch of reader) seen.rows += batch.length;
  return seen.rows;
}

describe('an XLSX zip bomb: 250 MB of sheet XML (~380,000 rows) in ~13 MB', () => {
  let honest: Buffer; // declares its true size
  let forged: Buffer; // declares 4 KB for the 250 MB sheet
  let padding: Buffer; // the header row, then 250 MB of spaces; declares 4 KB

  beforeAll(async () => {
    honest = await buildXlsxBomb({ bytes: 250 * MB, fill: 'rows' });
    forged = await buildXlsxBomb({ bytes: 250 * MB, fill: 'rows', declaredSheetSize: 4096 });
    padding = await buildXlsxBomb({ bytes: 250 * MB, fill: 'whitespace', declaredSheetSize: 4096 });
  }, 180_000);

  it('is a few MB that unpack to 250 MB', () => {
    expect(honest.length).toBeLessThan(20 * MB);
    expect(readZipDirectory(honest).get('xl/worksheets/sheet1.xml')?.uncompressedSize).toBeGreaterThan(250 * MB);
    expect(DEFAULT_MAX_UNCOMPRESSED_BYTES).toBe(200 * MB);
  });

  it('is refused from the sizes its ZIP declares, before anything is inflated', async () => {
    const r = await measure(() => openTable(honest, 'bomb.xlsx', { maxRows: 500_000 }));
    console.log(`honest bomb: refused in ${r.ms} ms, RSS +${r.growthMb.toFixed(0)} MB`);
    expect(r.error?.code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect(r.error?.messageEn).toContain('200 MB');
    expect(r.growthMb).toBeLessThan(FLAT_MB);
  });

  it('is refused while inflating when its ZIP lies about the size: at the cap, memory flat', async () => {
    const reader = await openTable(forged, 'bomb.xlsx', { maxRows: 500_000 });
    const seen = { rows: 0 };
    const r = await measure(() => consume(reader, seen));
    console.log(`forged bomb: ${seen.rows} rows streamed, refused at ${(reader.bytesRead / MB).toFixed(1)} MB inflated in ${r.ms} ms, RSS +${r.growthMb.toFixed(0)} MB`);
    expect(r.error?.code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect(reader.bytesRead).toBeGreaterThan(200 * MB);
    expect(reader.bytesRead).toBeLessThanOrEqual(200 * MB + 16 * 1024);
    expect(seen.rows).toBeGreaterThan(250_000); // the rows before the cap were delivered, batch by batch
    // 300,000 rows streamed through leave garbage the collector takes when it likes: +0–110 MB alone, up to +332 MB
    // with the other unit suites in parallel. A reader that held the sheet would take over 1 GB (it was 2.6 GB).
    expect(r.growthMb).toBeLessThan(FORGED_MB);
  }, 60_000);

  it('keeps no chunk of XML alive through the cells a caller keeps (one per row, as a duplicate check does)', async () => {
    const reader = await openTable(forged, 'bomb.xlsx', { maxRows: 500_000 });
    const emails = new Set<string>();
    const r = await measure(async () => {
      for await (const batch of reader) for (const row of batch) emails.add(row.cells[2]);
    });
    console.log(`forged bomb, keeping ${emails.size} e-mail cells: RSS +${r.growthMb.toFixed(0)} MB`);
    expect(r.error?.code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect(emails.size).toBeGreaterThan(250_000);
    expect(r.growthMb).toBeLessThan(FLAT_MB); // ~25 characters × 300,000 rows, not the 200 MB of XML they came from
  }, 60_000);

  it('drops whitespace padding as it streams (nothing held) and refuses it at the cap', async () => {
    const r = await measure(async () => consume(await openXlsx(padding)));
    console.log(`whitespace bomb: refused in ${r.ms} ms, RSS +${r.growthMb.toFixed(0)} MB`);
    expect(r.error?.code).toBe('SPREADSHEET_TOO_LARGE_UNCOMPRESSED');
    expect(r.growthMb).toBeLessThan(FLAT_MB);
  }, 60_000);

});

describe('CSV streaming', () => {
  it('reads 500,000 rows × 7 columns (~70 MB) with flat memory, in small batches', async () => {
    // Built 1,000 lines at a time, so that building it leaves little garbage behind to skew RSS.
    const parts = [Buffer.from('ma_can_bo,ho_ten,email,don_vi,chuc_vu,ngay_sinh,ghi_chu')];
    for (let i = 0; i < 500_000; i += 1000) {
      let part = '';
      for (let j = i; j < i + 1000; j++) part += `\r\nCB${j},Nguyễn Văn An ${j},an${j}@tayninh.gov.vn,"UBND xã Tân Biên, huyện Tân Biên",Công chức,1985-03-0${(j % 9) + 1},"ghi chú ""${j}"""`;
      parts.push(Buffer.from(part, 'utf8'));
    }
    const csv = Buffer.concat(parts);
    parts.length = 0;
    const reader = await openCsv(csv);
    let largest = 0;
    let last: string[] = [];
    const r = await measure(async () => {
      let n = 0;
      for await (const batch of reader) {
        n += batch.length;
        largest = Math.max(largest, batch.length);
        last = batch[batch.length - 1].cells;
      }
      return n;
    });
    console.log(`openCsv: ${r.value} rows of ${(csv.length / MB).toFixed(0)} MB in ${r.ms} ms, RSS +${r.growthMb.toFixed(0)} MB`);
    expect(r.value).toBe(500_000);
    expect(reader.delimiter).toBe(',');
    expect(last).toEqual(['CB499999', 'Nguyễn Văn An 499999', 'an499999@tayninh.gov.vn', 'UBND xã Tân Biên, huyện Tân Biên', 'Công chức', '1985-03-05', 'ghi chú "499999"']);
    expect(largest).toBeLessThanOrEqual(100);
    expect(r.growthMb).toBeLessThan(FLAT_MB);
  }, 60_000);
});
