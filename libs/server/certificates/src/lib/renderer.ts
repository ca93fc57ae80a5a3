import QRCode from 'qrcode';
import { formatVerificationCode } from '@dxtrain/shared/contracts';
import { pdfDocument, pdfFontFiles, pdfFonts } from '@dxtrain/server/documents';

export interface CertificateView {
  serial: string;
  version: number;
  verificationCode: string;
  holderName: string;
  courseTitle: string;
  periods: number;
  issuedAt: Date;
  issuerName: string;
  place: string;
  signerTitle: string;
  signerName: string;
  expiresAt: Date | null;
  verifyUrl: string;
  /** The template's line under the title; default "Hoàn thành chương trình bồi dưỡng". */
  subtitle?: string | null;
  /** The issuer's logo (PNG or JPEG bytes), printed top left. */
  logo?: Buffer | null;
}

/** DejaVu Serif, parsed once per process and reused for every certificate (see `pdfFonts`). */
export function loadFonts(): { regular: unknown; bold: unknown } {
  return pdfFonts('serif');
}

/**
 * Every character a certificate normally prints: ASCII and the Vietnamese letters with every tone.
 * Each document's font subset starts with all of them in this order, so the subset is the same for
 * every certificate and its encoded bytes can be reused (see `reuseSubsets`).
 */
const CHARSET = (() => {
  const vowels = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const letters = vowels.flatMap((v) => tones.map((t) => (v + t).normalize('NFC')));
  let ascii = '';
  for (let c = 0x21; c <= 0x7e; c++) ascii += String.fromCharCode(c);
  return ascii + 'đĐ–—“”‘’…' + letters.join('') + letters.join('').toUpperCase();
})();

type Subset = { glyphs: number[]; encode(): Buffer };
type EmbeddedFontInternals = { subset: Subset; encode(text: string): unknown; layoutCache?: Record<string, unknown> };
/** Per face: encoded subsets by glyph list, and word layouts by text (both depend only on the parsed font). */
const shared = new Map<string, { subsets: Map<string, Buffer>; layouts: Record<string, unknown>; layoutCount: { n: number } }>();

/**
 * pdfkit subsets and re-encodes each embedded font for every document: with the parsed fonts
 * reused, that is half of a certificate's rendering time. Starting every subset with the same
 * glyphs makes the subset of nearly every certificate identical, so its bytes are encoded once per
 * process; word layouts are shared the same way. A name with a character outside CHARSET only
 * makes that certificate's subset different (encoded for it, correct as ever).
 */
function reuseSubsets(doc: PDFKit.PDFDocument, face: string): void {
  doc.font(face);
  const font = (doc as unknown as { _font: EmbeddedFontInternals })._font;
  let cache = shared.get(face);
  if (!cache) shared.set(face, (cache = { subsets: new Map(), layouts: Object.create(null), layoutCount: { n: 0 } }));
  if (cache.layoutCount.n++ > 20_000) {
    // Bounded: names and titles vary; start afresh every 20,000 documents.
    cache.layouts = Object.create(null);
    cache.layoutCount.n = 0;
  }
  font.layoutCache = cache.layouts;
  font.encode(CHARSET);
  const subsets = cache.subsets;
  const encode = font.subset.encode.bind(font.subset);
  font.subset.encode = () => {
    const key = font.subset.glyphs.join(',');
    let bytes = subsets.get(key);
    if (!bytes) {
      bytes = encode();
      if (subsets.size > 64) subsets.clear();
      subsets.set(key, bytes);
    }
    return bytes;
  };
}

