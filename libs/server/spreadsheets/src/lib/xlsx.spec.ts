import { Workbook } from 'exceljs';
import { SpreadsheetError } from './errors';
import { readTable } from './read-table';
import { readXlsx, writeXlsx } from './xlsx';
import { referenceReadXlsx } from '../testing/reference-readers';
import { sheetXml, workbookParts, zipParts } from '../testing/xlsx-fixtures';

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

describe('the streaming reader reads what exceljs’ whole-workbook loader read', () => {
  const same = async (buffer: Buffer) => {
    const expected = await referenceReadXlsx(buffer).catch((e) => { throw new Error(`exceljs: ${e.messageEn}`); });
    expect(await readXlsx(buffer)).toEqual(expected);
    return expected;
  };

  it('on a workbook exceljs writes: every kind of value, styles, blank rows and gaps', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('Dữ liệu');
    ws.addRow(['Họ tên', ' Số ', 'Ngày', 'Giờ', 'Đạt', 'Công thức', 'Liên kết', 'Lỗi', 'Ghi chú', 'Tỉ lệ']);
    ws.addRow([
      'Nguyễn Thị Hương'.normalize('NFD'),
      8.5,
      new Date(Date.UTC(2025, 5, 30)),
      new Date(Date.UTC(2025, 0, 1, 8, 30, 15)),
      true,
      { formula: 'B2*2', result: 17 },
      { text: 'trang chủ', hyperlink: 'https://example.gov.vn/?a=1&b=2' },
      { error: '#N/A' },
      { richText: [{ text: 'Sở ' }, { font: { bold: true }, text: 'Nội vụ' }] },
      0.125,
    ]);
    ws.addRow([]);
    ws.addRow(['  giữ khoảng trắng  ', 0.1 + 0.2, 1e21, -0, false, { formula: 'A1', result: 'chữ & <ký hiệu>' }, { formula: 'E4', result: true }, null, 'dòng 1\ndòng 2', 123456789012345680]);
    ws.addRow(['=không phải công thức', 'Ông nói "được"', '', null, { formula: 'C2+1', result: 45839 }]);
    ws.getCell('J2').numFmt = '0.00%';
    ws.getCell('E5').numFmt = 'dd/mm/yyyy';
    ws.getCell('C5').numFmt = '[$-42A]d mmmm yyyy';
    ws.getRow(6).getCell(2).font = { bold: true }; // a styled empty cell: no row of its own
    ws.addRow(['chỉ ô đầu']);
    ws.getCell('D8').value = 'ô lẻ';
    wb.addWorksheet('Thứ hai').addRow(['không đọc']);
    const buffer = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const t = await same(buffer);
    expect(t.rows.map((r) => r.rowNumber)).toEqual([2, 4, 5, 7, 8]);
    expect(t.rows[0].cells.slice(0, 4)).toEqual(['Nguyễn Thị Hương'.normalize('NFC'), '8.5', '2025-06-30', '2025-01-01T08:30:15']);
  });

  const ss = (items: string[]) =>
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${items.length}">${items.map((i) => `<si>${i}</si>`).join('')}</sst>`;
  const styles = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
    <numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;ngày&quot; 0"/></numFmts>
    <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
    <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="10"><alignment wrapText="1"/></xf></cellXfs>
  </styleSheet>`;

  it('on hand-written XML: shared and inline rich text, phonetics, escapes, formulas, shared formulas, date styles', async () => {
    const strings = ss([
      '<t>Mã cán bộ</t>',
      '<r><rPr><b/></rPr><t xml:space="preserve">Họ </t></r><r><t>và tên</t></r><rPh sb="0" eb="1"><t>ホ</t></rPh>',
      '<t>Ngày sinh</t>',
      '<t>a &amp; b &lt;c&gt; &#39; &#x1F600;</t>',
      '<t>dòng 1\r\ndòng 2_x000D_</t>',
      '<t/>',
      `<t>${'Nguyễn'.normalize('NFD')}</t>`,
    ]);
    const rows = [
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1"><v>4</v></c></row>',
      '<!-- a comment between rows -->',
      '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" s="1"><v>45838</v></c><c r="D2" s="2"><v>45838.5</v></c><c r="E2" s="3"><v>7</v></c><c r="F2" s="4"><v>45838.75</v></c><c r="G2" s="5"><v>0.25</v></c></row>',
      '<row r="3"><c r="A3" t="inlineStr"><is><t> trong ô </t></is></c><c r="B3" t="inlineStr"><is><r><t>giàu </t></r><r><rPr><i/></rPr><t>chữ_x0041_</t></r></is></c><c r="C3" t="str"><f>A1</f><v>&amp;lt;b&amp;gt;</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c></row>',
      '<row r="4"><c r="A4"><f>1/0</f></c><c r="B4"><f t="shared" ref="B4:B5" si="0">A1*2</f><v>1.5E+3</v></c><c r="C4" s="1"><f>TODAY()</f><v>45000</v></c><c r="D4" t="s"><v>6</v></c><c r="E4" t="s"><v>5</v></c></row>',
      '<row r="5"><c r="B5"><f t="shared" si="0"/><v>-2</v></c><c r="C5" t="b"><f>TRUE()</f><v>1</v></c><c r="H5" s="1"/></row>',
      '<row r="6"><c r="A6" s="3"/><c r="B6" t="s"><v>5</v></c></row>',
    ].join('');
    const buffer = await zipParts(workbookParts(sheetXml(rows), { styles, sharedStrings: strings }));
    const t = await same(buffer);
    expect(t.headers).toEqual(['Mã cán bộ', 'Họ và tên', 'Ngày sinh', '4']);
    expect(t.rows[0].cells).toEqual(['a & b <c> \' 😀', 'dòng 1\ndòng 2\r', '2025-06-30', '2025-06-30T12:00:00', '7', '2025-06-30T18:00:00', '0.25']);
    expect(t.rows[1].cells).toEqual([' trong ô ', 'giàu chữA', '<b>', 'TRUE', '#DIV/0!']);
    expect(t.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5]);
  });

  it('in the 1904 date system, and the first sheet in workbook order (not in ZIP order)', async () => {
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const parts = workbookParts(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>bỏ qua</t></is></c></row>'), {
      styles,
      workbook: `<workbook ${NS}><workbookPr date1904="1"/><sheets><sheet name="B" sheetId="2" r:id="rId9"/><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    });
    parts['xl/_rels/workbook.xml.rels'] = (parts['xl/_rels/workbook.xml.rels'] as string).replace(
      '</Relationships>',
      '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
    );
    parts['xl/worksheets/sheet2.xml'] = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Ngày</t></is></c></row><row r="2"><c r="A2" s="1"><v>0</v></c></row>');
    const t = await same(await zipParts(parts));
    expect(t).toEqual({ headers: ['Ngày'], rows: [{ rowNumber: 2, cells: ['1904-01-01'] }] });
  });

  it('with stored (uncompressed) parts and with ZIP64 records', async () => {
    const parts = workbookParts(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>'));
    for (const buffer of [await zipParts(parts, { stored: ['xl/worksheets/sheet1.xml'] }), await zipParts(parts, { forceZip64: true })]) {
      expect(await same(buffer)).toEqual({ headers: ['a'], rows: [{ rowNumber: 2, cells: ['1'] }] });
    }
  });
});

