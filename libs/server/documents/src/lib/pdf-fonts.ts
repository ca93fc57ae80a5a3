import PDFDocument from 'pdfkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// fontkit has no types of its own worth pulling in; pdfkit accepts any object with `layout`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buffer: Buffer): unknown };

/** The DejaVu faces the platform prints with: full Vietnamese coverage (every diacritic, stacked tones). */
export type PdfFontFamily = 'serif' | 'sans';

const FILES: Record<PdfFontFamily, { regular: string; bold: string }> = {
  serif: { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf' },
  sans: { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' },
};

/** Where fonts are looked for, in order: PDF_FONT_DIR (or the older CERTIFICATE_FONT_DIR), bundled assets, node_modules, the system. */
const FONT_DIRS = () => [
  process.env['PDF_FONT_DIR'] ?? process.env['CERTIFICATE_FONT_DIR'] ?? '',
  join(__dirname, 'assets', 'fonts'),
  join(process.cwd(), 'node_modules', 'dejavu-fonts-ttf', 'ttf'),
  '/usr/share/fonts/truetype/dejavu',
];

/** The raw bytes of a font file (the naive way: a PDF that registers these parses them again). */
export function fontFile(name: string): Buffer {
  for (const dir of FONT_DIRS()) {
    if (dir && existsSync(join(dir, name))) return readFileSync(join(dir, name));
  }
  throw new Error(`font ${name} not found (install dejavu-fonts-ttf, or set PDF_FONT_DIR to a folder holding it)`);
}

export interface PdfFonts {
  regular: unknown;
  bold: unknown;
}

const parsed = new Map<PdfFontFamily, PdfFonts>();

/**
 * A family's regular and bold faces, parsed once per process (fontkit objects, which pdfkit's
 * `registerFont` accepts) and reused by every document: parsing DejaVu for each PDF is what makes
 * naive rendering slow (~30 ms a document, see STACK.md).
 */
export function pdfFonts(family: PdfFontFamily): PdfFonts {
  let fonts = parsed.get(family);
  if (!fonts) {
    fonts = { regular: fontkit.create(fontFile(FILES[family].regular)), bold: fontkit.create(fontFile(FILES[family].bold)) };
    parsed.set(family, fonts);
  }
  return fonts;
}

/** The naive way, for benchmarks: the files' bytes, parsed again by every document that registers them. */
export function pdfFontFiles(family: PdfFontFamily): { regular: Buffer; bold: Buffer } {
  return { regular: fontFile(FILES[family].regular), bold: fontFile(FILES[family].bold) };
}

/**
 * A pdfkit document with a DejaVu family registered as 'regular' and 'bold' (no default Helvetica:
 * pdfkit would parse its metrics for every document), and a promise of its bytes once `doc.end()`
 * is called. `fonts` defaults to the family parsed once per process.
 */
export function pdfDocument(
  options: PDFKit.PDFDocumentOptions,
  family: PdfFontFamily,
  fonts: { regular: unknown; bold: unknown } = pdfFonts(family),
): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({ ...options, font: null as unknown as string });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular as never);
  doc.registerFont('bold', fonts.bold as never);
  return { doc, bytes };
}
