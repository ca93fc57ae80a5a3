import { SpreadsheetError } from './errors';
import { attributeOf, attributesOf, decodeEntities, XmlHandler, XmlScanner } from './xml';

/** Records every event; collects text inside <t> and <v> only (as the sheet reader does). */
function record(chunks: string[]): string[] {
  const events: string[] = [];
  const h: XmlHandler = {
    collecting: false,
    open(name, raw) {
      events.push(`<${name}${raw}>`);
      if (name === 't' || name === 'v') h.collecting = true;
    },
    close(name) {
      events.push(`</${name}>`);
      if (name === 't' || name === 'v') h.collecting = false;
    },
    text(value) {
      // Pieces of one text node are joined, so that the events do not depend on the chunking.
      const last = events.length - 1;
      if (events[last]?.startsWith('text:')) events[last] += value;
      else events.push(`text:${value}`);
    },
  };
  const scanner = new XmlScanner(h);
  for (const c of chunks) scanner.write(c);
  scanner.end();
  return events;
}

const DOC =
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<x:worksheet xmlns:x="urn:x"><!-- a <comment> --><x:sheetData>\n  ' +
  '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve"> a &amp; b &#x1F600;\r\n&lt;c&gt; </x:t></x:is></x:c>' +
  `<x:c r='B1' s="2"><x:v><![CDATA[1<2 & 3]]></x:v></x:c><x:c r="C1" note="a > b"/></x:row>` +
  '</x:sheetData>      </x:worksheet>';

describe('XmlScanner', () => {
  it('reports elements, attributes and wanted text, the same however the input is cut', () => {
    const whole = record([DOC]);
    expect(whole).toEqual([
      '<worksheet xmlns:x="urn:x">',
      '<sheetData>',
      '<row r="1">',
      '<c r="A1" t="inlineStr">',
      '<is>',
      '<t xml:space="preserve">',
      'text: a & b 😀\n<c> ',
      '</t>',
      '</is>',
      '</c>',
      `<c r='B1' s="2">`,
      '<v>',
      'text:1<2 & 3',
      '</v>',
      '</c>',
      '<c r="C1" note="a > b">', // self-closing: open, then close
      '</c>',
      '</row>',
      '</sheetData>',
      '</worksheet>',
    ]);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < DOC.length; i += size) chunks.push(DOC.slice(i, i + size));
      expect(record(chunks)).toEqual(whole);
    }
  });

  it('holds no text it was not asked for, however long', () => {
    const h: XmlHandler = { collecting: false, open: () => undefined, close: () => undefined, text: () => undefined };
    const scanner = new XmlScanner(h);
    scanner.write('<a>');
    for (let i = 0; i < 100; i++) scanner.write(' '.repeat(100_000)); // 10 MB without a tag
    scanner.write('</a>');
    scanner.end();
  });

  it('refuses an oversized token, bad nesting, DOCTYPE and a truncated document', () => {
    const fails = (chunks: string[]) => {
      try {
        record(chunks);
      } catch (e) {
        return e instanceof SpreadsheetError && e.code === 'CORRUPT_XLSX';
      }
      return false;
    };
    expect(fails(['<a><t>', 'x'.repeat(600_000), 'y'.repeat(600_000)])).toBe(true); // collected text > 1 MB
    expect(fails([`<a b="${'x'.repeat(1_100_000)}`])).toBe(true);
    expect(fails(['<a><b></a></b>'])).toBe(true);
    expect(fails(['<!DOCTYPE a [<!ENTITY x "y">]><a/>'])).toBe(true);
    expect(fails(['<a><b>'])).toBe(true);
    expect(fails(['<a/><b/>'])).toBe(true);
    expect(fails([`<a>${'<b>'.repeat(300)}`])).toBe(true);
    expect(fails(['<a/>'])).toBe(false);
  });
});

describe('attributes and entities', () => {
  it('finds one attribute by name, not a prefixed one nor a longer name ending with it', () => {
    const raw = ` x:r="no" tr="no" r = 'A1' s="3" t="a&amp;b"`;
    expect(attributeOf(raw, 'r')).toBe('A1');
    expect(attributeOf(raw, 's')).toBe('3');
    expect(attributeOf(raw, 't')).toBe('a&b');
    expect(attributeOf(raw, 'u')).toBeUndefined();
    expect(attributesOf(raw)).toEqual({ 'x:r': 'no', tr: 'no', r: 'A1', s: '3', t: 'a&b' });
  });

  it('decodes the predefined and numeric entities, and leaves others alone', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;&nbsp;&#xFFFFFFF;')).toBe(`<>&"'A😀&nbsp;&#xFFFFFFF;`);
  });
});
