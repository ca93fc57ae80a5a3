import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from '../errors/domain.exception';

/** The deepest nesting of arrays and objects a JSON request body may have (DTOs need fewer than 10). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the text, no
 * recursion, no parsing: brackets inside strings are skipped, and it stops at the first level too
 * deep. Works on UTF-8 bytes (no byte of a multi-byte UTF-8 sequence is ASCII) or on a string.
 * Malformed text may be misjudged either way; the JSON parser then refuses it anyway.
 */
export function jsonNestingExceeds(text: Uint8Array | string, max = MAX_JSON_DEPTH): boolean {
  const asString = typeof text === 'string';
  const length = text.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = asString ? text.charCodeAt(i) : text[i];
    if (inString) {
      if (c === BACKSLASH) i++; // skips the escaped character, \" included
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/**
 * The `verify` hook of the JSON body parser: refuses a body nested deeper than `max` before it is
 * parsed, so neither the parser, class-transformer, the validation pipe nor the guard (which all
 * run later) ever sees it. Thrown here, the exception reaches the global filter as a 400.
 */
export function rejectDeepJson(max = MAX_JSON_DEPTH): (req: unknown, res: unknown, body: Buffer, encoding: string | null) => void {
  return (_req, _res, body, encoding) => {
    let text: Uint8Array | string = body;
    if (encoding && !/^utf-?8$/i.test(encoding)) {
      try {
        text = new TextDecoder(encoding).decode(body);
      } catch {
        throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: '', message: `unsupported charset "${encoding}"` }]);
      }
    }
    if (jsonNestingExceeds(text, max)) {
      throw DomainException.badRequest(ErrorCode.JsonTooDeep, [{ field: '', message: `JSON nested deeper than ${max} levels` }]);
    }
  };
}
