import { createInflateRaw } from 'node:zlib';
import { SpreadsheetError, spreadsheetErrors } from './errors';
import { ByteBudget } from './limits';

/** One file of a ZIP archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  /** As declared: used to refuse early, never trusted while inflating. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;
const U16 = 0xffff;

/**
 * Inflated bytes handed to the XML scanner at a time. 16 KB (zlib's default) keeps every string
 * made from a chunk (≤ 32 KB as UTF-16) in V8's young generation, where it dies cheaply; 64 KB
 * chunks become large objects in the old generation and pile up until a full GC (~100 MB more RSS).
 */
const CHUNK = 16 * 1024;

const corrupt = (detail: string) => spreadsheetErrors.corruptXlsx(detail);

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('ZIP64 size out of range');
  return Number(v);
}

/**
 * Reads the central directory of a ZIP held in memory (ZIP64 included). Names are keyed
 * lower-case, `\` as `/`, without a leading `/` (OPC part names are case-insensitive).
 * Nothing is inflated here.
 */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no ZIP central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === U16 || size === U32 || offset === U32) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== EOCD64_LOCATOR) throw corrupt('ZIP64 locator missing');
    const at = u64(buf, locator + 8);
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== EOCD64) throw corrupt('ZIP64 directory missing');
    count = u64(buf, at + 32);
    size = u64(buf, at + 40);
    offset = u64(buf, at + 48);
  }
  if (offset + size > buf.length) throw corrupt('central directory outside the file');

  const entries = new Map<string, ZipEntry>();
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > offset + size || buf.readUInt32LE(p) !== CENTRAL) throw corrupt('broken central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > offset + size) throw corrupt('broken central directory');
    const name = buf.toString('utf8', p + 46, nameEnd);
    // ZIP64 extended information: the 64-bit values, in this order, for each field that is 0xFFFFFFFF.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength; ) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const take = () => {
          if (q + 8 > e + 4 + len) throw corrupt('broken ZIP64 field');
          const v = u64(buf, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === U32) uncompressedSize = take();
        if (compressedSize === U32) compressedSize = take();
        if (localHeaderOffset === U32) localHeaderOffset = take();
      }
      e += 4 + len;
    }
    const key = name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
    if (!entries.has(key)) entries.set(key, { name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p = nameEnd + extraLength + commentLength;
  }
  return entries;
}

function dataOf(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw corrupt(`no local header for ${entry.name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw corrupt(`${entry.name} is truncated`);
  return buf.subarray(start, end);
}

/**
 * The inflated bytes of one entry, in chunks of at most 16 KB, each counted against `budget`
 * before it is handed on: a part that inflates beyond the cap stops there, whatever its header
 * said. The compressed bytes are read in place (no copy); stop iterating to stop inflating.
 */
export async function* inflateEntry(buf: Buffer, entry: ZipEntry, budget: ByteBudget): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw corrupt(`${entry.name} is encrypted`);
  const data = dataOf(buf, entry);
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += CHUNK) {
      const chunk = data.subarray(i, i + CHUNK);
      budget.take(chunk.length);
      yield chunk;
    }
    return;
  }
  if (entry.method !== 8) throw corrupt(`${entry.name} uses compression method ${entry.method}`);
  const inflater = createInflateRaw({ chunkSize: CHUNK });
  // zlib honours back-pressure inside one large input: it inflates only as fast as we read.
  inflater.end(data);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      budget.take(chunk.length);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof SpreadsheetError) throw e;
    throw corrupt(`${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    inflater.destroy();
  }
}