/** The QR code drawn as vector squares: sharp at any zoom, and ~2× cheaper than encoding and embedding a PNG. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + quiet * 2);
  doc.save().rect(x, y, size, size).fill('#fff');
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
  }
  doc.fill('#000').restore();
}

/** "Gia Lai, ngày 22 tháng 11 năm 2026" (date in Vietnam's time zone). */
const VN_DATE = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', day: 'numeric', month: 'numeric', year: 'numeric' });
export function placeAndDate(place: string, date: Date): string {
  const parts = Object.fromEntries(
    VN_DATE.formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${place}, ngày ${parts['day']} tháng ${parts['month']} năm ${parts['year']}`;
}

/**
 * The certificate as an A4 landscape PDF: national heading, issuer, title, holder, course,
 * periods, place and date, signer, serial, and a QR code to the verify page with the code
 * printed under it. `reuseFonts: false` re-parses the fonts (the naive way, for benchmarks).
 */
export async function renderCertificatePdf(c: CertificateView, opts: { reuseFonts?: boolean } = {}): Promise<Buffer> {
  const f = opts.reuseFonts === false ? pdfFontFiles('serif') : loadFonts();
  const { doc, bytes: done } = pdfDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    info: { Title: `Giấy chứng nhận ${c.serial}`, Author: c.issuerName, Subject: c.courseTitle, Keywords: formatVerificationCode(c.verificationCode) },
  }, 'serif', f);
  if (opts.reuseFonts !== false) {
    reuseSubsets(doc, 'regular');
    reuseSubsets(doc, 'bold');
  }

  const W = doc.page.width;
  const H = doc.page.height;
  doc.lineWidth(3).strokeColor('#8a6d1d').rect(20, 20, W - 40, H - 40).stroke();
  doc.lineWidth(1).rect(28, 28, W - 56, H - 56).stroke();
  doc.fillColor('#000');

  // Heading: issuer on the left, national motto on the right (Vietnamese administrative layout).
  const colW = (W - 120) / 2;
  if (c.logo) doc.image(c.logo, 44, 40, { fit: [56, 56] });
  doc.font('bold').fontSize(12).text(c.issuerName.toUpperCase(), 60, 50, { width: colW, align: 'center' });
  doc.font('bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 60 + colW, 50, { width: colW, align: 'center' });
  doc.font('bold').fontSize(12).text('Độc lập - Tự do - Hạnh phúc', 60 + colW, 66, { width: colW, align: 'center', underline: true });

  doc.font('bold').fontSize(34).fillColor('#b3261e').text('GIẤY CHỨNG NHẬN', 60, 120, { width: W - 120, align: 'center' });
  doc.fillColor('#000').font('regular').fontSize(14).text(c.subtitle || 'Hoàn thành chương trình bồi dưỡng', 60, 166, { width: W - 120, align: 'center' });
  doc.font('regular').fontSize(15).text('Chứng nhận Ông/Bà:', 60, 206, { width: W - 120, align: 'center' });
  doc.font('bold').fontSize(26).text(c.holderName, 60, 230, { width: W - 120, align: 'center' });
  doc.font('regular').fontSize(15).text('Đã hoàn thành khoá học:', 60, 276, { width: W - 120, align: 'center' });
  doc.font('bold').fontSize(18).text(c.courseTitle, 90, 300, { width: W - 180, align: 'center' });
  doc.font('regular').fontSize(14).text(`Thời lượng: ${c.periods} tiết`, 60, doc.y + 8, { width: W - 120, align: 'center' });
  if (c.expiresAt) doc.text(`Có giá trị đến: ${placeAndDate('', c.expiresAt).replace(/^, /, '')}`, { width: W - 120, align: 'center' });

  // Bottom: QR and code on the left, place/date and signer on the right.
  const bottom = H - 190;
  drawQr(doc, c.verifyUrl, 70, bottom, 110);
  doc.font('regular').fontSize(9).text('Mã xác thực', 50, bottom + 114, { width: 150, align: 'center' });
  doc.font('bold').fontSize(12).text(formatVerificationCode(c.verificationCode), 50, bottom + 126, { width: 150, align: 'center' });
  doc.font('regular').fontSize(10).text(`Số vào sổ: ${c.serial}${c.version > 1 ? ` (cấp lại lần ${c.version - 1})` : ''}`, 210, bottom + 126, { width: 240 });

  const right = W / 2 + 40;
  const rightW = W / 2 - 100;
  doc.font('regular').fontSize(13).text(placeAndDate(c.place, c.issuedAt), right, bottom, { width: rightW, align: 'center' });
  // A signer title may span lines ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC").
  doc.font('bold').fontSize(13).text(c.signerTitle, right, bottom + 22, { width: rightW, align: 'center', lineGap: 2 });
  if (c.signerName) doc.font('bold').fontSize(14).text(c.signerName, right, bottom + 110, { width: rightW, align: 'center' });
  doc.end();
  return done;
}
