/**
 * Seed 002's sanitization (`shared/sanitization.py`, CONTRACTS.md §2.3), reproduced exactly so
 * the sec44 adapter stores what sec44 stores and the agent can apply the same rules before
 * sending: strip control characters, redact e-mail-like strings, cap the length, recursively
 * over the keys and values of objects and arrays.
 */

/** sec44's `MAX_STRING_LEN`: the default cap, in characters (code points, as Python counts). */
export const SANITIZE_MAX_LENGTH = 4096;

/** What e-mail-like strings are replaced with. */
export const EMAIL_REDACTED = '[email-redacted]';

/** C0 controls except \t \n \r, and DEL: the class sec44 strips. */
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/*
 * sec44's pattern is `\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b` on a Python `str`,
 * where `\w` (and so `\b`) is Unicode-aware: letters and digits of any script count as word
 * characters. JavaScript's `\b` is ASCII-only even with the `u` flag (it would see a boundary
 * between "é" and "b"), so the boundaries are spelled out with look-arounds over \p{L}\p{N}_.
 */
const W = String.raw`[\p{L}\p{N}_]`;
const BOUNDARY = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
const EMAIL = new RegExp(`${BOUNDARY}[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}(?!${W})`, 'gu');

/** `value` cut to at most `max` code points (Python's `text[:max]`), never splitting a surrogate pair. */
export function truncateCodePoints(value: string, max: number): string {
  if (value.length <= max) return value;
  let units = 0;
  for (let count = 0; count < max && units < value.length; count++) {
    const c = value.charCodeAt(units);
    const d = value.charCodeAt(units + 1);
    units += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return value.slice(0, units);
}

/**
 * Sanitizes one string as sec44's `sanitize_text` does: removes control characters
 * (keeping tab, LF, CR), replaces e-mail-like strings with `[email-redacted]`, then keeps the
 * first `maxLength` code points.
 */
export function sanitizeText(value: string, maxLength: number = SANITIZE_MAX_LENGTH): string {
  let text = value.replace(CONTROL_CHARS, '');
  // The regex needs an '@'; most strings have none, and skipping them keeps this cheap.
  if (text.includes('@')) text = text.replace(EMAIL, EMAIL_REDACTED);
  return truncateCodePoints(text, maxLength);
}

const utf8Replace = new TextDecoder('utf-8');

/**
 * Sanitizes a JSON-like value recursively (sec44's `sanitize_json`): object keys and string
 * values via {@link sanitizeText}; arrays element by element; numbers, booleans and null
 * unchanged; bytes decoded as UTF-8 with replacement characters; anything else becomes its
 * string form, sanitized. Keys that collide after sanitization keep the last value (as a
 * Python dict does). The input is not modified.
 */
export function sanitizeJson(value: unknown, maxLength: number = SANITIZE_MAX_LENGTH): unknown {
  if (typeof value === 'string') return sanitizeText(value, maxLength);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => sanitizeJson(item, maxLength));
  if (value instanceof Uint8Array) return sanitizeText(utf8Replace.decode(value), maxLength);
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const clean = sanitizeText(key, maxLength);
      const item = sanitizeJson((value as Record<string, unknown>)[key], maxLength);
      if (clean === '__proto__') {
        Object.defineProperty(out, clean, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[clean] = item;
    }
    return out;
  }
  return sanitizeText(String(value), maxLength);
}

/**
 * sec44's `sanitize_json_object` (used for `details_json`): the sanitized object, or
 * `undefined` when `value` is not a JSON object (sec44 rejects lists and scalars there).
 */
export function sanitizeJsonObject(
  value: unknown,
  maxLength: number = SANITIZE_MAX_LENGTH,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  return sanitizeJson(value, maxLength) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
