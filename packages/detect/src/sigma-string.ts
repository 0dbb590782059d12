/**
 * Sigma string values: wildcards `*` (any run) and `?` (one character) and their escapes, with
 * pySigma's rules: a backslash escapes `*`, `?` and `\`; before any other character it is kept
 * as a plain backslash (so `C:\Windows` needs no doubling, and `\\*` is a backslash then a
 * wildcard).
 */

/** One piece of a Sigma string: literal text or a wildcard. */
export type SigmaPart = string | typeof STAR | typeof ONE;

/** Wildcard matching any run of characters (possibly empty). */
export const STAR: unique symbol = Symbol('*');
/** Wildcard matching exactly one character. */
export const ONE: unique symbol = Symbol('?');

/** Splits a Sigma string into literals and wildcards, resolving escapes. */
export function parseSigmaString(raw: string): SigmaPart[] {
  const parts: SigmaPart[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else {
        lit += c;
      }
    } else if (c === '*') {
      flush();
      if (parts[parts.length - 1] !== STAR) parts.push(STAR);
    } else if (c === '?') {
      flush();
      parts.push(ONE);
    } else {
      lit += c;
    }
  }
  flush();
  return parts;
}

/** Merges adjacent literals and collapses runs of `*`. */
export function normalizeParts(parts: readonly SigmaPart[]): SigmaPart[] {
  const out: SigmaPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else if (p === STAR && last === STAR) {
    } else {
      out.push(p);
    }
  }
  return out;
}

/** Lowercases the literal parts (case-insensitive patterns compare against lowercased values). */
export function lowerParts(parts: readonly SigmaPart[]): SigmaPart[] {
  return parts.map((p) => (typeof p === 'string' ? p.toLowerCase() : p));
}