describe('what the streaming reader does differently (deliberately)', () => {
  it('reads a formula’s cached FALSE (exceljs’ loader dropped it: empty cell)', async () => {
    const wb = new Workbook();
    wb.addWorksheet('S').addRow(['a', { formula: 'NOT(TRUE)', result: false }]);
    const buffer = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect((await referenceReadXlsx(buffer)).headers).toEqual(['a']);
    expect((await readXlsx(buffer)).headers).toEqual(['a', 'FALSE']);
  });

  it('reads namespace-prefixed SpreadsheetML (as some generators write it)', async () => {
    const NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const sheet = `<?xml version="1.0"?><x:worksheet ${NS}><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Tên</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>An</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`;
    expect(await readXlsx(await zipParts(workbookParts(sheet)))).toEqual({ headers: ['Tên'], rows: [{ rowNumber: 2, cells: ['An'] }] });
  });

  it('numbers rows and cells without r="…" after the previous ones (exceljs’ loader failed on them)', async () => {
    const sheet = sheetXml('<row><c t="inlineStr"><is><t>a</t></is></c></row><row><c><v>1</v></c><c><v>2</v></c></row><row r="5"><c r="B5"><v>2</v></c></row><row><c r="A6"><v>3</v></c></row>');
    expect(await readXlsx(await zipParts(workbookParts(sheet)))).toEqual({
      headers: ['a'],
      rows: [
        { rowNumber: 2, cells: ['1', '2'] },
        { rowNumber: 5, cells: ['', '2'] },
        { rowNumber: 6, cells: ['3'] },
      ],
    });
  });

  it('keeps a merged range’s value in its top-left cell only, as Excel’s "Save as CSV" does', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['Đơn vị', 'Tên']);
    ws.addRow(['X-01', 'An']);
    ws.addRow([null, 'Bình']);
    ws.mergeCells('A2:A3');
    const t = await readXlsx(Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['X-01', 'An'],
      ['', 'Bình'],
    ]);
  });

  it('refuses broken XML, DOCTYPEs, references beyond column XFD and truncated parts as CORRUPT_XLSX', async () => {
    const bad = [
      sheetXml('<row r="1"><c r="A1"><v>1</c></row>'),
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${sheetXml('')}`,
      sheetXml('<row r="1"><c r="XFE1"><v>1</v></c></row>'),
      sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>').replace('</worksheet>', ''),
    ];
    for (const sheet of bad) {
      const e = await errorOf(readXlsx(await zipParts(workbookParts(sheet))));
      expect(e.code).toBe('CORRUPT_XLSX');
    }
    const good = await zipParts(workbookParts(sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(100_000)}</t></is></c></row>`)));
    // Cut the compressed sheet short (the last entry before the central directory is the sheet).
    const cut = Buffer.from(good);
    const dir = cut.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cut.length);
    expect((await errorOf(readXlsx(Buffer.concat([cut.subarray(0, 200), Buffer.alloc(dir - 200), cut.subarray(dir)])))).code).toBe('CORRUPT_XLSX');
  });

  it('answers NOT_XLSX for a ZIP without a workbook and EMPTY_FILE for a workbook without sheets', async () => {
    expect((await errorOf(readXlsx(await zipParts({ 'word/document.xml': '<w/>' })))).code).toBe('NOT_XLSX');
    const parts = workbookParts(sheetXml(''), { workbook: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>' });
    expect((await errorOf(readXlsx(await zipParts(parts)))).code).toBe('EMPTY_FILE');
    expect((await errorOf(readXlsx(await zipParts(workbookParts(sheetXml('')))))).code).toBe('EMPTY_FILE');
  });
});

describe('a cell made of many small text pieces', () => {
  it('is refused beyond 1 MB, however it is cut (comments between pieces)', async () => {
    const pieces = 'ab<!---->'.repeat(600_000);
    const sheet = sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>${pieces}</t></is></c></row>`);
    expect((await errorOf(readXlsx(await zipParts(workbookParts(sheet))))).code).toBe('CORRUPT_XLSX');
  });
});
