/**
 * Sanitization as seed 002 does it (CONTRACTS.md §2.3): strip control characters, redact
 * e-mail-like strings, cap lengths. Kept local until `@harrier/schema` exports its own
 * `sanitize.ts`; the rules are the same, so switching changes nothing on the wire.
 */

// Same class as seed 002: keeps \t \n \r, strips the other C0 controls and DEL.
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;

/** Default length cap for any string value (seed 002's limit). */
export const MAX_STRING_LENGTH = 4096;

/** Sanitizes one string: control characters removed, e-mails redacted, length capped. */
export function sanitizeString(value: string, maxLength: number = MAX_STRING_LENGTH): string {
  let out = value.replace(CONTROL_CHARS, '').replace(EMAIL, '[email-redacted]');
  if (out.length > maxLength) out = out.slice(0, maxLength);
  return out;
}

/** Sanitizes a flat field map in place-free fashion; non-string scalars pass through. */
export function sanitizeFields(
  fields: Record<string, string | number | boolean | null | undefined>,
  maxLength: number = MAX_STRING_LENGTH,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const cleanKey = sanitizeString(key, 128);
    out[cleanKey] = typeof value === 'string' ? sanitizeString(value, maxLength) : value;
  }
  return out;
}
