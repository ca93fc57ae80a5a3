import { normaliseName } from '@dxtrain/shared/vietnamese';

/** A random source in [0, 1). Always seeded here, so generated data is the same on every install. */
export type Rand = () => number;

/** Small deterministic PRNG (mulberry32), so every install gets the same demo province. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Picks by weight; `items` are [value, weight] pairs (weights need not sum to anything in particular). */
export function weighted<T>(rand: Rand, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of items) {
    r -= w;
    if (r < 0) return value;
  }
  return items[items.length - 1][0];
}

// Name pools are normalised to NFC once, at load, so generated names are NFC without per-name work.
const nfc = (items: string[]): readonly string[] => items.map(normaliseName);
const nfcPairs = (items: Array<[string, number]>): ReadonlyArray<readonly [string, number]> => items.map(([n, w]) => [normaliseName(n), w] as const);

/** Family names with rough national frequencies (percent of the population). */
export const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = nfcPairs([
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 3.5], ['Huỳnh', 1.6], ['Phan', 4.5], ['Vũ', 2.9], ['Võ', 2],
  ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.9], ['Trương', 0.9],
  ['Lương', 0.5], ['Mai', 0.4], ['Đoàn', 0.4], ['Cao', 0.3], ['Lâm', 0.3], ['Tạ', 0.2], ['Châu', 0.2],
]);
/** Jrai and Bahnar family names, frequent in Gia Lai. */
export const HIGHLAND_FAMILY_NAMES: readonly string[] = nfc(['Rơ Mah', 'Siu', 'Ksor', 'Rơ Châm', 'Kpă', 'Nay', 'Rơ Lan', 'Puih', 'Đinh']);
const MIDDLE_MALE = nfc(['Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Thanh', 'Công', 'Xuân', 'Ngọc', 'Anh', 'Trọng', 'Đình', 'Quang', 'Tuấn']);
const MIDDLE_FEMALE = nfc(['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Kim', 'Phương', 'Hồng', 'Mỹ', 'Bích', 'Thùy', 'Diệu']);
const GIVEN_MALE = nfc([
  'Hùng', 'Dũng', 'Anh', 'Tuấn', 'Minh', 'Hải', 'Cường', 'Long', 'Nam', 'Sơn', 'Thắng', 'Đức', 'Khoa', 'Phúc', 'Quân', 'Bảo',
  'Đạt', 'Huy', 'Trung', 'Vinh', 'Hiếu', 'Thành', 'Tùng', 'Việt', 'Lâm', 'Kiên', 'Thịnh', 'Toàn', 'Hoàng', 'Phong',
]);
const GIVEN_FEMALE = nfc([
  'Hương', 'Lan', 'Linh', 'Trang', 'Thảo', 'Hà', 'Mai', 'Ngọc', 'Hạnh', 'Yến', 'Nhung', 'Phương', 'Thủy', 'Vân', 'Oanh', 'Ánh',
  'Uyên', 'Hoa', 'Dung', 'Giang', 'Huyền', 'Loan', 'Nga', 'Quyên', 'Tâm', 'Thư', 'Trinh', 'Vy', 'Xuân', 'Hiền',
]);
const HIGHLAND_GIVEN_MALE = nfc(['Blơng', 'Đơk', 'Thuyên', 'Ngưn', 'Phin', 'Hyưn', 'Djuin', 'Kim', 'Yă', 'Brương']);
const HIGHLAND_GIVEN_FEMALE = nfc(["H'Bia", "H'Lan", "H'Luyện", 'Hiền', 'Thu', 'Nhiên', "H'Mai", 'Hlin', "H'Yen", 'Bơk']);

export interface PersonName {
  family: string;
  middle: string | null;
  given: string;
  female: boolean;
  /** family, middle and given name joined, NFC. */
  full: string;
}

/**
 * A generated Vietnamese personal name (NFC). With `highland`, about half the names are Jrai/Bahnar
 * (family + given, sometimes without a middle name), as in Gia Lai's communes.
 */
export function generatePersonName(rand: Rand, opts: { highland?: boolean } = {}): PersonName {
  const female = rand() < 0.5;
  let family: string;
  let middle: string | null;
  let given: string;
  if (opts.highland && rand() < 0.5) {
    family = pick(rand, HIGHLAND_FAMILY_NAMES);
    given = pick(rand, female ? HIGHLAND_GIVEN_FEMALE : HIGHLAND_GIVEN_MALE);
    // Some families use a Kinh middle name ("Ksor Văn Phin"), never before an H' given name.
    middle = !given.startsWith("H'") && rand() < 0.3 ? (female ? 'Thị' : 'Văn') : null;
  } else {
    family = weighted(rand, FAMILY_NAMES);
    middle = pick(rand, female ? MIDDLE_FEMALE : MIDDLE_MALE);
    given = pick(rand, female ? GIVEN_FEMALE : GIVEN_MALE);
  }
  // The pools are NFC and single-spaced, so the joined name is too.
  return { family, middle, given, female, full: middle === null ? `${family} ${given}` : `${family} ${middle} ${given}` };
}

/** A generated Vietnamese personal name (NFC): "Nguyễn Thị Hương", "Rơ Mah H'Bia". */
export function generateName(rand: Rand, opts: { highland?: boolean } = {}): string {
  return generatePersonName(rand, opts).full;
}

/** ASCII e-mail local part from a name, the way Vietnamese agencies usually build them: "Nguyễn Thị Hương" → "huong.nt". */
export function emailLocalPart(fullName: string): string {
  const ascii = fullName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z ]/g, '');
  const words = ascii.split(' ').filter(Boolean);
  const given = words[words.length - 1] ?? 'canbo';
  const initials = words.slice(0, -1).map((w) => w[0]).join('');
  return initials ? `${given}.${initials}` : given;
}

/** A fictional mobile number (Vietnamese 10-digit format). */
export function generatePhone(rand: Rand): string {
  const prefix = pick(rand, ['090', '091', '093', '094', '096', '097', '098', '086', '088', '032', '035', '039']);
  return prefix + String(Math.floor(rand() * 1e7)).padStart(7, '0');
}
