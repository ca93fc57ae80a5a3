import { Workbook } from 'exceljs';
import { SpreadsheetError } from './errors';
import { readTable } from './read-table';
import { readXlsx, writeXlsx } from './xlsx';

async function errorOf(promise: Promise<unknown>): Promise<SpreadsheetError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SpreadsheetError) return e;
    throw e;
  }
  throw new Error('expected a SpreadsheetError');
}

describe('writeXlsx → readXlsx', () => {
  it('round-trips Vietnamese text, numbers and dates', async () => {
    const buffer = await writeXlsx([
      {
        name: 'Kết quả',
        headers: ['Họ và tên', 'Điểm', 'Ngày thi', 'Đạt', 'Ghi chú'],
        rows: [
          ['Nguyễn Thị Hương', 8.5, new Date(Date.UTC(2025, 5, 30)), true, 'Sở Thông tin và Truyền thông'],
          ['Trần Văn Đức', 10, new Date(Date.UTC(2024, 11, 26)), false, null],
          ['Lê Ánh', 0.1 + 0.2, new Date(Date.UTC(2025, 0, 1, 8, 30)), false, 'dòng 1\ndòng 2'],
        ],
      },
    ]);
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const t = await readXlsx(buffer);
    expect(t.headers).toEqual(['Họ và tên', 'Điểm', 'Ngày thi', 'Đạt', 'Ghi chú']);
    expect(t.rows).toEqual([
      { rowNumber: 2, cells: ['Nguyễn Thị Hương', '8.5', '2025-06-30', 'TRUE', 'Sở Thông tin và Truyền thông'] },
      { rowNumber: 3, cells: ['Trần Văn Đức', '10', '2024-12-26', 'FALSE', ''] },
      { rowNumber: 4, cells: ['Lê Ánh', '0.3', '2025-01-01T08:30:00', 'FALSE', 'dòng 1\ndòng 2'] },
    ]);
  });

  it('writes a bold, frozen header row, column widths and one tab per sheet', async () => {
    const buffer = await writeXlsx([
      { name: 'Danh sách: 2025/1', headers: ['A', 'B'], rows: [['x', 'y']], columnWidths: [12, 40] },
      { name: 'Danh sách: 2025/1', headers: ['C'], rows: [] },
    ]);
    const wb = new Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Danh sách- 2025-1', 'Danh sách- 2025-1 2']);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(2).width).toBe(40);
  });

  it('neutralises formula injection in string cells and stores no formula', async () => {
    const buffer = await writeXlsx([{ name: 'S', headers: ['v'], rows: [['=HYPERLINK("http://x","y")'], ['+SUM(A1)'], ['@cmd'], ['-2'], [-2]] }]);
    const wb = new Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const values = [2, 3, 4, 5, 6].map((r) => wb.worksheets[0].getRow(r).getCell(1).value);
    expect(values).toEqual([`'=HYPERLINK("http://x","y")`, "'+SUM(A1)", "'@cmd", "'-2", -2]);
  });

  it('reads formulas as their cached result, rich text flattened, and skips blank rows', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('First');
    ws.addRow(['Tên', 'Tổng']);
    ws.addRow([{ richText: [{ text: 'Hà ' }, { font: { bold: true }, text: 'Nội' }] }, { formula: 'SUM(1,2)', result: 3 }]);
    ws.addRow([]);
    ws.addRow(['Huế', { formula: 'A1', result: 'chữ' }]);
    wb.addWorksheet('Second').addRow(['ignored']);
    const buffer = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const t = await readXlsx(buffer);
    expect(t.headers).toEqual(['Tên', 'Tổng']);
    expect(t.rows).toEqual([
      { rowNumber: 2, cells: ['Hà Nội', '3'] },
      { rowNumber: 4, cells: ['Huế', 'chữ'] },
    ]);
  });

  it('enforces maxRows', async () => {
    const buffer = await writeXlsx([{ name: 'S', headers: ['a'], rows: [['1'], ['2'], ['3']] }]);
    expect((await errorOf(readXlsx(buffer, { maxRows: 2 }))).code).toBe('TOO_MANY_ROWS');
  });

  it('rejects a corrupt XLSX (ZIP magic, broken content) with a clear error', async () => {
    const good = await writeXlsx([{ name: 'S', headers: ['a'], rows: [['1']] }]);
    const corrupt = Buffer.concat([good.subarray(0, 40), Buffer.alloc(200, 0x41)]);
    const e = await errorOf(readXlsx(corrupt));
    expect(e.code).toBe('CORRUPT_XLSX');
    expect(e.message).toBe('Tệp Excel bị hỏng hoặc không đọc được.');
  });

  it('rejects a non-XLSX buffer', async () => {
    expect((await errorOf(readXlsx(Buffer.from('a,b\n1,2')))).code).toBe('NOT_XLSX');
  });
});

describe('readTable', () => {
  it('dispatches XLSX by content, whatever the name says', async () => {
    const buffer = await writeXlsx([{ name: 'S', headers: ['Câu hỏi'], rows: [['Thủ đô?']] }]);
    const t = await readTable(buffer, 'questions.csv');
    expect(t.rows[0].cells).toEqual(['Thủ đô?']);
  });

  it('reads CSV text', async () => {
    const t = await readTable(Buffer.from('\uFEFFa;b\n1;2', 'utf8'), 'text/csv');
    expect(t).toEqual({ headers: ['a', 'b'], rows: [{ rowNumber: 2, cells: ['1', '2'] }], delimiter: ';' });
  });

  it('rejects legacy .xls, PDF, binary and text named .xlsx', async () => {
    expect((await errorOf(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'old.xls'))).code).toBe('UNSUPPORTED_FORMAT');
    expect((await errorOf(readTable(Buffer.from('%PDF-1.7\n...'), 'x.csv'))).code).toBe('UNSUPPORTED_FORMAT');
    expect((await errorOf(readTable(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]), 'photo.png'))).code).toBe('BINARY_CONTENT');
    expect((await errorOf(readTable(Buffer.from('a,b\n1,2'), 'bank.xlsx'))).code).toBe('NOT_XLSX');
    expect((await errorOf(readTable(Buffer.alloc(0), 'x.csv'))).code).toBe('EMPTY_FILE');
  });
});
