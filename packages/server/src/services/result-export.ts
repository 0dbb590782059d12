import { Readable } from 'node:stream';
import type { OutputColumn, ResultValue } from '@harrier/query';
import { presentValue } from '../presenters/hunt-presenter.ts';

export type ExportFormat = 'csv' | 'json';

/** Rows serialized per chunk written to the response. */
const ROWS_PER_CHUNK = 500;

/**
 * A cell as CSV text: quoted when needed, and text that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR at the start) prefixed with `'`. Event data is attacker-controlled.
 */
export function csvCell(value: ResultValue): string {
  if (value === null) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Streams result rows as CSV (a header, then one line per row, CRLF as RFC 4180 says) or JSON
 * (an array of objects keyed by column name), a chunk of rows at a time so a large export is
 * never one string in memory.
 */
export function exportStream(
  format: ExportFormat,
  columns: readonly OutputColumn[],
  rows: readonly ResultValue[][],
): Readable {
  function* csv(): Generator<string> {
    yield `${columns.map((c) => csvCell(c.name)).join(',')}\r\n`;
    for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
      let chunk = '';
      for (const row of rows.slice(i, i + ROWS_PER_CHUNK)) {
        chunk += `${columns.map((c, j) => csvCell(presentValue(c.type, row[j] ?? null))).join(',')}\r\n`;
      }
      yield chunk;
    }
  }
  function* json(): Generator<string> {
    yield '[';
    for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
      const parts: string[] = [];
      for (const row of rows.slice(i, i + ROWS_PER_CHUNK)) {
        const obj: Record<string, ResultValue> = {};
        columns.forEach((c, j) => {
          obj[c.name] = presentValue(c.type, row[j] ?? null);
        });
        parts.push(JSON.stringify(obj));
      }
      yield `${i === 0 ? '\n' : ',\n'}${parts.join(',\n')}`;
    }
    yield '\n]\n';
  }
  return Readable.from(format === 'csv' ? csv() : json(), { objectMode: false });
}
