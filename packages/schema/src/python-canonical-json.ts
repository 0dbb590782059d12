/**
 * Seed 002 ("sec44") canonical JSON and its body signature (CONTRACTS.md §2.2).
 *
 * sec44 signs `json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
 * ensure_ascii=True)` encoded as UTF-8. Reproducing that byte for byte in JavaScript needs a
 * parser of our own, because `JSON.parse` + `JSON.stringify` differ from Python in several ways:
 * - floats: Python keeps `1.0` a float and prints it with `repr` (`1.0`, `1e+16`, `1e-05`),
 *   while JavaScript has one number type and prints `1`, `10000000000000000`, `0.00001`;
 * - integers: Python's are exact at any size; a JavaScript number is not;
 * - `NaN`, `Infinity`, `-Infinity` are accepted by Python's `json.loads` and printed back;
 * - key order: Python sorts by code point, JavaScript's default sort by UTF-16 unit
 *   (the two differ when astral characters meet U+E000..U+FFFF);
 * - ensure_ascii escapes everything outside 0x20..0x7E as lowercase `\uXXXX`.
 * So the parser below keeps every number's lexeme and emits the canonical text while it
 * parses, in a single pass, together with an ordinary JavaScript value for schema checks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a body could not be canonicalized. */
export type PythonJsonErrorCode = 'invalid_utf8' | 'invalid_json' | 'too_deep' | 'not_object_or_list';

/** A body Python's `json.loads` would reject (the server answers 400, never 500). */
export class PythonJsonError extends Error {
  readonly code: PythonJsonErrorCode;
  /** Offset in the decoded text where parsing stopped (-1 when not applicable). */
  readonly position: number;

  constructor(code: PythonJsonErrorCode, message: string, position = -1) {
    super(message);
    this.name = 'PythonJsonError';
    this.code = code;
    this.position = position;
  }
}

/** Result of {@link parsePythonJson}: a JavaScript value and the canonical text. */
export interface PythonJsonResult {
  /**
   * The parsed value as `JSON.parse` would build it, except that `NaN`, `Infinity` and
   * `-Infinity` are accepted. Integers beyond 2^53 lose precision here (not in `canonical`).
   */
  value: unknown;
  /** Python's canonical text; pure ASCII, so its UTF-8 bytes are its characters. */
  canonical: string;
  /** True when the top-level value is an object or an array (what sec44 requires). */
  container: boolean;
  /**
   * For a top-level object: the canonical text of each member's value by key (e.g. Santamon's
   * `context`, whose Python `json.dumps` length is capped). Undefined otherwise.
   */
  members: ReadonlyMap<string, string> | undefined;
}

/** Python's C scanner raises RecursionError near its recursion limit (1000); we stop earlier. */
const MAX_DEPTH = 1000;
/** CPython ≥ 3.11 refuses int strings longer than this (`sys.get_int_max_str_digits()`). */
const MAX_INT_DIGITS = 4300;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a body the way sec44 does (`body.decode("utf-8")`): strict UTF-8, and a leading
 * BOM is kept, so that `json.loads` then rejects it just as Python does.
 */
function decodeBody(raw: string | Uint8Array): string {
  if (typeof raw === 'string') return raw;
  try {
    return utf8.decode(raw);
  } catch {
    throw new PythonJsonError('invalid_utf8', 'request body is not valid UTF-8');
  }
}

/**
 * Parses `raw` like Python's `json.loads` and returns both the value and the canonical
 * text of `json.dumps(..., sort_keys=True, separators=(",",":"), ensure_ascii=True)`.
 * Throws {@link PythonJsonError} for anything `json.loads` would reject.
 */
export function parsePythonJson(raw: string | Uint8Array): PythonJsonResult {
  const text = decodeBody(raw);
  const parser = runParser(text, false);
  const first = text.charCodeAt(parser.start);
  return {
    value: parser.sawNonFinite ? runParser(text, true).outValue : JSON.parse(text),
    canonical: parser.outCanon,
    container: first === 0x7b || first === 0x5b,
    members: parser.topMembers,
  };
}

/**
 * Runs the parser over the whole text. Values are built only on request: once the text has
 * passed Python's grammar, V8's native `JSON.parse` builds the same value several times
 * faster, unless the text holds `NaN`/`Infinity`, which only Python's dialect allows.
 */
function runParser(text: string, buildValues: boolean): Parser {
  const parser = new Parser(text, buildValues);
  parser.skipWs();
  parser.start = parser.pos;
  parser.value(0);
  parser.skipWs();
  if (parser.pos !== text.length) parser.fail('Extra data');
  return parser;
}

