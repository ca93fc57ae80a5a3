import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateView, renderCertificatePdf } from './renderer';

const base: CertificateView = {
  serial: 'GL-2026-000123',
  version: 1,
  verificationCode: '7K2M9QXD4TRB',
  holderName: 'Nguyễn Thị Hương',
  courseTitle: 'Kỹ năng số cơ bản cho cán bộ, công chức',
  periods: 8,
  issuedAt: new Date('2026-11-22T03:00:00Z'),
  issuerName: 'Sở Khoa học và Công nghệ tỉnh Gia Lai',
  place: 'Gia Lai',
  signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
  signerName: 'Trần Văn Ký',
  expiresAt: null,
  verifyUrl: 'https://dxtrain.example.gov.vn/verify/7K2M9QXD4TRB',
};

describe('certificate renderer: font subsets reused across documents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxtrain-render-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const text = (pdf: Buffer, name: string) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
  };

  it('every certificate reads back with its own text, including names with characters outside the shared set', async () => {
    const holders = ['Nguyễn Thị Hương', 'Rơ Châm H’Yuôn', 'Ksor Y Đức', 'Lương Thị Ánh Tuyết', 'Đinh Văn Ŭ Ø'];
    const pdfs = [];
    for (const [i, holderName] of holders.entries()) pdfs.push(await renderCertificatePdf({ ...base, holderName, serial: `GL-2026-00012${i}` }));
    for (const [i, pdf] of pdfs.entries()) {
      const read = text(pdf, `c${i}`);
      expect(read).toContain(holders[i].normalize('NFC'));
      expect(read).toContain(`Số vào sổ: GL-2026-00012${i}`);
      expect(read).toContain('KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC');
    }
  });

  it('the naive way (fonts parsed for the document) prints the same text', async () => {
    const fast = text(await renderCertificatePdf(base), 'fast');
    const naive = text(await renderCertificatePdf(base, { reuseFonts: false }), 'naive');
    expect(naive).toBe(fast);
  });
});
