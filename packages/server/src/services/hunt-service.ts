import {
  type Catalog,
  type CompiledQuery,
  type CompileOptions,
  compileHistogram,
  compileQuery,
  compileQuickFilter,
  compileQuickFilterHistogram,
  decodeRows,
  describeCatalog,
  type OutputColumn,
  QueryError,
  type QueryWarning,
  type ResultValue,
  type TableDescription,
} from '@harrier/query';
import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { EVENT_ROLLUP_SPEC } from '../db/event-rollups.ts';
import type { QueryHistoryTable } from '../db/hunting-tables.ts';
import { ReadersBusyError } from '../db/sqlite-reader-pool.ts';
import { badRequest, HarrierError, serviceUnavailable } from '../errors.ts';
import { HuntRepository, type HuntStatement, HuntTimeoutError } from '../repositories/hunt-repository.ts';
import { QueryHistoryRepository } from '../repositories/query-history-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import { restrictCatalog, serverCatalog } from './hunt-catalog.ts';

/** Bounds on every hunt; the defaults suit a single node. */
export interface HuntLimits {
  /** Most rows a hunt returns (`take` above it is refused). */
  maxRows: number;
  /** Most rows an export writes. */
  exportMaxRows: number;
  /** Widest time range; also the range of a hunt that names none. */
  maxTimeRangeMs: number;
  /** Time limit of one statement: PostgreSQL's statement timeout; on SQLite the reader process is killed. */
  timeoutMs: number;
}

export const DEFAULT_HUNT_LIMITS: HuntLimits = {
  maxRows: 10_000,
  exportMaxRows: 100_000,
  maxTimeRangeMs: 90 * 86_400_000,
  timeoutMs: 30_000,
};

/** Who runs a hunt: the organization scopes every table read; the user owns the history entry. */
export interface HuntCaller {
  orgId: string;
  /** Null for the scheduler (no history is kept). */
  userId: string | null;
}

export interface HuntInput {
  query: string;
  from?: number | undefined;
  to?: number | undefined;
  limit?: number | undefined;
  /** Histogram bucket size; a round size is chosen when absent. */
  bucketMs?: number | undefined;
  histogram?: boolean | undefined;
}

export interface Histogram {
  bucketMs: number;
  from: number | undefined;
  to: number | undefined;
  buckets: Array<{ start: number; count: number }>;
}

export interface HuntResult {
  table: string;
  columns: OutputColumn[];
  rows: ResultValue[][];
  histogram: Histogram | null;
  warnings: QueryWarning[];
  limit: number;
  truncated: boolean;
  range: { from?: number | undefined; to?: number | undefined };
  queryMs: number;
  histogramMs: number;
  elapsedMs: number;
}

export interface ExploreInput {
  filter: string;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  before?: { ts: number; id: string } | undefined;
  histogram?: boolean | undefined;
}

export type HistoryKind = QueryHistoryTable['kind'];

/** Most zero-filled buckets in a histogram; beyond it only non-empty buckets are returned. */
const MAX_FILLED_BUCKETS = 2000;

/**
 * Runs hunting queries and quick filters for one organization: compiles them with the caller's
 * organization (never a value from the request), runs them under the limits, adds the
 * histogram and statistics, and keeps the caller's history. Query problems become 400s whose
 * details are the QueryError's position and message.
 */
export class HuntService {
  private readonly repo: HuntRepository;
  private readonly history: QueryHistoryRepository;
  private catalogPromise: Promise<Catalog> | undefined;

  constructor(
    private readonly database: HarrierDatabase,
    readonly limits: HuntLimits = DEFAULT_HUNT_LIMITS,
  ) {
    this.repo = new HuntRepository(database.db, database.dialect, database.readers);
    this.history = new QueryHistoryRepository(database.db);
  }

  /** The tables and columns hunts may read: the server catalog, narrowed to what the store has. */
  catalog(): Promise<Catalog> {
    this.catalogPromise ??= (async () => {
      const base = serverCatalog();
      const existing = await this.repo.columnsOf(Object.values(base.tables).map((t) => t.sqlTable));
      return restrictCatalog(base, existing);
    })();
    // A failed introspection is retried by the next hunt instead of being cached.
    this.catalogPromise.catch(() => {
      this.catalogPromise = undefined;
    });
    return this.catalogPromise;
  }

  /** The schema for the console's editor (names and types only, no SQL names). */
  async describe(): Promise<TableDescription[]> {
    return describeCatalog(await this.catalog());
  }

