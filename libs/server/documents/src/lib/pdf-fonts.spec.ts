import PDFDocument from 'pdfkit';
import { fontFile, pdfFontFiles, pdfFonts } from './pdf-fonts';

async function pdfWith(fonts: { regular: unknown; bold: unknown }, text: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', font: null as unknown as string });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('regular', fonts.regular as never);
  doc.registerFont('bold', fonts.bold as never);
  doc.font('bold').text(text).font('regular').text(text);
  doc.end();
  return done;
}

describe('PDF fonts', () => {
  it('parses each family once per process and hands back the same objects', () => {
    const a = pdfFonts('sans');
    expect(pdfFonts('sans')).toBe(a);
    expect(pdfFonts('serif')).not.toBe(a);
    expect((a.regular as { familyName: string }).familyName).toBe('DejaVu Sans');
    expect((pdfFonts('serif').bold as { familyName: string }).familyName).toBe('DejaVu Serif');
  });

  it('embeds both the parsed and the raw faces in a real PDF with Vietnamese text', async () => {
    const text = 'Nguyễn Thị Hương — Ủy ban nhân dân xã Ia Khươl';
    for (const pdf of [await pdfWith(pdfFonts('sans'), text), await pdfWith(pdfFontFiles('sans'), text)]) {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.toString('latin1')).toContain('DejaVuSans-Bold');
    }
  });

  it('names the missing font and how to get it', () => {
    expect(() => fontFile('NoSuchFont.ttf')).toThrow(/NoSuchFont\.ttf not found \(install dejavu-fonts-ttf, or set PDF_FONT_DIR/);
  });
});
