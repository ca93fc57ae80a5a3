/**
 * Test helpers: hand-made workbooks (any XML, any part layout) and XLSX "zip bombs", generated
 * as streams so that building a 250 MB sheet costs the test process no more than a few MB.
 * Not exported from the library: tests import this file directly.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export type Parts = Record<string, string | Buffer | Readable>;

/** Zips the given parts, in the given order (deflated unless `stored`). */
export function zipParts(parts: Parts, opts: { stored?: string[]; forceZip64?: boolean } = {}): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(parts)) {
    const options = { compress: !opts.stored?.includes(name), forceZip64Format: !!opts.forceZip64 };
    if (content instanceof Readable) zip.addReadStream(content, name, options);
    else zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, options);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The parts of a minimal workbook around one sheet's XML (plus styles / shared strings if given). */
export function workbookParts(sheetXml: string | Readable, extra: { styles?: string; sharedStrings?: string; workbook?: string } = {}): Parts {
  const rels = [
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`,
    extra.styles ? `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` : '',
    extra.sharedStrings ? `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '',
  ].join('');
  const parts: Parts = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      extra.workbook ??
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
  };
  if (extra.styles) parts['xl/styles.xml'] = extra.styles;
  if (extra.sharedStrings) parts['xl/sharedStrings.xml'] = extra.sharedStrings;
  parts['xl/worksheets/sheet1.xml'] = sheetXml;
  return parts;
}

export const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;

/** An inline-string cell. */
export const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** The enrolment import's header row (so that an import gets past the header check). */
export const ENROLMENT_HEADER_ROW =
  '<row r="1">' +
  ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Vị trí việc làm', 'Nhóm mạng lưới', 'Ghi chú'].map((h, i) => inline(`${'ABCDEFG'[i]}1`, h)).join('') +
  '</row>';

/**
 * One data row of about 600 bytes of XML: seven inline-string cells, as in an enrolment list,
 * with a longer note. 250 MB of them is ~430,000 rows (under the import's 500,000-row cap).
 */
export function bombRow(n: number): string {
  const cells = [`CB${n}`, `Nguyễn Văn An ${n}`, `an${n}@example.gov.vn`, 'X-01', 'Chuyên viên', 'unit_focal_point', `Ghi chú dòng ${n}: `.padEnd(240, '.')];
  return `<row r="${n}">${cells.map((v, i) => inline(`${'ABCDEFG'[i]}${n}`, v)).join('')}</row>`;
}

export interface SheetStreamOptions {
  /** Bytes of sheet XML (approximately, rounded up to whole rows). */
  bytes: number;
  /** 'rows': ~600-byte rows (a bomb that looks like data); 'whitespace': the header row, then blanks. */
  fill: 'rows' | 'whitespace';
  /** Malformed XML after the generated rows (to show that a reader stopped before it). */
  brokenTail?: boolean;
  /** The XML of data row `n` (from 2), instead of `bombRow`. */
  row?: (n: number) => string;
}

/** The sheet XML as a stream, generated 64 KB at a time. */
export function sheetStream(opts: SheetStreamOptions): Readable {
  let written = 0;
  let row = 2;
  let state: 'head' | 'body' | 'tail' | 'done' = 'head';
  const spaces = ' '.repeat(64 * 1024);
  return new Readable({
    read() {
      if (state === 'head') {
        state = 'body';
        const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${ENROLMENT_HEADER_ROW}`;
        written += head.length;
        this.push(head);
        return;
      }
      if (state === 'body') {
        if (written >= opts.bytes) {
          state = 'tail';
        } else if (opts.fill === 'whitespace') {
          written += spaces.length;
          this.push(spaces);
          return;
        } else {
          let chunk = '';
          while (chunk.length < 64 * 1024) chunk += (opts.row ?? bombRow)(row++);
          written += Buffer.byteLength(chunk);
          this.push(chunk);
          return;
        }
      }
      if (state === 'tail') {
        state = 'done';
        this.push(opts.brokenTail ? '<row r="x"><c r="A1"><v>1</c></row></sheetData>' : '</sheetData></worksheet>');
        return;
      }
      this.push(null);
    },
  });
}

export interface BombOptions extends SheetStreamOptions {
  /** Forge the size the ZIP declares for the sheet (central directory), e.g. 4 KB for 250 MB. */
  declaredSheetSize?: number;
}

/** A workbook whose single sheet inflates to `bytes` of XML: a few MB compressed. */
export async function buildXlsxBomb(opts: BombOptions): Promise<Buffer> {
  const zip = await zipParts(workbookParts(sheetStream(opts)));
  if (opts.declaredSheetSize !== undefined) forgeUncompressedSize(zip, 'xl/worksheets/sheet1.xml', opts.declaredSheetSize);
  return zip;
}

/** Rewrites the uncompressed size an entry declares in the central directory (and its local header). */
export function forgeUncompressedSize(zip: Buffer, name: string, size: number): void {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let p = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let n = 0; n < count; n++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (entryName === name) {
      zip.writeUInt32LE(size, p + 24);
      const local = zip.readUInt32LE(p + 42);
      if (zip.readUInt32LE(local + 22) !== 0) zip.writeUInt32LE(size, local + 22);
      return;
    }
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`${name} not in the archive`);
}
