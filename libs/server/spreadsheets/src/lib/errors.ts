export type SpreadsheetErrorCode =
  | 'EMPTY_FILE'
  | 'BINARY_CONTENT'
  | 'INVALID_UTF8'
  | 'UNTERMINATED_QUOTE'
  | 'TOO_MANY_ROWS'
  | 'SPREADSHEET_TOO_LARGE_UNCOMPRESSED'
  | 'NOT_XLSX'
  | 'CORRUPT_XLSX'
  | 'UNSUPPORTED_FORMAT';

/**
 * A file that cannot be read as a table. `message` is Vietnamese (the default UI language),
 * `messageEn` English; `line` is the 1-based line of the text file when it is known.
 */
export class SpreadsheetError extends Error {
  override readonly name = 'SpreadsheetError';
  readonly messageVi: string;

  constructor(
    readonly code: SpreadsheetErrorCode,
    messageVi: string,
    readonly messageEn: string,
    readonly line?: number,
  ) {
    super(messageVi);
    this.messageVi = messageVi;
  }
}

export const spreadsheetErrors = {
  empty: () => new SpreadsheetError('EMPTY_FILE', 'Tệp rỗng, không có dữ liệu.', 'The file is empty.'),
  binary: () =>
    new SpreadsheetError(
      'BINARY_CONTENT',
      'Tệp không phải văn bản CSV (có byte NUL): hãy lưu lại dưới dạng CSV UTF-8 hoặc Excel (.xlsx).',
      'The file is not CSV text (it contains NUL bytes): save it as CSV UTF-8 or Excel (.xlsx).',
    ),
  invalidUtf8: () =>
    new SpreadsheetError(
      'INVALID_UTF8',
      'Tệp CSV không dùng bảng mã UTF-8: trong Excel hãy chọn "Lưu dưới dạng" → "CSV UTF-8".',
      'The CSV file is not UTF-8 encoded: in Excel use "Save As" → "CSV UTF-8".',
    ),
  unterminatedQuote: (line: number) =>
    new SpreadsheetError(
      'UNTERMINATED_QUOTE',
      `Dấu ngoặc kép mở ở dòng ${line} không được đóng.`,
      `The quotation mark opened on line ${line} is never closed.`,
      line,
    ),
  tooManyRows: (max: number) =>
    new SpreadsheetError('TOO_MANY_ROWS', `Tệp có quá ${max} dòng dữ liệu.`, `The file has more than ${max} data rows.`),
  tooLargeUncompressed: (maxBytes: number) => {
    const mb = Math.round(maxBytes / (1024 * 1024));
    return new SpreadsheetError(
      'SPREADSHEET_TOO_LARGE_UNCOMPRESSED',
      `Tệp quá lớn khi giải nén: dữ liệu của trang tính vượt quá ${mb} MB. Hãy xoá các dòng, cột và định dạng thừa (hoặc lưu lại dưới dạng CSV UTF-8), hoặc chia danh sách thành nhiều tệp nhỏ hơn.`,
      `The file is too large once uncompressed: the sheet's data exceeds ${mb} MB. Delete unused rows, columns and formatting (or save it as CSV UTF-8), or split the list into smaller files.`,
    );
  },
  notXlsx: () =>
    new SpreadsheetError('NOT_XLSX', 'Tệp không phải tệp Excel .xlsx.', 'The file is not an Excel .xlsx workbook.'),
  corruptXlsx: (detail: string) =>
    new SpreadsheetError('CORRUPT_XLSX', 'Tệp Excel bị hỏng hoặc không đọc được.', `The Excel file is corrupt or unreadable (${detail}).`),
  unsupported: () =>
    new SpreadsheetError(
      'UNSUPPORTED_FORMAT',
      'Định dạng tệp không được hỗ trợ: chỉ nhận CSV (UTF-8) hoặc Excel .xlsx. Tệp .xls cũ hãy lưu lại thành .xlsx.',
      'Unsupported file format: only CSV (UTF-8) and Excel .xlsx are accepted. Save old .xls files as .xlsx.',
    ),
};
