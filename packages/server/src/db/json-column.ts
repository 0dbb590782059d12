/**
 * JSON columns are text on SQLite and jsonb on PostgreSQL (which pg parses);
 * reading either gives the value.
 */
export function readJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}