  /** Runs a hunt; with `histogram` also counts its matching rows per time bucket. */
  async hunt(caller: HuntCaller, input: HuntInput, kind: HistoryKind = 'hunt'): Promise<HuntResult> {
    const started = performance.now();
    const now = Date.now();
    try {
      const cap = kind === 'export' ? this.limits.exportMaxRows : this.limits.maxRows;
      const options = await this.options(caller.orgId, now, input.from, input.to, input.limit, cap);
      const compiled = compile(() => compileQuery(input.query, options));
      const histogram =
        input.histogram === false ? undefined : this.tryHistogram(input.query, options, input.bucketMs);
      const [rows, hist] = await Promise.all([
        this.timed(compiled),
        histogram ? this.timed(histogram) : Promise.resolve(undefined),
      ]);
      const result: HuntResult = {
        table: compiled.table,
        columns: compiled.columns,
        rows: decodeRows(compiled.columns, rows.rows),
        histogram: histogram && hist ? buildHistogram(histogram, hist.rows) : null,
        warnings: compiled.warnings,
        limit: compiled.limit,
        truncated: rows.rows.length >= compiled.limit,
        range: compiled.range,
        queryMs: rows.ms,
        histogramMs: hist?.ms ?? 0,
        elapsedMs: performance.now() - started,
      };
      await this.remember(caller, kind, input, now, 'ok', null, result.rows.length, result.elapsedMs);
      return result;
    } catch (error) {
      const failure = toHttpError(error);
      await this.remember(
        caller,
        kind,
        input,
        now,
        error instanceof HuntTimeoutError ? 'timeout' : 'error',
        !(failure instanceof HarrierError)
          ? 'internal_error'
          : failure.code === 'invalid_query'
            ? String((failure.details as { code?: string }).code)
            : failure.code,
        null,
        performance.now() - started,
      );
      throw failure;
    }
  }

  /** A page of the events explorer: a quick filter, newest first, with a keyset cursor. */
  async explore(
    orgId: string,
    input: ExploreInput,
  ): Promise<{
    columns: OutputColumn[];
    rows: ResultValue[][];
    histogram: Histogram | null;
    range: { from?: number | undefined; to?: number | undefined };
    elapsedMs: number;
  }> {
    const started = performance.now();
    try {
      const options = await this.options(orgId, Date.now(), input.from, input.to, this.limits.maxRows);
      const compiled = compile(() =>
        compileQuickFilter(input.filter, { ...options, limit: input.limit, before: input.before }),
      );
      const histogram = input.histogram
        ? compile(() => compileQuickFilterHistogram(input.filter, options))
        : undefined;
      const [rows, hist] = await Promise.all([
        this.timed(compiled),
        histogram ? this.timed(histogram) : Promise.resolve(undefined),
      ]);
      return {
        columns: compiled.columns,
        rows: decodeRows(compiled.columns, rows.rows),
        histogram: histogram && hist ? buildHistogram(histogram, hist.rows) : null,
        range: compiled.range,
        elapsedMs: performance.now() - started,
      };
    } catch (error) {
      throw toHttpError(error);
    }
  }

  /** Compiles a query without running it (saved queries are checked when stored). */
  async check(orgId: string, query: string): Promise<void> {
    const options = await this.options(orgId, Date.now(), undefined, undefined, this.limits.maxRows);
    compile(() => compileQuery(query, options));
  }

  /** The caller's recent hunts, newest first. */
  recent(caller: { orgId: string; userId: string }, before: string | undefined, limit: number) {
    return this.history.list(caller.orgId, caller.userId, before, limit);
  }

  /** Forgets the caller's history; returns how many entries were removed. */
  clearRecent(caller: { orgId: string; userId: string }): Promise<number> {
    return this.history.clear(caller.orgId, caller.userId);
  }

  private async options(
    orgId: string,
    now: number,
    from: number | undefined,
    to: number | undefined,
    limit: number | undefined,
    cap: number = this.limits.maxRows,
  ): Promise<CompileOptions> {
    const maxRows = limit ?? cap;
    if (!Number.isSafeInteger(maxRows) || maxRows < 1 || maxRows > cap) {
      throw badRequest('invalid_limit', `limit must be between 1 and ${cap}.`);
    }
    const timeRange: { from?: number; to?: number } = {};
    if (from !== undefined) timeRange.from = from;
    if (to !== undefined) timeRange.to = to;
    // A range open on one side is closed by the widest allowed span, so it is never unbounded.
    if (from === undefined && to !== undefined) timeRange.from = to - this.limits.maxTimeRangeMs;
    if (from !== undefined && to === undefined) timeRange.to = Math.max(now, from + 1);
    return {
      dialect: this.database.dialect,
      orgId,
      now,
      maxRows,
      maxTimeRangeMs: this.limits.maxTimeRangeMs,
      catalog: await this.catalog(),
      // Whole days of `summarize count() by` read the per-day rollups (migration 0012).
      rollup: EVENT_ROLLUP_SPEC,
      ...(from !== undefined || to !== undefined ? { timeRange } : {}),
    };
  }

