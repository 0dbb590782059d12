/**
 * Sanitization as seed 002 does it (CONTRACTS.md §2.3): strip control characters, redact
 * e-mail-like strings, cap lengths. The rules are `@harrier/schema`'s `sanitize.ts`, imported
 * by file for the same reason as the signing helpers (see request-signing.ts).
 */
import { SANITIZE_MAX_LENGTH, sanitizeText } from '../../schema/src/sanitize.ts';

/** Default length cap for any string value (seed 002's limit). */
export const MAX_STRING_LENGTH = SANITIZE_MAX_LENGTH;

/** Sanitizes one string: control characters removed, e-mails redacted, length capped. */
export function sanitizeString(value: string, maxLength: number = MAX_STRING_LENGTH): string {
  return sanitizeText(value, maxLength);
}

/** Sanitizes a flat field map (keys and string values); `undefined` values are left out. */
export function sanitizeFields(
  fields: Record<string, string | number | boolean | null | undefined>,
  maxLength: number = MAX_STRING_LENGTH,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[sanitizeText(key, 128)] = typeof value === 'string' ? sanitizeText(value, maxLength) : value;
  }
  return out;
}
