import { spreadsheetErrors } from './errors';

/**
 * Receives the elements of an XML part. Names are local (`x:row` → `row`); attributes arrive
 * raw (see `attributesOf`). Text is delivered only while `collecting` is true, so the text the
 * handler does not want (indentation, whitespace padding, formulas) is never kept in memory.
 */
export interface XmlHandler {
  collecting: boolean;
  /** Set by the handler to stop the scanner after the current element; `write('')` resumes. */
  paused?: boolean;
  open(name: string, rawAttributes: string): void;
  close(name: string): void;
  /** A piece of text (line ends normalised, entities decoded); one text node may come in pieces. */
  text(value: string): void;
}

/**
 * Longest token or collected text the scanner will hold while it waits for the rest: an Excel
 * cell holds at most 32,767 characters, and a legitimate tag is far shorter.
 */
const MAX_PENDING = 1024 * 1024;
/** Deepest element nesting accepted (SpreadsheetML needs fewer than 10 levels). */
const MAX_DEPTH = 256;

const corrupt = (detail: string) => spreadsheetErrors.corruptXlsx(detail);

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(value: string): string {
  if (value.indexOf('&') === -1) return value;
  return value.replace(ENTITY, (all, ref: string) => {
    if (ref.charCodeAt(0) !== 0x23) return NAMED[ref];
    const code = ref.charCodeAt(1) === 0x78 ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Attributes of a tag by their (prefixed) names, values decoded. */
export function attributesOf(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw.length === 0) return out;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(raw); m !== null; m = ATTRIBUTE.exec(raw)) out[m[1]] = decodeEntities(m[2] ?? m[3]);
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * One unprefixed attribute of a tag, value decoded; without building an object for every
 * attribute (the cells of a 200 MB sheet are millions of tags).
 */
export function attributeOf(raw: string, name: string): string | undefined {
  for (let from = 0; ; ) {
    const at = raw.indexOf(name, from);
    if (at === -1) return undefined;
    from = at + name.length;
    if (at > 0 && !isSpace(raw.charCodeAt(at - 1))) continue;
    let i = from;
    while (isSpace(raw.charCodeAt(i))) i++;
    if (raw.charCodeAt(i) !== 0x3d) continue;
    i++;
    while (isSpace(raw.charCodeAt(i))) i++;
    const quote = raw.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) continue;
    const end = raw.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (end === -1) return undefined;
    return decodeEntities(raw.slice(i + 1, end));
  }
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

/**
 * A small streaming XML scanner for the parts of an .xlsx (written for bounded memory rather than
 * generality): elements, attributes, text, the five predefined and numeric entities, CDATA,
 * comments and processing instructions; DOCTYPE is refused (no entity definitions, no expansion).
 * It checks that tags nest and close, and holds at most one pending token or collected text
 * (≤ 1 MB) between chunks, so memory does not grow with the part.
 */
export class XmlScanner {
  private pending = '';
  private readonly stack: string[] = [];
  private sawRoot = false;

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    const s = this.pending.length > 0 ? this.pending + chunk : chunk;
    const i = this.scan(s);
    this.pending = i < s.length ? s.slice(i) : '';
    if (!this.handler.paused && this.pending.length > MAX_PENDING) throw corrupt('an XML token or text longer than 1 MB');
  }

  end(): void {
    if (this.pending.trim() !== '' && this.stack.length > 0) throw corrupt('the XML ends inside an element');
    if (this.stack.length > 0) throw corrupt(`the XML ends before </${this.stack[this.stack.length - 1]}>`);
    if (!this.sawRoot) throw corrupt('an XML part has no root element');
  }

  /** Scans complete tokens of `s`; returns where the incomplete rest starts. */
  private scan(s: string): number {
    const h = this.handler;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt === -1) {
        if (!h.collecting) return n; // text nobody wants: dropped, however long
        return i; // keep it: the text node continues in the next chunk
      }
      if (lt > i && h.collecting) h.text(decodeEntities(normaliseLineEnds(s.slice(i, lt))));
      i = lt;
      if (i + 1 >= n) return i;
      const c = s.charCodeAt(i + 1);
      if (c === 0x2f) {
        // </name>
        const end = s.indexOf('>', i + 2);
        if (end === -1) return i;
        const name = s.slice(i + 2, end).trim();
        const open = this.stack.pop();
        if (open !== name) throw corrupt(`</${name}> does not close <${open ?? ''}>`);
        h.close(localName(name));
        i = end + 1;
        if (h.paused) return i;
      } else if (c === 0x3f) {
        // <?xml ...?>
        const end = s.indexOf('?>', i + 2);
        if (end === -1) return i;
        i = end + 2;
      } else if (c === 0x21) {
        if (n - i < 9) return i;
        if (s.startsWith('<!--', i)) {
          const end = s.indexOf('-->', i + 4);
          if (end === -1) return i;
          i = end + 3;
        } else if (s.startsWith('<![CDATA[', i)) {
          const end = s.indexOf(']]>', i + 9);
          if (end === -1) return i;
          if (h.collecting) h.text(normaliseLineEnds(s.slice(i + 9, end)));
          i = end + 3;
        } else {
          throw corrupt('DOCTYPE and other declarations are not allowed');
        }
      } else {
        // <name attr="v" ...> or <name .../>: '>' may occur inside quoted values.
        let end = -1;
        let quote = 0;
        for (let j = i + 1; j < n; j++) {
          const d = s.charCodeAt(j);
          if (quote !== 0) {
            if (d === quote) quote = 0;
          } else if (d === 0x22 || d === 0x27) quote = d;
          else if (d === 0x3e) {
            end = j;
            break;
          } else if (d === 0x3c) throw corrupt('"<" inside a tag');
        }
        if (end === -1) return i;
        let nameEnd = i + 1;
        while (nameEnd < end && !isNameEnd(s.charCodeAt(nameEnd))) nameEnd++;
        const name = s.slice(i + 1, nameEnd);
        if (name === '') throw corrupt('an element without a name');
        const selfClosing = s.charCodeAt(end - 1) === 0x2f;
        if (this.stack.length === 0) {
          if (this.sawRoot) throw corrupt('more than one root element');
          this.sawRoot = true;
        }
        const local = localName(name);
        h.open(local, s.slice(nameEnd, selfClosing ? end - 1 : end));
        if (selfClosing) h.close(local);
        else if (this.stack.push(name) > MAX_DEPTH) throw corrupt('elements nested too deeply');
        i = end + 1;
        if (h.paused) return i;
      }
    }
    return i;
  }
}

function normaliseLineEnds(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}
