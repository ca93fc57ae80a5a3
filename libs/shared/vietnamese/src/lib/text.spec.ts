import { compareVietnameseNames, foldVietnamese, normaliseName, vietnameseNameSortKey } from './text';

// Decomposed (NFD) spellings, as some keyboards and spreadsheets produce them.
const NGUYEN_NFD = 'Nguye\u0302\u0303n';
const THI_NFD = 'Thi\u0323';

describe('normaliseName', () => {
  it('trims, collapses whitespace and composes to NFC', () => {
    const n = normaliseName(`  ${NGUYEN_NFD}   ${THI_NFD}\t Hương \n`);
    expect(n).toBe('Nguyễn Thị Hương');
    expect(n).toBe(n.normalize('NFC'));
    expect(normaliseName(NGUYEN_NFD)).toHaveLength(6);
  });

  it('leaves an already normal name unchanged and keeps case and apostrophes', () => {
    for (const name of ['Nguyễn Thị Hương', "Rơ Mah H'Bia", 'KBang', 'Phường 3']) expect(normaliseName(name)).toBe(name);
    expect(normaliseName('')).toBe('');
  });
});

describe('foldVietnamese', () => {
  it('strips diacritics, maps đ/Đ to d and lower-cases', () => {
    expect(foldVietnamese('Đặng Quốc Đạt')).toBe('dang quoc dat');
    expect(foldVietnamese('Phường Hội Thương GL-PKU-X01')).toBe('phuong hoi thuong gl-pku-x01');
    expect(foldVietnamese('Ủy ban nhân dân tỉnh Gia Lai')).toBe('uy ban nhan dan tinh gia lai');
  });

  it('treats NFC and NFD input alike and collapses whitespace', () => {
    expect(foldVietnamese(`${NGUYEN_NFD}  ${THI_NFD}`)).toBe('nguyen thi');
    expect(foldVietnamese('Nguyễn Thị'.normalize('NFD'))).toBe(foldVietnamese('Nguyễn Thị'));
    expect(foldVietnamese('  a \t b  ')).toBe('a b');
  });

  it('folds every vowel with every tone', () => {
    const vowels = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ';
    expect(foldVietnamese(vowels)).toBe('a'.repeat(17) + 'e'.repeat(11) + 'i'.repeat(5) + 'o'.repeat(17) + 'u'.repeat(11) + 'y'.repeat(5));
    expect(foldVietnamese(vowels.toUpperCase())).toBe(foldVietnamese(vowels));
  });

  it('keeps ASCII text as lower-case ASCII', () => {
    expect(foldVietnamese('GL-000123 huong.nt@example.gov.vn')).toBe('gl-000123 huong.nt@example.gov.vn');
  });
});

describe('vietnameseNameSortKey / compareVietnameseNames', () => {
  const sorted = (names: string[]) => [...names].sort(compareVietnameseNames);

  it('orders by given name first, then family and middle names', () => {
    expect(sorted(['Trần Văn Bình', 'Nguyễn Thị Anh', 'Lê Văn Anh', 'Phạm Thị Cúc'])).toEqual([
      'Lê Văn Anh',
      'Nguyễn Thị Anh',
      'Trần Văn Bình',
      'Phạm Thị Cúc',
    ]);
  });

  it('uses the Vietnamese alphabet: a < ă < â, d < đ < e, o < ô < ơ, u < ư', () => {
    expect(sorted(['Lê Ân', 'Lê Ăn', 'Lê An'])).toEqual(['Lê An', 'Lê Ăn', 'Lê Ân']);
    expect(sorted(['Lê Em', 'Lê Đào', 'Lê Dung'])).toEqual(['Lê Dung', 'Lê Đào', 'Lê Em']);
    expect(sorted(['Lê Ơn', 'Lê Ôn', 'Lê On'])).toEqual(['Lê On', 'Lê Ôn', 'Lê Ơn']);
    expect(sorted(['Lê Ưng', 'Lê Ung'])).toEqual(['Lê Ung', 'Lê Ưng']);
    // Đ is its own letter after D, not a D with a mark: Đào sorts after Dũng, before Em.
    expect(compareVietnameseNames('Lê Dũng', 'Lê Đào')).toBeLessThan(0);
  });

  it('uses tones only as a tie-breaker, in dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng)', () => {
    expect(sorted(['Lê Ạ', 'Lê Á', 'Lê Ã', 'Lê Ả', 'Lê À', 'Lê A'])).toEqual(['Lê A', 'Lê À', 'Lê Ả', 'Lê Ã', 'Lê Á', 'Lê Ạ']);
    // Letters decide before tones: "Hoàng Văn Ả" sorts before "Nguyễn Văn A" (family name H < N).
    expect(compareVietnameseNames('Hoàng Văn Ả', 'Nguyễn Văn A')).toBeLessThan(0);
  });

  it('puts a shorter name first and compares NFC and NFD spellings equal', () => {
    expect(compareVietnameseNames('Lê Anh', 'Lê Anh Tuấn')).toBeLessThan(0);
    expect(compareVietnameseNames('Lê Văn Anh', 'Lê Văn Anh Thư')).toBeLessThan(0);
    expect(vietnameseNameSortKey(`${NGUYEN_NFD} ${THI_NFD} Hương`)).toBe(vietnameseNameSortKey('Nguyễn Thị Hương'));
    expect(vietnameseNameSortKey('  Nguyễn   Thị Hương ')).toBe(vietnameseNameSortKey('Nguyễn Thị Hương'));
    expect(compareVietnameseNames('nguyễn thị hương', 'Nguyễn Thị Hương')).toBe(0);
  });

  it('gives a key whose byte (COLLATE "C") order is the comparison order', () => {
    const names = ['Đỗ Văn Á', 'Nguyễn Văn A', 'Siu H\'Bia', 'Rơ Mah Blơng', 'Trần Thị Ánh', 'Nguyễn Văn Ân', 'Bùi Thị Đào', 'Phường 3', 'Lê Z'];
    const byKey = [...names].sort((a, b) => {
      const [ka, kb] = [Buffer.from(vietnameseNameSortKey(a)), Buffer.from(vietnameseNameSortKey(b))];
      return Buffer.compare(ka, kb);
    });
    expect(byKey).toEqual(sorted(names));
    expect(vietnameseNameSortKey('')).toBe('');
  });
});
