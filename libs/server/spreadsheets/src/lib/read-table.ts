import { parseCsv, Table } from './csv';
import { spreadsheetErrors } from './errors';
import { isZip, readXlsx } from './xlsx';

export interface ReadTableOptions {
  maxRows?: number;
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // legacy .xls / .doc
const PDF_MAGIC = Buffer.from('%PDF');

/**
 * Reads an uploaded table, CSV or XLSX, by its content (ZIP magic `PK\x03\x04` = XLSX;
 * anything else must be UTF-8 text). The file name or MIME type only sharpens the error for a
 * file that claims to be .xlsx but is not, and for legacy .xls.
 */
export async function readTable(buffer: Buffer, filenameOrMime = '', opts: ReadTableOptions = {}): Promise<Table> {
  if (buffer.length === 0) throw spreadsheetErrors.empty();
  if (isZip(buffer)) return readXlsx(buffer, opts);
  const hint = filenameOrMime.toLowerCase();
  const head = buffer.subarray(0, 4);
  if (head.equals(OLE_MAGIC) || head.equals(PDF_MAGIC) || hint.endsWith('.xls') || hint === 'application/vnd.ms-excel') {
    throw spreadsheetErrors.unsupported();
  }
  if (hint.endsWith('.xlsx') || hint.includes('spreadsheetml')) throw spreadsheetErrors.notXlsx();
  return parseCsv(buffer, opts);
}