  private tryHistogram(
    query: string,
    options: CompileOptions,
    bucketMs: number | undefined,
  ): CompiledQuery | undefined {
    try {
      return compileHistogram(query, { ...options, ...(bucketMs !== undefined ? { bucketMs } : {}) });
    } catch (error) {
      // Tables without a time column have no histogram; other problems were reported by the query.
      if (error instanceof QueryError) return undefined;
      throw error;
    }
  }

  private async timed(statement: HuntStatement): Promise<{ rows: unknown[]; ms: number }> {
    const t0 = performance.now();
    const rows = await this.repo.run(statement, this.limits.timeoutMs);
    return { rows, ms: performance.now() - t0 };
  }

  private async remember(
    caller: HuntCaller,
    kind: HistoryKind,
    input: HuntInput,
    now: number,
    status: QueryHistoryTable['status'],
    errorCode: string | null,
    rowCount: number | null,
    elapsedMs: number,
  ): Promise<void> {
    if (caller.userId === null) return;
    try {
      await commitThroughWriter(this.database, [
        this.history.insertQuery({
          id: uuidv7(now),
          org_id: caller.orgId,
          user_id: caller.userId,
          kind,
          query: input.query.slice(0, 20_000),
          time_from: input.from ?? null,
          time_to: input.to ?? null,
          status,
          error_code: errorCode,
          row_count: rowCount,
          elapsed_ms: Math.round(elapsedMs * 10) / 10,
          created_at: now,
        }),
      ]);
    } catch {
      // History is a convenience: a failed insert must not fail the hunt.
    }
  }
}

/** Runs a compile step, turning a QueryError into the API's 400. */
function compile<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw toHttpError(error);
  }
}

/**
 * The HTTP error of a failed hunt: query problems and timeouts are the client's (400, with the
 * position in `details`); values the database refuses (bad casts, invalid patterns) too.
 */
export function toHttpError(error: unknown): Error {
  if (error instanceof HarrierError) return error;
  if (error instanceof QueryError) return badRequest('invalid_query', error.message, error.toJSON());
  if (error instanceof ReadersBusyError) {
    return serviceUnavailable(
      'hunt_capacity',
      'Every SQLite hunt reader is busy and the queue is full; retry shortly.',
      error.retryAfterSeconds,
    );
  }
  if (error instanceof HuntTimeoutError) {
    return badRequest(
      'query_timeout',
      `The query was stopped: ${error.message}. Narrow the time range or filter.`,
      {
        code: 'TIME_LIMIT',
        message: error.message,
        line: 1,
        column: 1,
        offset: 0,
        expected: [],
      },
    );
  }
  const e = error as { code?: unknown; message?: unknown };
  const pgCode = typeof e.code === 'string' ? e.code : '';
  // 22xxx: data exceptions (a cast of text that is not a number, an invalid regular expression).
  if (
    /^22[0-9A-Z]{3}$/.test(pgCode) ||
    (pgCode === 'SQLITE_ERROR' && /regexp|json/i.test(String(e.message)))
  ) {
    return badRequest('query_failed', `The query could not be evaluated: ${String(e.message)}`, {
      code: 'INVALID_ARGUMENT',
      message: String(e.message),
      line: 1,
      column: 1,
      offset: 0,
      expected: [],
    });
  }
  // Anything else is ours: the error handler logs it and answers 500.
  return error instanceof Error ? error : new Error(String(error));
}

function buildHistogram(compiled: CompiledQuery, rows: unknown[]): Histogram {
  const bucketMs = (compiled as CompiledQuery & { bucketMs: number }).bucketMs;
  const counts = new Map<number, number>();
  for (const [start, count] of decodeRows(compiled.columns, rows)) {
    if (typeof start === 'number') counts.set(start, Number(count ?? 0));
  }
  const { from, to } = compiled.range;
  const buckets: Array<{ start: number; count: number }> = [];
  if (from !== undefined && to !== undefined && (to - from) / bucketMs <= MAX_FILLED_BUCKETS) {
    for (let b = Math.floor(from / bucketMs) * bucketMs; b < to; b += bucketMs) {
      buckets.push({ start: b, count: counts.get(b) ?? 0 });
    }
  } else {
    for (const [start, count] of [...counts].sort((a, b) => a[0] - b[0])) buckets.push({ start, count });
  }
  return { bucketMs, from, to, buckets };
}
