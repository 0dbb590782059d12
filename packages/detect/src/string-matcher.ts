/**
 * Compiles a wildcard pattern into the cheapest string test that implements it: equality,
 * prefix, suffix, substring, ordered substrings for `*`-only globs, and an anchored RegExp only
 * when `?` is involved. Case-insensitive patterns are lowercased here once; the caller passes
 * lowercased values.
 */
import { normalizeParts, ONE, type SigmaPart, STAR } from './sigma-string.ts';

/** A compiled test on one string value. */
export type StringTest = (value: string) => boolean;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Builds the test for a full-value glob (`parts` must already be lowercased when case-insensitive). */
export function compileGlob(input: readonly SigmaPart[]): StringTest {
  const parts = normalizeParts(input);
  if (parts.length === 0) return (v) => v === '';
  if (parts.includes(ONE)) {
    const src = parts
      .map((p) => (p === STAR ? '[\\s\\S]*' : p === ONE ? '[\\s\\S]' : escapeRegExp(p)))
      .join('');
    const re = new RegExp(`^${src}$`);
    return (v) => re.test(v);
  }
  const n = parts.length;
  const first = parts[0]!;
  const last = parts[n - 1]!;
  if (n === 1) {
    if (first === STAR) return () => true;
    const lit = first as string;
    return (v) => v === lit;
  }
  if (n === 2) {
    if (first === STAR) {
      const lit = last as string;
      return (v) => v.endsWith(lit);
    }
    const lit = first as string;
    return (v) => v.startsWith(lit);
  }
  if (n === 3 && first === STAR && last === STAR) {
    const lit = parts[1] as string;
    return (v) => v.includes(lit);
  }
  if (n === 3 && first !== STAR && last !== STAR) {
    const a = first as string;
    const b = last as string;
    const min = a.length + b.length;
    return (v) => v.length >= min && v.startsWith(a) && v.endsWith(b);
  }
  // General `*`-only glob: anchored head and tail, the middle literals found left to right.
  const head = first === STAR ? '' : (first as string);
  const tail = last === STAR ? '' : (last as string);
  const mids = parts
    .slice(first === STAR ? 0 : 1, last === STAR ? n : n - 1)
    .filter((p): p is string => typeof p === 'string');
  const minLen = head.length + tail.length;
  return (v) => {
    if (v.length < minLen || !v.startsWith(head) || !v.endsWith(tail)) return false;
    let pos = head.length;
    const end = v.length - tail.length;
    for (const m of mids) {
      const at = v.indexOf(m, pos);
      if (at < 0 || at + m.length > end) return false;
      pos = at + m.length;
    }
    return true;
  };
}

/**
 * The glob as a RegExp on raw (not lowercased) text: `i` for case-insensitive matching. Used
 * where lowercasing every value first would cost more than the regex (keyword search).
 */
export function globToRegExp(input: readonly SigmaPart[], caseInsensitive: boolean): RegExp {
  const parts = normalizeParts(input);
  const src = parts
    .map((p) => (p === STAR ? '[\\s\\S]*' : p === ONE ? '[\\s\\S]' : escapeRegExp(p)))
    .join('');
  // Leading/trailing `*` need no anchor; otherwise anchor that end.
  const head = parts[0] === STAR ? '' : '^';
  const tail = parts[parts.length - 1] === STAR ? '' : '$';
  const body = src.replace(/^\[\\s\\S\]\*/, '').replace(/\[\\s\\S\]\*$/, '');
  return new RegExp(`${head}${body}${tail}`, caseInsensitive ? 'i' : '');
}
