/** Small deterministic helpers shared by the engine: seeded PRNG, shuffles, stable ids. */

/** mulberry32: a tiny, fast 32-bit PRNG; the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given random source; returns a new array. */
export function shuffleWith<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** FNV-1a, 32 bits, as base-36. */
export function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * Ids for imported options, pairs and items: derived from the text (not from the position,
 * which would tell a learner "option a is usually the right one"), unique within `used`.
 */
export function stableId(prefix: string, text: string, used: Set<string>): string {
  const base = `${prefix}${hashText(text)}`;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Rounds away binary noise (0.1 + 0.2) without losing meaningful precision. */
export const round7 = (value: number) => Math.round(value * 1e7) / 1e7;
