import { checkRegexSafety, splitInlineFlags } from '@harrier/schema';

/**
 * Builds the `regexp(pattern, value)` SQL function that compiled SQLite queries call (register it
 * with `db.function('regexp', { deterministic: true }, createSqliteRegexp())`). It understands the
 * leading inline flags the compiler emits (`(?i)`), re-checks every pattern with
 * checkRegexSafety (defence in depth: SQL may come from elsewhere), and caches compiled patterns.
 * Returns 1/0, or null for a null value, as SQLite expects of a predicate.
 */
export function createSqliteRegexp(cacheSize = 256): (pattern: unknown, value: unknown) => number | null {
  const cache = new Map<string, RegExp>();
  return (pattern, value) => {
    if (value === null || value === undefined) return null;
    if (typeof pattern !== 'string') throw new Error('regexp: pattern must be text');
    let re = cache.get(pattern);
    if (!re) {
      const verdict = checkRegexSafety(pattern);
      if (!verdict.safe) throw new Error(`regexp: refused pattern: ${verdict.reason}`);
      const { source, flags } = splitInlineFlags(pattern);
      re = new RegExp(source, flags.replace(/[^imsu]/g, ''));
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(pattern, re);
    }
    return re.test(String(value)) ? 1 : 0;
  };
}