/** Canonical text of `raw` (see {@link parsePythonJson}). */
export function pythonCanonicalJson(raw: string | Uint8Array): string {
  return parsePythonJson(raw).canonical;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip, positional notation when
 * the decimal exponent is in [-4, 16), scientific otherwise with a signed, at least
 * two-digit exponent; integral values keep `.0`; `NaN`, `Infinity`, `-Infinity`, `-0.0`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // Number#toString yields the shortest round-trip digits, choosing the closest when several
  // qualify: the same digits as Python's repr (David Gay's dtoa, mode 0). Only the layout differs.
  let s = String(Math.abs(x));
  let exp10 = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp10 = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  // Position of the decimal point counted from the start of `digits`.
  let point = (dot < 0 ? s.length : dot) + exp10;
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  point -= lead;
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);

  const exponent = point - 1;
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const abs = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (digits.length <= point) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const HEX = '0123456789abcdef';

/**
 * A string as Python's `json.dumps(..., ensure_ascii=True)` writes it: `\" \\ \n \r \t \b \f`
 * as short escapes, every other character outside 0x20..0x7E as lowercase `\uXXXX` (UTF-16
 * units, hence surrogate pairs above the BMP and lone surrogates as they are).
 */
export function pythonAsciiString(value: string): string {
  let out = '"';
  let from = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (i > from) out += value.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        out += `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    }
  }
  return from === 0 ? `"${value}"` : `${out}${value.slice(from)}"`;
}

/**
 * Compares two strings by Unicode code point, as Python orders `str`. JavaScript's `<`
 * compares UTF-16 units, which puts U+10000.. (surrogates D800..DFFF) before U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca < 0xd800 && cb < 0xd800) return ca - cb;
  // Rare: a surrogate is involved. Restart at the code point boundary at or before `i`
  // (the shared prefix may end in the high half of a pair) and compare whole code points.
  let j = i;
  const prev = i > 0 ? a.charCodeAt(i - 1) : 0;
  if (prev >= 0xd800 && prev <= 0xdbff) j = i - 1;
  while (j < n) {
    const pa = a.codePointAt(j)!;
    const pb = b.codePointAt(j)!;
    if (pa !== pb) return pa - pb;
    j += pa > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // `obj.__proto__ = v` would set the prototype; JSON.parse creates an own property instead.
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else obj[key] = value;
}

/** Recursive-descent parser following CPython's `_json.c` scanner, emitting canonical text. */
class Parser {
  readonly text: string;
  pos = 0;
  /** Output registers of the last `value()` call (avoids allocating a tuple per value). */
  outValue: unknown = undefined;
  outCanon = '';
  topMembers: Map<string, string> | undefined = undefined;
  /** Offset of the first non-whitespace character. */
  start = 0;
  /** True once a `NaN`/`Infinity`/`-Infinity` literal was read (JSON.parse cannot read them). */
  sawNonFinite = false;
  /** Set by `string()`: the literal was printable ASCII without escapes, so it is its own canonical form. */
  plain = false;
  readonly build: boolean;

  constructor(text: string, build: boolean) {
    this.text = text;
    this.build = build;
  }

  fail(message: string, at = this.pos): never {
    throw new PythonJsonError('invalid_json', `${message} at offset ${at}`, at);
  }

  skipWs(): void {
    const t = this.text;
    let p = this.pos;
    while (p < t.length && isWs(t.charCodeAt(p))) p++;
    this.pos = p;
  }

