import { pdfDocument } from '@dxtrain/server/documents';

export interface SignInSheet {
  classTitle: string;
  organiserName: string;
  /** "Buổi 2/3" */
  sessionLabel: string;
  /** Already formatted in Asia/Ho_Chi_Minh, e.g. "08:00 – 11:30, thứ Bảy 05/12/2026". */
  when: string;
  where: string;
  /** Sorted by the Vietnamese sort key; names as written (family name first). */
  rows: Array<{ fullName: string; staffCode: string; unitName: string }>;
}

/** A printable A4 sign-in sheet for one session: No., full name, unit, signature column. */
export async function renderSignInSheet(s: SignInSheet): Promise<Buffer> {
  // DejaVu Sans, parsed once per process and reused for every sheet.
  const { doc, bytes: done } = pdfDocument({ size: 'A4', margin: 40, info: { Title: `Danh sách ký tên – ${s.classTitle}`, Author: s.organiserName } }, 'sans');

  const left = 40;
  const width = doc.page.width - 80;
  const cols = [
    { title: 'STT', w: 36 },
    { title: 'Họ và tên', w: 170 },
    { title: 'Đơn vị', w: 185 },
    { title: 'Chữ ký', w: width - 36 - 170 - 185 },
  ];
  const rowH = 26;

  const header = () => {
    doc.font('bold').fontSize(11).text(s.organiserName.toUpperCase(), left, 40, { width });
    doc.font('bold').fontSize(16).text('DANH SÁCH KÝ TÊN THAM DỰ', left, 70, { width, align: 'center' });
    doc.font('bold').fontSize(12).text(s.classTitle, left, doc.y + 4, { width, align: 'center' });
    doc.font('regular').fontSize(10).text(`${s.sessionLabel} · ${s.when}`, left, doc.y + 4, { width, align: 'center' });
    if (s.where) doc.font('regular').fontSize(10).text(`Địa điểm: ${s.where}`, left, doc.y + 2, { width, align: 'center' });
    const y = doc.y + 12;
    let x = left;
    doc.lineWidth(0.8);
    for (const c of cols) {
      doc.rect(x, y, c.w, rowH).stroke();
      doc.font('bold').fontSize(10).text(c.title, x + 4, y + 8, { width: c.w - 8, align: 'center' });
      x += c.w;
    }
    return y + rowH;
  };

  let y = header();
  s.rows.forEach((r, i) => {
    if (y + rowH > doc.page.height - 60) {
      doc.addPage();
      y = header();
    }
    const cells = [String(i + 1), r.fullName, r.unitName, ''];
    let x = left;
    cols.forEach((c, j) => {
      doc.rect(x, y, c.w, rowH).stroke();
      if (cells[j]) doc.font('regular').fontSize(9.5).text(cells[j], x + 4, y + 8, { width: c.w - 8, height: rowH - 8, ellipsis: true, lineBreak: false, align: j === 0 ? 'center' : 'left' });
      x += c.w;
    });
    y += rowH;
  });
  doc.font('regular').fontSize(10).text(`Tổng số: ${s.rows.length} người`, left, y + 10, { width });
  doc.end();
  return done;
}
