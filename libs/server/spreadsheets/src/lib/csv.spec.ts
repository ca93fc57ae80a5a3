import { parseCsv, toCsv } from './csv';
import { SpreadsheetError } from './errors';
import { referenceParseCsv } from '../testing/reference-readers';

function errorOf(fn: () => unknown): SpreadsheetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpreadsheetError) return e;
    throw e;
  }
  throw new Error('expected a SpreadsheetError');
}

describe('parseCsv', () => {
  it('reads a simple comma file with LF line ends', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
    expect(t.delimiter).toBe(',');
    expect(t.headers).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      { rowNumber: 2, cells: ['1', '2', '3'] },
      { rowNumber: 3, cells: ['4', '5', '6'] },
    ]);
  });

  it('strips a UTF-8 BOM from a Buffer and from a string', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Họ tên,Mã\nAn,1\n', 'utf8')]);
    expect(parseCsv(withBom).headers).toEqual(['Họ tên', 'Mã']);
    expect(parseCsv('\uFEFFHọ tên,Mã\nAn,1').headers).toEqual(['Họ tên', 'Mã']);
  });

  it('detects a semicolon delimiter (Excel in locales with a decimal comma)', () => {
    const t = parseCsv('Họ tên;Điểm;Ghi chú\nNguyễn An;8,5;"a;b"\r\n');
    expect(t.delimiter).toBe(';');
    expect(t.rows[0].cells).toEqual(['Nguyễn An', '8,5', 'a;b']);
  });

  it('does not count delimiters inside quotes when detecting', () => {
    expect(parseCsv('"a;b;c";x,y\n1,2,3').delimiter).toBe(',');
  });

  it('handles CRLF and a last line without a line break', () => {
    const t = parseCsv('a,b\r\n1,2\r\n3,4');
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', () => {
    const t = parseCsv('q,note\r\n"Câu 1, phần A","Anh ấy nói ""xin chào""\r\nrồi đi"\r\nx,y\r\n');
    expect(t.rows[0]).toEqual({ rowNumber: 2, cells: ['Câu 1, phần A', 'Anh ấy nói "xin chào"\nrồi đi'] });
    // The quoted field spans two text lines but is one spreadsheet row.
    expect(t.rows[1]).toEqual({ rowNumber: 3, cells: ['x', 'y'] });
  });

  it('skips blank lines but counts them as spreadsheet rows', () => {
    const t = parseCsv('a,b\n1,2\n\n   \n,\n3,4\n\n');
    expect(t.rows).toEqual([
      { rowNumber: 2, cells: ['1', '2'] },
      { rowNumber: 4, cells: ['   ', ''] },
      { rowNumber: 6, cells: ['3', '4'] },
    ]);
  });

  it('pads short rows, keeps empty trailing fields and quoted empty fields', () => {
    const t = parseCsv('a,b,c\n1\n2,,\n"",x,');
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['1', '', ''],
      ['2', '', ''],
      ['', 'x', ''],
    ]);
  });

  it('trims header names', () => {
    expect(parseCsv(' a , b \n1,2').headers).toEqual(['a', 'b']);
  });

  it('reports an unterminated quote with the line it opened on', () => {
    const e = errorOf(() => parseCsv('a,b\n1,2\n3,"open\nstill open\n'));
    expect(e.code).toBe('UNTERMINATED_QUOTE');
    expect(e.line).toBe(3);
    expect(e.message).toContain('dòng 3');
    expect(e.messageEn).toContain('line 3');
  });

  it('counts lines inside earlier multi-line fields for the error line', () => {
    const e = errorOf(() => parseCsv('a,b\n"x\ny\nz",1\n"bad,2\n'));
    expect(e.line).toBe(5);
  });

  it('rejects NUL bytes (binary content)', () => {
    const e = errorOf(() => parseCsv(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02])));
    expect(e.code).toBe('BINARY_CONTENT');
    expect(errorOf(() => parseCsv('a,b\n\u0000')).code).toBe('BINARY_CONTENT');
  });

  it('rejects invalid UTF-8 (e.g. a Windows-1258 export)', () => {
    const e = errorOf(() => parseCsv(Buffer.from([0x48, 0x6f, 0x20, 0xd2, 0xe0, 0x0a, 0x31])));
    expect(e.code).toBe('INVALID_UTF8');
    expect(e.message).toMatch(/UTF-8/);
  });

  it('rejects an empty file, whitespace only, or a lone BOM', () => {
    expect(errorOf(() => parseCsv('')).code).toBe('EMPTY_FILE');
    expect(errorOf(() => parseCsv(Buffer.from([0xef, 0xbb, 0xbf]))).code).toBe('EMPTY_FILE');
    expect(errorOf(() => parseCsv(' \r\n\n')).code).toBe('EMPTY_FILE');
  });

  it('rejects more rows than maxRows', () => {
    expect(errorOf(() => parseCsv('a\n1\n2\n3', { maxRows: 2 })).code).toBe('TOO_MANY_ROWS');
    expect(parseCsv('a\n1\n2', { maxRows: 2 }).rows).toHaveLength(2);
  });

  it('normalises Vietnamese text to NFC (files saved on macOS are NFD)', () => {
    const nfd = 'Nguyễn Thị Hương'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn Thị Hương');
    const t = parseCsv(Buffer.from(`Họ tên\n${nfd}\n`, 'utf8'));
    expect(t.rows[0].cells[0]).toBe('Nguyễn Thị Hương'.normalize('NFC'));
  });

  it('round-trips Vietnamese text through toCsv and parseCsv', () => {
    const headers = ['Họ và tên', 'Đơn vị', 'Ghi chú'];
    const rows = [
      ['Trần Văn Đức', 'UBND xã Tân Biên, Tây Ninh', 'Ông nói "được"\nxuống dòng'],
      ['Lê Thị Ánh Tuyết', 'Sở Nội vụ; Gia Lai', ''],
    ];
    for (const delimiter of [',', ';'] as const) {
      const csv = toCsv(headers, rows, { delimiter });
      const back = parseCsv(Buffer.from(csv, 'utf8'));
      expect(back.delimiter).toBe(delimiter);
      expect(back.headers).toEqual(headers);
      expect(back.rows.map((r) => r.cells)).toEqual(rows);
      expect(back.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
    }
  });

  it('parses 500,000 rows × 7 columns (time reported, not asserted)', () => {
    const lines = ['ma_can_bo,ho_ten,email,don_vi,chuc_vu,ngay_sinh,ghi_chu'];
    for (let i = 0; i < 500_000; i++) {
      lines.push(`CB${i},Nguyễn Văn An ${i},an${i}@tayninh.gov.vn,"UBND xã Tân Biên, huyện Tân Biên",Công chức,1985-03-0${i % 9 + 1},"ghi chú ""${i}"""`);
    }
    const buffer = Buffer.from(lines.join('\r\n'), 'utf8');
    const started = process.hrtime.bigint();
    const t = parseCsv(buffer);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`parseCsv: 500,000 rows × 7 columns, ${(buffer.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms`);
    expect(t.rows).toHaveLength(500_000);
    expect(t.rows[499_999]).toEqual({
      rowNumber: 500_001,
      cells: ['CB499999', 'Nguyễn Văn An 499999', 'an499999@tayninh.gov.vn', 'UBND xã Tân Biên, huyện Tân Biên', 'Công chức', '1985-03-05', 'ghi chú "499999"'],
    });
  });
});

