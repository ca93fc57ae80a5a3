import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from '../errors/domain.exception';
import { jsonNestingExceeds, MAX_JSON_DEPTH, rejectDeepJson } from './json-depth';

const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('jsonNestingExceeds', () => {
  it('accepts ordinary bodies and exactly MAX_JSON_DEPTH levels', () => {
    expect(jsonNestingExceeds('{"username":"a","password":"b"}')).toBe(false);
    expect(jsonNestingExceeds('{"rows":[{"a":[1,2,{"b":null}]},{"c":[]}]}', 5)).toBe(false);
    expect(jsonNestingExceeds('{"rows":[{"a":[1,2,{"b":null}]},{"c":[]}]}', 4)).toBe(true);
    expect(jsonNestingExceeds(objects(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestingExceeds(arrays(MAX_JSON_DEPTH))).toBe(false);
    // Siblings do not add up: depth is how deep, not how many.
    expect(jsonNestingExceeds(`[${Array.from({ length: 10_000 }, () => '[[1]]').join(',')}]`, 3)).toBe(false);
  });

  it('refuses one level more, and 5,000 or 100,000 levels without recursing', () => {
    expect(jsonNestingExceeds(objects(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestingExceeds(arrays(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestingExceeds(objects(5_000))).toBe(true);
    expect(jsonNestingExceeds(arrays(100_000))).toBe(true);
    expect(jsonNestingExceeds('{"a":[{"b":' + arrays(40) + '}]}')).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingExceeds(JSON.stringify({ note: '['.repeat(1000) + '{'.repeat(1000) }))).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ note: 'say \\"[[[[\\" and "{{{{"' }), 1)).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ note: 'ends in a backslash \\' , deep: JSON.parse(arrays(5)) }), 4)).toBe(true);
  });

  it('reads UTF-8 bytes the same as the text (Vietnamese included)', () => {
    const text = JSON.stringify({ hoTen: 'Nguyễn Thị Hương', ghiChu: '“[{”', lồng: JSON.parse(arrays(3)) });
    expect(jsonNestingExceeds(Buffer.from(text, 'utf8'), 4)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(text, 'utf8'), 3)).toBe(true);
    expect(jsonNestingExceeds(text, 3)).toBe(true);
  });
});

describe('rejectDeepJson (the JSON body parser hook)', () => {
  const verify = rejectDeepJson();

  it('lets ordinary bodies through', () => {
    expect(() => verify({}, {}, Buffer.from('{"username":"hr","password":"x"}'), 'utf-8')).not.toThrow();
  });

  it('throws a 400 JSON_TOO_DEEP for a deep body, in UTF-8 or UTF-16', () => {
    const thrown = (body: Buffer, encoding: string) => {
      try {
        verify({}, {}, body, encoding);
      } catch (e) {
        return e;
      }
      return null;
    };
    const utf8 = thrown(Buffer.from(objects(100_000)), 'utf-8');
    expect(utf8).toBeInstanceOf(DomainException);
    expect(utf8).toMatchObject({ code: ErrorCode.JsonTooDeep, status: 400 });
    expect(thrown(Buffer.from(arrays(5_000), 'utf16le'), 'utf-16le')).toMatchObject({ code: ErrorCode.JsonTooDeep });
  });
});
