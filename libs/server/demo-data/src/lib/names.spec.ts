import { emailLocalPart, FAMILY_NAMES, generateName, generatePersonName, generatePhone, HIGHLAND_FAMILY_NAMES, prng, weighted } from './names';

describe('name generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = prng(7);
    const b = prng(7);
    const c = prng(8);
    const first = Array.from({ length: 300 }, () => generateName(a));
    expect(Array.from({ length: 300 }, () => generateName(b))).toEqual(first);
    expect(Array.from({ length: 300 }, () => generateName(c))).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(150);
  });

  it('produces NFC names made of a family name, usually a middle name, and a given name', () => {
    const rand = prng(42);
    const families = new Set([...FAMILY_NAMES.map(([f]) => f), ...HIGHLAND_FAMILY_NAMES]);
    for (let i = 0; i < 2000; i++) {
      const n = generatePersonName(rand, { highland: i % 2 === 0 });
      expect(n.full).toBe(n.full.normalize('NFC'));
      expect(n.full).not.toMatch(/\s{2}|^\s|\s$/);
      expect(families.has(n.family)).toBe(true);
      expect(n.given.length).toBeGreaterThan(0);
      expect(n.full.startsWith(`${n.family} `)).toBe(true);
      expect(n.full.endsWith(` ${n.given}`)).toBe(true);
      expect(n.full.split(' ').length).toBeGreaterThanOrEqual(2);
      if (!n.middle) expect(HIGHLAND_FAMILY_NAMES).toContain(n.family);
    }
  });

  it('follows realistic family-name frequencies (Nguyễn about 38%)', () => {
    const rand = prng(1);
    const names = Array.from({ length: 20000 }, () => generatePersonName(rand));
    const share = (f: string) => names.filter((n) => n.family === f).length / names.length;
    expect(share('Nguyễn')).toBeGreaterThan(0.33);
    expect(share('Nguyễn')).toBeLessThan(0.43);
    expect(share('Trần')).toBeGreaterThan(share('Phạm'));
    expect(share('Lý')).toBeLessThan(0.02);
  });

  it('gives Gia Lai communes Jrai/Bahnar names too', () => {
    const rand = prng(3);
    const names = Array.from({ length: 1000 }, () => generatePersonName(rand, { highland: true }));
    const highland = names.filter((n) => HIGHLAND_FAMILY_NAMES.includes(n.family)).length;
    expect(highland).toBeGreaterThan(350);
    expect(highland).toBeLessThan(650);
  });

  it('makes ASCII e-mail local parts', () => {
    expect(emailLocalPart('Nguyễn Thị Hương')).toBe('huong.nt');
    expect(emailLocalPart('Đặng Quốc Đạt')).toBe('dat.dq');
    expect(emailLocalPart("Rơ Mah H'Bia")).toBe('hbia.rm');
    expect(emailLocalPart('Siu')).toBe('siu');
  });

  it('makes 10-digit phone numbers and weighted picks in range', () => {
    const rand = prng(5);
    for (let i = 0; i < 100; i++) expect(generatePhone(rand)).toMatch(/^0\d{9}$/);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10000; i++) counts[weighted(rand, [['a', 9], ['b', 1]] as const)]++;
    expect(counts.a / 10000).toBeGreaterThan(0.85);
  });
});