describe('toCsv', () => {
  const cellsOf = (csv: string) => parseCsv(csv).rows[0].cells;

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1:A9)', "'+SUM(A1:A9)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
  ])('neutralises formula injection in %j', (input, expected) => {
    const csv = toCsv(['v'], [[input]], { bom: false });
    expect(csv.split('\r\n')[1].startsWith('=')).toBe(false);
    expect(cellsOf(csv)[0]).toBe(expected.replace(/\r/g, '\n'));
  });

  it('never lets =HYPERLINK reach the file unescaped', () => {
    const csv = toCsv(['name', 'link'], [['An', '=HYPERLINK("http://x","y")']]);
    expect(csv).toBe('\uFEFFname,link\r\nAn,"\'=HYPERLINK(""http://x"",""y"")"\r\n');
    expect(csv).not.toMatch(/[,\n]"?=HYPERLINK/);
  });

  it('leaves ordinary text, inner = signs and numbers alone', () => {
    const csv = toCsv(['a', 'b', 'c', 'd'], [['a=b', 'Điểm 8', -2, true]], { bom: false });
    expect(csv).toBe('a,b,c,d\r\na=b,Điểm 8,-2,true\r\n');
  });

  it('quotes fields with the delimiter, quotes or line breaks only', () => {
    expect(toCsv(['x'], [['a,b'], ['say "hi"'], ['two\nlines'], ['a;b']], { bom: false })).toBe(
      'x\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\na;b\r\n',
    );
    expect(toCsv(['x'], [['a;b'], ['a,b']], { bom: false, delimiter: ';' })).toBe('x\r\n"a;b"\r\na,b\r\n');
  });

  it('adds a BOM by default and writes empty cells for null, undefined and dates as ISO', () => {
    const csv = toCsv(['a', 'b', 'c'], [[null, undefined, new Date(Date.UTC(2025, 0, 2, 3, 4, 5))]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toBe('\uFEFFa,b,c\r\n,,2025-01-02T03:04:05.000Z\r\n');
  });
});

describe('parseCsv, streaming window by window, parses exactly as the one-pass parser did', () => {
  /** Deterministic pseudo-random numbers (mulberry32). */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const PIECES = ['a', 'Nguyễn', 'Hương'.normalize('NFD'), ' ', '"', '""', ',', ';', '\n', '\r\n', '\r', 'x'.repeat(50), '😀', 'ế'];

  function randomCsv(seed: number, bytes: number): string {
    const next = random(seed);
    const delimiter = next() < 0.5 ? ',' : ';';
    const eol = ['\n', '\r\n', '\r'][Math.floor(next() * 3)];
    const lines = [['Mã', 'Tên', 'Ghi chú'].join(delimiter)];
    let size = 0;
    while (size < bytes) {
      const cells: string[] = [];
      const n = Math.floor(next() * 5);
      for (let c = 0; c < n; c++) {
        let v = '';
        for (let k = Math.floor(next() * 6); k > 0; k--) v += PIECES[Math.floor(next() * PIECES.length)];
        // Quote about half of the fields, doubling inner quotes; the others lose characters that would end them.
        if (next() < 0.5) v = `"${v.replace(/"/g, '""')}"${next() < 0.1 ? 'after' : ''}`;
        else v = v.replace(/["\r\n,;]/g, '');
        cells.push(v);
      }
      const line = cells.join(delimiter) + (next() < 0.1 ? delimiter : '');
      lines.push(next() < 0.05 ? '' : line);
      size += line.length + 1;
    }
    return (next() < 0.3 ? '\uFEFF' : '') + lines.join(eol) + (next() < 0.5 ? eol : '');
  }

  const outcome = (fn: () => unknown) => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SpreadsheetError) return { code: e.code, line: e.line };
      throw e;
    }
  };

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('random file %i (~200 KB, many 16 KB windows)', (seed) => {
    const text = randomCsv(seed, 200_000);
    const expected = outcome(() => referenceParseCsv(Buffer.from(text, 'utf8')));
    expect(outcome(() => parseCsv(Buffer.from(text, 'utf8')))).toEqual(expected);
    expect(outcome(() => parseCsv(text))).toEqual(expected);
    expect(outcome(() => parseCsv(text, { maxRows: 50 }))).toEqual(outcome(() => referenceParseCsv(text, { maxRows: 50 })));
  });

  it('on records, quotes and line ends cut at every position of a window boundary', () => {
    const record = 'An,"x ""y""\r\nz",3\r\nBình;,"",\r';
    for (let pad = 16 * 1024 - 40; pad <= 16 * 1024 + 2; pad++) {
      const text = `h1,h2,h3\n${'w'.repeat(pad)},1,2\n${record}${record}"open`;
      const expected = outcome(() => referenceParseCsv(text));
      expect(outcome(() => parseCsv(text))).toEqual(expected);
      expect(outcome(() => parseCsv(text.slice(0, -5)))).toEqual(outcome(() => referenceParseCsv(text.slice(0, -5))));
    }
  });

  it('detects the delimiter when the first line with a delimiter comes after several windows', () => {
    const text = `${'\n'.repeat(40_000)}a;b\n1;2`;
    expect(parseCsv(text)).toEqual(referenceParseCsv(text));
    expect(parseCsv(text).delimiter).toBe(';');
  });
});
