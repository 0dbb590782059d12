import type { OutputColumn, QueryWarning, ResultValue } from '@harrier/query';
import type { QueryHistoryRow } from '../repositories/query-history-repository.ts';
import type { Histogram, HuntResult } from '../services/hunt-service.ts';
import { isoTime } from './time.ts';

/** A result value for JSON: datetimes as RFC 3339 UTC strings, everything else as decoded. */
export function presentValue(type: OutputColumn['type'], value: ResultValue): ResultValue {
  if (type === 'datetime' && typeof value === 'number' && Number.isFinite(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return value;
}

/** Result rows as arrays in column order, values presented. */
export function presentRows(
  columns: readonly OutputColumn[],
  rows: readonly ResultValue[][],
): ResultValue[][] {
  return rows.map((row) => columns.map((c, i) => presentValue(c.type, row[i] ?? null)));
}

/** The histogram of a hunt or explorer page: bucket starts as times, oldest first. */
export function presentHistogram(h: Histogram | null) {
  if (!h) return null;
  return {
    bucket_ms: h.bucketMs,
    from: isoTime(h.from),
    to: isoTime(h.to),
    buckets: h.buckets.map((b) => ({ start: isoTime(b.start)!, count: b.count })),
  };
}

function presentWarning(w: QueryWarning) {
  return { message: w.message, line: w.line, column: w.column, offset: w.offset };
}

/** `POST /api/v1/hunt`: columns, rows (arrays in column order), histogram, statistics. */
export function presentHuntResult(r: HuntResult) {
  return {
    table: r.table,
    columns: r.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: presentRows(r.columns, r.rows),
    histogram: presentHistogram(r.histogram),
    statistics: {
      row_count: r.rows.length,
      limit: r.limit,
      truncated: r.truncated,
      query_ms: round(r.queryMs),
      histogram_ms: round(r.histogramMs),
      time_range: { from: isoTime(r.range.from), to: isoTime(r.range.to) },
    },
    warnings: r.warnings.map(presentWarning),
    elapsed_ms: round(r.elapsedMs),
  };
}

/** Seed 004's `POST /search/kql` answer: hits as objects keyed by column name. */
export function presentKqlResult(query: string, r: HuntResult) {
  const hits = r.rows.map((row) => {
    const hit: Record<string, ResultValue> = {};
    r.columns.forEach((c, i) => {
      hit[c.name] = presentValue(c.type, row[i] ?? null);
    });
    return hit;
  });
  return {
    query,
    index: r.table,
    took_ms: Math.round(r.elapsedMs),
    total: hits.length,
    hits,
    fields: r.columns.map((c) => c.name),
  };
}

/** One entry of the caller's query history. */
export function presentHistoryEntry(h: QueryHistoryRow) {
  return {
    id: h.id,
    kind: h.kind,
    query: h.query,
    time_range: { from: isoTime(h.time_from), to: isoTime(h.time_to) },
    status: h.status,
    error_code: h.error_code,
    row_count: h.row_count,
    elapsed_ms: h.elapsed_ms,
    created_at: isoTime(h.created_at)!,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
