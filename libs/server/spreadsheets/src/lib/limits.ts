import { spreadsheetErrors } from './errors';

/**
 * How many uncompressed bytes a file may hold unless the caller says otherwise: for XLSX the
 * XML parts actually read (workbook, styles, shared strings, first sheet) once inflated, for CSV
 * the file itself. A 13 MB workbook can unpack to 250 MB of sheet XML; 200 MB is well above
 * what a 500,000-row enrolment list needs and far below what would strain a worker.
 */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

/** Caps every reader enforces while it reads (never after loading the whole file). */
export interface ReadLimits {
  /** Refuse files with more data rows than this (TOO_MANY_ROWS), at the first row beyond it. */
  maxRows?: number;
  /**
   * Refuse files that hold more uncompressed bytes than this (SPREADSHEET_TOO_LARGE_UNCOMPRESSED):
   * up front from the sizes the ZIP declares, and again on the bytes actually inflated, as they
   * stream (declared sizes can lie). Default DEFAULT_MAX_UNCOMPRESSED_BYTES.
   */
  maxUncompressedBytes?: number;
}

/** Counts uncompressed bytes against the cap. */
export class ByteBudget {
  used = 0;

  constructor(readonly max: number) {}

  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) throw spreadsheetErrors.tooLargeUncompressed(this.max);
  }

  /** Refuses at once when `bytes` more would not fit (declared sizes: nothing inflated yet). */
  check(bytes: number): void {
    if (this.used + bytes > this.max) throw spreadsheetErrors.tooLargeUncompressed(this.max);
  }
}

export function budgetOf(limits: ReadLimits): ByteBudget {
  return new ByteBudget(limits.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES);
}
