import { openCsv, parseCsv, Table } from './csv';
import { spreadsheetErrors } from './errors';
import { ReadLimits } from './limits';
import { TableReader } from './table-reader';
import { isZip, openXlsx, readXlsx } from './xlsx';

/** `maxRows` and `maxUncompressedBytes` (default 200 MB): see `ReadLimits`. */
export type ReadTableOptions = ReadLimits;

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // legacy .xls / .doc
const PDF_MAGIC = Buffer.from('%PDF');

/** Refuses what is neither XLSX nor CSV text; true when the buffer is a ZIP (XLSX). */
function sniff(buffer: Buffer, filenameOrMime: string): boolean {
  if (buffer.length === 0) throw spreadsheetErrors.empty();
  if (isZip(buffer)) return true;
  const hint = filenameOrMime.toLowerCase();
  const head = buffer.subarray(0, 4);
  if (head.equals(OLE_MAGIC) || head.equals(PDF_MAGIC) || hint.endsWith('.xls') || hint === 'application/vnd.ms-excel') {
    throw spreadsheetErrors.unsupported();
  }
  if (hint.endsWith('.xlsx') || hint.includes('spreadsheetml')) throw spreadsheetErrors.notXlsx();
  return false;
}

/**
 * Reads an uploaded table, CSV or XLSX, by its content (ZIP magic `PK\x03\x04` = XLSX;
 * anything else must be UTF-8 text). The file name or MIME type only sharpens the error for a
 * file that claims to be .xlsx but is not, and for legacy .xls. Every row ends up in memory:
 * for large files use `openTable`. The caps stop the read where they are met either way.
 */
export async function readTable(buffer: Buffer, filenameOrMime = '', opts: ReadTableOptions = {}): Promise<Table> {
  return sniff(buffer, filenameOrMime) ? readXlsx(buffer, opts) : parseCsv(buffer, opts);
}

/**
 * `readTable`, streaming: the header row at once, then batches of rows (see `TableReader`);
 * memory stays flat whatever the size of the file or of what it inflates to.
 */
export async function openTable(buffer: Buffer, filenameOrMime = '', opts: ReadTableOptions = {}): Promise<TableReader> {
  return sniff(buffer, filenameOrMime) ? openXlsx(buffer, opts) : openCsv(buffer, opts);
}
