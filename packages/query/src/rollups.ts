import { ident, int, joinSql, Sql, sql, text } from './dialects.ts';

/**
 * Per-day counts the store keeps next to a table (the server's `event_rollups_daily`): rows of
 * `(org_id, dims, day, <dimension columns>, n)`, `n` events of that organization on the UTC day
 * starting at `day` with those values, for each dimension set. Passed in the compile options
 * only when the store has them.
 */
export interface RollupSpec {
  /** SQL name of the table the counts summarize (the catalog table's `sqlTable`). */
  table: string;
  /** SQL name of the rollup table. */
  sqlTable: string;
  /** Length of one rollup period in ms; periods start at multiples of it. */
  dayMs: number;
  /** Dimension sets: `name` is the `dims` value, `columns` SQL columns of the summarized table. */
  dimensions: ReadonlyArray<{ name: string; columns: readonly string[] }>;
}

/** The smallest dimension set holding every column of `columns`, if any. */
export function coveringDimensions(
  spec: RollupSpec,
  columns: readonly string[],
): { name: string; columns: readonly string[] } | undefined {
  let best: { name: string; columns: readonly string[] } | undefined;
  for (const d of spec.dimensions) {
    if (!columns.every((c) => d.columns.includes(c))) continue;
    if (!best || d.columns.length < best.columns.length) best = d;
  }
  return best;
}

/**
 * A row source equivalent to the table's rows over `[from, to)` for counting by `columns`:
 * rollup rows for the whole periods inside the range, plus the table's own rows (weight 1) for
 * the partial periods at either end. Each row carries the columns and a weight `n`; the count of a
 * group is `sum(n)`. Undefined when no whole period fits (the raw query is as cheap then).
 */
export function rollupSource(options: {
  spec: RollupSpec;
  dims: { name: string; columns: readonly string[] };
  columns: readonly string[];
  /** Also carry each row's time as `t`: the period start for rollup rows, the instant for the rest. */
  time?: boolean;
  orgColumn: string;
  timeColumn: string;
  orgId: string;
  from: number;
  to: number | undefined;
  now: number;
}): Sql | undefined {
  const { spec, dims, columns, orgColumn, timeColumn, orgId, from, to } = options;
  const period = spec.dayMs;
  const floor = (t: number) => t - (((t % period) + period) % period);
  const first = from === floor(from) ? from : floor(from) + period;
  const last = floor(to ?? options.now);
  if (first >= last) return undefined;
  const cols = columns.map((c) => ident(c));
  const list = cols.length > 0 ? sql`${joinSql(cols, ', ')}, ` : new Sql([]);
  const org = ident(orgColumn);
  const t = ident(timeColumn);
  const rolledTime = options.time ? new Sql(['"day" AS "t", ']) : new Sql([]);
  const rawTime = options.time ? sql`${t} AS "t", ` : new Sql([]);
  const parts: Sql[] = [
    sql`SELECT ${list}${rolledTime}"n" FROM ${ident(spec.sqlTable)} WHERE "org_id" = ${text(orgId)} AND "dims" = ${text(
      dims.name,
    )} AND "day" >= ${int(first)} AND "day" < ${int(last)}`,
  ];
  const raw = (bounds: Sql) =>
    sql`SELECT ${list}${rawTime}1 AS "n" FROM ${ident(spec.table)} WHERE ${org} = ${text(orgId)} AND ${bounds}`;
  if (from < first) parts.push(raw(sql`${t} >= ${int(from)} AND ${t} < ${int(first)}`));
  if (to === undefined) parts.push(raw(sql`${t} >= ${int(last)}`));
  else if (last < to) parts.push(raw(sql`${t} >= ${int(last)} AND ${t} < ${int(to)}`));
  return sql`(${joinSql(parts, ' UNION ALL ')}) AS "rollup"`;
}
