/**
 * Vietnamese text helpers shared by server and web: NFC normalisation,
 * diacritics-insensitive folding for search, and a sort key that orders
 * personal names the Vietnamese way (given name first, then family and
 * middle names, by the Vietnamese alphabet, tones as a tie-breaker).
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Trim, collapse inner whitespace and normalise to NFC. */
export function normaliseName(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Lower-case, strip diacritics (đ → d) and collapse whitespace: "Nguyễn  Thị Hương" → "nguyen thi huong". */
export function foldVietnamese(value: string): string {
  return value
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// Vietnamese alphabet order, with the Latin letters Vietnamese lacks (f, j, w, z) in their Latin places.
const ALPHABET = ['a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z'];
const RANK = new Map(ALPHABET.map((letter, index) => [letter, index]));

// Tone marks in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
const TONES: Record<string, number> = { '\u0300': 1, '\u0309': 2, '\u0303': 3, '\u0301': 4, '\u0323': 5 };
const LETTER_MODIFIERS = new Set(['\u0306', '\u0302', '\u031b']); // breve, circumflex, horn

interface Letter {
  primary: string;
  tone: number;
}

function letters(word: string): Letter[] {
  const out: Letter[] = [];
  for (const ch of word.toLowerCase().normalize('NFC')) {
    const decomposed = ch.normalize('NFD');
    let base = '';
    let tone = 0;
    for (const part of decomposed) {
      if (TONES[part] !== undefined) tone = TONES[part];
      else base += part;
    }
    // Recompose the letter without its tone (ắ → ă), keeping breve/circumflex/horn.
    const letter = base.normalize('NFC');
    const rank = RANK.get(letter);
    if (rank !== undefined) {
      out.push({ primary: String.fromCharCode(0x30 + rank + 10), tone });
    } else if (/[0-9]/.test(letter)) {
      out.push({ primary: String.fromCharCode(0x30 + Number(letter) - 10 + 10), tone: 0 });
    } else if ([...letter].every((c) => LETTER_MODIFIERS.has(c))) {
      continue;
    } else {
      // Anything else sorts after the alphabet, by code point.
      out.push({ primary: '~' + letter, tone });
    }
  }
  return out;
}

/**
 * A key whose plain byte order (COLLATE "C") is the Vietnamese order of personal names:
 * given name (the last word), then the family and middle names, then tones.
 */
export function vietnameseNameSortKey(fullName: string): string {
  const words = normaliseName(fullName).split(' ').filter(Boolean);
  if (words.length === 0) return '';
  const given = words[words.length - 1];
  const rest = words.slice(0, -1);
  const ordered = [given, ...rest];
  const perWord = ordered.map(letters);
  const primary = perWord.map((ls) => ls.map((l) => l.primary).join('')).join('!');
  const tones = perWord.map((ls) => ls.map((l) => String(l.tone)).join('')).join('!');
  // ' ' sorts before every primary character, so a shorter name sorts first.
  return `${primary} ${tones}`;
}

/** Compare two personal names the Vietnamese way (same order as the sort key). */
export function compareVietnameseNames(a: string, b: string): number {
  const ka = vietnameseNameSortKey(a);
  const kb = vietnameseNameSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
