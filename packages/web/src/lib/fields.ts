export type Row = Record<string, unknown>;

/** The first of `keys` the record has; lists answered by different APIs name the same thing differently. */
export function pick(row: Row, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = row[k];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

export function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export const rowId = (row: Row): string => text(pick(row, 'id', 'uuid', 'device_id'));