  /** Parses the value at `pos` into `outValue`/`outCanon`. */
  value(depth: number): void {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x22: {
        // "
        const start = this.pos;
        const str = this.string();
        this.outValue = str;
        this.outCanon = this.plain ? t.slice(start, this.pos) : pythonAsciiString(str);
        return;
      }
      case 0x7b: // {
        this.object(depth + 1);
        return;
      case 0x5b: // [
        this.array(depth + 1);
        return;
      case 0x6e: // n
        this.literal('null', null, 'null');
        return;
      case 0x74: // t
        this.literal('true', true, 'true');
        return;
      case 0x66: // f
        this.literal('false', false, 'false');
        return;
      case 0x4e: // N
        this.literal('NaN', Number.NaN, 'NaN');
        return;
      case 0x49: // I
        this.literal('Infinity', Number.POSITIVE_INFINITY, 'Infinity');
        return;
      case 0x2d: // -
        if (t.charCodeAt(this.pos + 1) === 0x49) {
          this.literal('-Infinity', Number.NEGATIVE_INFINITY, '-Infinity');
          return;
        }
        this.number();
        return;
      default:
        if (c >= 0x30 && c <= 0x39) {
          this.number();
          return;
        }
        this.fail('Expecting value');
    }
  }

  literal(word: string, value: unknown, canon: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail('Expecting value');
    if (typeof value === 'number') this.sawNonFinite = true;
    this.pos += word.length;
    this.outValue = value;
    this.outCanon = canon;
  }

  /** JSON number grammar exactly as CPython's `_match_number_unicode`. */
  number(): void {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 0x2d) p++;
    let c = t.charCodeAt(p);
    if (c === 0x30) p++;
    else if (c >= 0x31 && c <= 0x39) {
      p++;
      for (c = t.charCodeAt(p); c >= 0x30 && c <= 0x39; c = t.charCodeAt(++p));
    } else this.fail('Expecting value', start);
    const intEnd = p;
    let isFloat = false;
    c = t.charCodeAt(p + 1);
    if (t.charCodeAt(p) === 0x2e && c >= 0x30 && c <= 0x39) {
      p += 2;
      for (c = t.charCodeAt(p); c >= 0x30 && c <= 0x39; c = t.charCodeAt(++p));
      isFloat = true;
    }
    c = t.charCodeAt(p);
    if (c === 0x65 || c === 0x45) {
      // An exponent without digits is not part of the number ("1e" → 1, then "e" is extra data).
      let q = p + 1;
      c = t.charCodeAt(q);
      if (c === 0x2b || c === 0x2d) q++;
      const digitsStart = q;
      for (c = t.charCodeAt(q); c >= 0x30 && c <= 0x39; c = t.charCodeAt(++q));
      if (q > digitsStart) {
        p = q;
        isFloat = true;
      }
    }
    this.pos = p;
    const lexeme = t.slice(start, p);
    if (isFloat) {
      const x = Number(lexeme);
      this.outValue = x;
      this.outCanon = pythonFloatRepr(x);
      return;
    }
    const negative = t.charCodeAt(start) === 0x2d;
    if (intEnd - start - (negative ? 1 : 0) > MAX_INT_DIGITS) {
      this.fail(`Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`, start);
    }
    this.outValue = Number(lexeme);
    // Python prints ints exactly; the only lexeme it changes is "-0" (int zero has no sign).
    this.outCanon = lexeme === '-0' ? '0' : lexeme;
  }

  /** Parses a string literal at `pos` (which is the opening quote) and returns its value. */
  string(): string {
    const t = this.text;
    const start = this.pos + 1;
    let p = start;
    // Fast path: no escapes. `ascii` stays true while every character is in 0x20..0x7E.
    let ascii = true;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        this.plain = ascii;
        return t.slice(start, p);
      }
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break;
      if (c > 0x7e) ascii = false;
      p++;
    }
    this.plain = false;
    let out = t.slice(start, p);
    let from = p;
    for (;;) {
      if (p >= t.length) this.fail('Unterminated string starting', start - 1);
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        out += t.slice(from, p);
        this.pos = p + 1;
        return out;
      }
      if (c < 0x20) this.fail('Invalid control character', p);
      if (c !== 0x5c) {
        p++;
        continue;
      }
      out += t.slice(from, p);
      const e = t.charCodeAt(p + 1);
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          let code = 0;
          for (let k = 2; k < 6; k++) {
            const h = hexValue(t.charCodeAt(p + k));
            if (h < 0) this.fail('Invalid \\uXXXX escape', p);
            code = code * 16 + h;
          }
          // Surrogate pairs need no joining: their UTF-16 units simply follow each other.
          out += String.fromCharCode(code);
          p += 6;
          from = p;
          continue;
        }
        default:
          if (Number.isNaN(e)) this.fail('Unterminated string starting', start - 1);
          this.fail('Invalid \\escape', p);
      }
      p += 2;
      from = p;
    }
  }

  object(depth: number): void {
    if (depth > MAX_DEPTH) throw new PythonJsonError('too_deep', 'JSON nesting is too deep', this.pos);
    const t = this.text;
    this.pos++;
    this.skipWs();
    const obj: Record<string, unknown> | undefined = this.build ? {} : undefined;
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      if (depth === 1) this.topMembers = new Map();
      this.outValue = obj;
      this.outCanon = '{}';
      return;
    }
    // Canonical `"key":value` text per key; a duplicate key replaces the earlier one
    // (Python: last wins). The top level also records each value's text on its own.
    const members = new Map<string, string>();
    const top = depth === 1 ? new Map<string, string>() : undefined;
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) {
        this.fail('Expecting property name enclosed in double quotes');
      }
      const keyStart = this.pos;
      const key = this.string();
      const keyCanon = this.plain ? t.slice(keyStart, this.pos) : pythonAsciiString(key);
      this.skipWs();
      if (t.charCodeAt(this.pos) !== 0x3a) this.fail("Expecting ':' delimiter");
      this.pos++;
      this.skipWs();
      this.value(depth);
      if (obj !== undefined) setOwn(obj, key, this.outValue);
      members.set(key, `${keyCanon}:${this.outCanon}`);
      top?.set(key, this.outCanon);
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 0x7d) {
        this.pos++;
        break;
      }
      if (c !== 0x2c) this.fail("Expecting ',' delimiter");
      this.pos++;
      this.skipWs();
    }
    if (top !== undefined) this.topMembers = top;
    const keys = Array.from(members.keys()).sort(compareCodePoints);
    let canon = '{';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) canon += ',';
      canon += members.get(keys[i]!)!;
    }
    this.outValue = obj;
    this.outCanon = `${canon}}`;
  }

  array(depth: number): void {
    if (depth > MAX_DEPTH) throw new PythonJsonError('too_deep', 'JSON nesting is too deep', this.pos);
    const t = this.text;
    this.pos++;
    this.skipWs();
    const arr: unknown[] | undefined = this.build ? [] : undefined;
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.outValue = arr;
      this.outCanon = '[]';
      return;
    }
    let canon = '[';
    for (let n = 0; ; n++) {
      this.value(depth);
      arr?.push(this.outValue);
      canon += n === 0 ? this.outCanon : `,${this.outCanon}`;
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 0x5d) {
        this.pos++;
        break;
      }
      if (c !== 0x2c) this.fail("Expecting ',' delimiter");
      this.pos++;
      this.skipWs();
    }
    this.outValue = arr;
    this.outCanon = `${canon}]`;
  }
}

