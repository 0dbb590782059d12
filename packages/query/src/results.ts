import type { OutputColumn } from './sql-compiler.ts';

/** A result value after decoding: what the API returns in JSON. */
export type ResultValue = string | number | boolean | null | Record<string, unknown> | unknown[];

function decodeValue(type: OutputColumn['type'], v: unknown): ResultValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'number':
    case 'datetime':
    case 'timespan': {
      // PostgreSQL returns bigint and numeric as strings, SQLite may return bigint.
      if (typeof v === 'number') return v;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
      return v === 'true' || v === 't' || v === '1';
    case 'dynamic':
      // SQLite hands JSON objects back as text, PostgreSQL as parsed values; align on parsed.
      if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
        try {
          return JSON.parse(v) as ResultValue;
        } catch {
          return v;
        }
      }
      if (typeof v === 'bigint') return Number(v);
      return v as ResultValue;
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/**
 * Decodes driver rows (objects keyed by column `key`, or arrays in column order) into arrays of
 * JSON-friendly values in column order, with the same types on SQLite and PostgreSQL.
 */
export function decodeRows(columns: readonly OutputColumn[], rows: readonly unknown[]): ResultValue[][] {
  return rows.map((row) => {
    if (Array.isArray(row)) return columns.map((c, i) => decodeValue(c.type, row[i]));
    const obj = row as Record<string, unknown>;
    return columns.map((c) => decodeValue(c.type, obj[c.key]));
  });
}

/** Like {@link decodeRows}, but each row as an object keyed by the analyst-facing column name. */
export function decodeRowObjects(
  columns: readonly OutputColumn[],
  rows: readonly unknown[],
): Array<Record<string, ResultValue>> {
  return decodeRows(columns, rows).map((values) => {
    const out: Record<string, ResultValue> = {};
    columns.forEach((c, i) => {
      out[c.name] = values[i] ?? null;
    });
    return out;
  });
}