/** Lowercase hex HMAC-SHA256 of an already canonical text, keyed with the org API key (UTF-8). */
export function signSec44Canonical(apiKey: string, canonical: string): string {
  return createHmac('sha256', Buffer.from(apiKey, 'utf8')).update(canonical, 'utf8').digest('hex');
}

/**
 * sec44's body signature: lowercase hex HMAC-SHA256(key = API key as UTF-8, message =
 * canonical JSON of the body). Like sec44's `sign_request`, the body must be a JSON object
 * or list; throws {@link PythonJsonError} otherwise or when it is not valid JSON.
 */
export function signSec44Body(apiKey: string, rawBody: string | Uint8Array): string {
  const parsed = parsePythonJson(rawBody);
  if (!parsed.container) {
    throw new PythonJsonError('not_object_or_list', 'request body must be a JSON object or list');
  }
  return signSec44Canonical(apiKey, parsed.canonical);
}

/**
 * Constant-time equality of two signature strings. Compared as given (sec44 uses
 * `hmac.compare_digest` on the strings, so upper-case hex does not match); different
 * lengths are rejected after a dummy comparison of equal cost.
 */
export function signatureEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * True when `signatureHex` is sec44's signature of `rawBody` under `apiKey`. A wrong,
 * empty or malformed signature, and a body that is a JSON scalar, give `false`; a body that
 * is not JSON at all throws {@link PythonJsonError} (the server maps it to 400).
 */
export function verifySec44Signature(
  apiKey: string,
  rawBody: string | Uint8Array,
  signatureHex: string,
): boolean {
  const parsed = parsePythonJson(rawBody);
  if (!parsed.container || signatureHex.length === 0) return false;
  return signatureEquals(signSec44Canonical(apiKey, parsed.canonical), signatureHex);
}

/** Detailed outcome of {@link checkSec44Signature}, with sec44's own error wording. */
export type Sec44SignatureCheck =
  | { ok: true; value: unknown; canonical: string }
  | {
      ok: false;
      /** `invalid_json` → 400; the others → 401 (sec44 reasons `signature_error`/`invalid_signature`). */
      code: 'invalid_json' | 'signature_error' | 'invalid_signature';
      message: string;
    };

/**
 * Verifies a sec44 body signature and hands back the parsed body, so the server parses
 * each request once. Messages follow sec44: `signature error: missing signature`,
 * `signature error: request body must be a JSON object or list`, `invalid signature`.
 * Never throws for client input.
 */
export function checkSec44Signature(
  apiKey: string,
  rawBody: string | Uint8Array,
  signatureHex: string | undefined,
): Sec44SignatureCheck {
  if (!signatureHex)
    return { ok: false, code: 'signature_error', message: 'signature error: missing signature' };
  let parsed: PythonJsonResult;
  try {
    parsed = parsePythonJson(rawBody);
  } catch (err) {
    if (err instanceof PythonJsonError) {
      return { ok: false, code: 'invalid_json', message: `invalid JSON body: ${err.message}` };
    }
    throw err;
  }
  if (!parsed.container) {
    return {
      ok: false,
      code: 'signature_error',
      message: 'signature error: request body must be a JSON object or list',
    };
  }
  if (!signatureEquals(signSec44Canonical(apiKey, parsed.canonical), signatureHex)) {
    return { ok: false, code: 'invalid_signature', message: 'invalid signature' };
  }
  return { ok: true, value: parsed.value, canonical: parsed.canonical };
}
