import { checkRegexSafety, splitInlineFlags } from '@harrier/schema';
import type { CompareOp, Expr, NamedExpr, Query, SortKey } from './ast.ts';
import {
  type Catalog,
  type CatalogTable,
  defaultCatalog,
  type FieldType,
  findTable,
  validateCatalog,
} from './catalog.ts';
import {
  bool,
  type DialectOps,
  dialectOps,
  ident,
  int,
  joinSql,
  type MatchKind,
  nonPortableRegex,
  num,
  render,
  Sql,
  type SqlDialect,
  sql,
  text,
} from './dialects.ts';
import { type Position, QueryError, START } from './errors.ts';
import { parseQuery } from './parser.ts';
import { coveringDimensions, type RollupSpec, rollupSource } from './rollups.ts';

/** A value's type during compilation; `timespan` is milliseconds. */
export type ValueType = FieldType | 'timespan';

/** Options every compilation needs. The org is never taken from the query text. */
export interface CompileOptions {
  dialect: SqlDialect;
  /** The caller's organization: every table access is filtered on it. */
  orgId: string;
  /** "Now" in epoch milliseconds, for ago() and now(); passed in so results are reproducible. */
  now: number;
  /** Largest number of rows a query may return; `take` above it is an error. */
  maxRows: number;
  /** Bounds on the table's time column: from inclusive, to exclusive, epoch ms. */
  timeRange?: { from?: number; to?: number };
  /** Widest time range allowed; with no `timeRange`, the range defaults to the last this-many ms. */
  maxTimeRangeMs?: number;
  /** Tables and columns; defaults to {@link defaultCatalog}. */
  catalog?: Catalog;
  /** Per-day counts the store keeps: `summarize count() by` whole days reads them instead of rows. */
  rollup?: RollupSpec;
}

/** One result column: `key` is the SQL alias rows carry, `name` what the analyst sees. */
export interface OutputColumn {
  name: string;
  type: ValueType;
  key: string;
}

/** Something legal but probably unintended, e.g. a misspelt field read from the JSON fields. */
export interface QueryWarning {
  message: string;
  line: number;
  column: number;
  offset: number;
}

/** Parameterized SQL ready to run, plus how to read its rows. */
export interface CompiledQuery {
  sql: string;
  params: Array<string | number | boolean>;
  columns: OutputColumn[];
  warnings: QueryWarning[];
  /** The time bounds applied to the table's time column (after defaults), epoch ms. */
  range: { from?: number; to?: number };
  /** The catalog table read. */
  table: string;
  /** The LIMIT applied (never above maxRows). */
  limit: number;
}

/** A histogram query: rows of (bucket start epoch ms, count), oldest first. */
export interface CompiledHistogram extends CompiledQuery {
  bucketMs: number;
}

/** Most parameters in one statement, far below SQLite's and PostgreSQL's limits. */
const MAX_PARAMS = 5000;
/** Deepest expression tree compiled (and/or chains count one level per operator). */
const MAX_SQL_DEPTH = 200;
/** Longest JSON field name accepted. */
const MAX_FIELD_NAME = 200;

interface ScopeCol {
  name: string;
  type: ValueType;
  sql: Sql;
  /** Known never null (time, org and id columns): lets sorting skip NULLS clauses and use indexes. */
  notNull?: boolean;
  /** Set for fields read from the JSON column, so comparisons can extract them with the right type. */
  json?: { column: Sql; key: string };
}

/** One ORDER BY key: the expression and its `DESC NULLS LAST`-style suffix, kept apart so a
 * subquery can expose the expression and the outer query keep the order. */
export interface OrderKey {
  expr: Sql;
  suffix: Sql;
}

export interface Stage {
  from: Sql;
  where: Sql[];
  select: ScopeCol[];
  scope: Map<string, ScopeCol>;
  /** The JSON column unknown fields come from; only while rows are the table's own. */
  jsonColumn?: Sql;
  /** Number of leading select columns that are GROUP BY keys, when aggregated. */
  groupKeys: number;
  aggregated: boolean;
  orderBy: OrderKey[];
  limit?: number;
  /** Rows are the catalog table's (not a subquery's). */
  base: boolean;
  /** The table's time column while rows are the table's own. */
  time?: Sql;
  /** The catalog table while rows are the table's own. */
  table?: CatalogTable;
  /** Number of `where` entries the base stage began with (organization and time bounds). */
  baseWhere?: number;
}

interface Typed {
  sql: Sql;
  type: ValueType;
  json?: { column: Sql; key: string };
  lit?:
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number; integer: boolean }
    | { kind: 'bool'; value: boolean }
    | { kind: 'other' };
  pos: Position;
  aggregate?: boolean;
  notNull?: boolean;
}

const AGGREGATES = new Set(['count', 'countif', 'dcount', 'min', 'max', 'avg', 'sum']);

/**
 * Parses and compiles a hunting query to parameterized SQL for one organization.
 * Throws {@link QueryError} for syntax errors, unknown tables or fields, type mismatches, unsafe
 * regular expressions and row or time limits.
 */
export function compileQuery(query: string | Query, options: CompileOptions): CompiledQuery {
  const ast = typeof query === 'string' ? parseQuery(query) : query;
  return new Compiler(options).compile(ast);
}

/**
 * Compiles the row-level filters of a query (everything before its first summarize, take, top,
 * distinct or count) into a count of rows per time bucket, for the results histogram.
 * `bucketMs` defaults to a round size giving at most about 100 buckets over the time range.
 */
export function compileHistogram(
  query: string | Query,
  options: CompileOptions & { bucketMs?: number; maxBuckets?: number },
): CompiledHistogram {
  const ast = typeof query === 'string' ? parseQuery(query) : query;
  return new Compiler(options).histogram(ast, options.bucketMs, options.maxBuckets ?? 100);
}

const DESC = new Sql(['DESC']);

/** Catalogs already checked: the check runs once per catalog object, not per query. */
const validatedCatalogs = new WeakSet<Catalog>();

const NICE_BUCKETS = [
  1000,
  5000,
  10_000,
  30_000,
  60_000,
  300_000,
  600_000,
  900_000,
  1_800_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
  30 * 86_400_000,
];

/** The smallest round bucket size that splits `spanMs` into at most `maxBuckets` buckets. */
export function chooseBucketMs(spanMs: number, maxBuckets = 100): number {
  for (const b of NICE_BUCKETS) if (spanMs / b <= maxBuckets) return b;
  return Math.ceil(spanMs / maxBuckets / 86_400_000) * 86_400_000;
}

/** The internal compiler; exported functions wrap it. Also used by the quick filter. */
export class Compiler {
  readonly ops: DialectOps;
  readonly catalog: Catalog;
  private subqueries = 0;
  /** Collected while compiling; returned with the SQL. */
  readonly warnings: QueryWarning[] = [];
  /** The effective time bounds (options plus defaults). */
  readonly range: { from?: number; to?: number };
  /** The table column behind each base-stage column expression, for rollup matching. */
  private readonly baseColumns = new WeakMap<Sql, string>();

  constructor(readonly options: CompileOptions) {
    validateOptions(options);
    this.ops = dialectOps(options.dialect);
    this.catalog = options.catalog ?? defaultCatalog;
    if (!validatedCatalogs.has(this.catalog)) {
      validateCatalog(this.catalog);
      validatedCatalogs.add(this.catalog);
    }
    this.range = effectiveRange(options);
  }

  /** Opens the table as a stage: org-scoped, time-bounded, all catalog columns in scope. */
  baseStage(tableName: string, pos: Position): { stage: Stage; table: CatalogTable; name: string } {
    const found = findTable(this.catalog, tableName);
    if (!found) {
      throw new QueryError(
        'TABLE_NOT_FOUND',
        `unknown table "${tableName}"; tables are ${Object.keys(this.catalog.tables).join(', ')}`,
        pos,
        Object.keys(this.catalog.tables),
      );
    }
    const { table } = found;
    const from = ident(table.sqlTable);
    const where: Sql[] = [sql`${ident(table.orgColumn)} = ${text(this.options.orgId)}`];
    if (table.timeColumn) {
      const t = ident(table.timeColumn);
      if (this.range.from !== undefined) where.push(sql`${t} >= ${int(this.range.from)}`);
      if (this.range.to !== undefined) where.push(sql`${t} < ${int(this.range.to)}`);
    }
    const scope = new Map<string, ScopeCol>();
    const select: ScopeCol[] = [];
    const seen = new Set<string>();
    for (const [name, col] of Object.entries(table.columns)) {
      const c: ScopeCol = { name, type: col.type, sql: ident(col.sql) };
      this.baseColumns.set(c.sql, col.sql);
      if (col.notNull || col.sql === table.orgColumn || col.sql === table.idColumn) c.notNull = true;
      scope.set(name, c);
      if (!col.hidden && !seen.has(col.sql)) {
        select.push(c);
        seen.add(col.sql);
      }
    }
    const stage: Stage = {
      from,
      where,
      select,
      scope,
      groupKeys: 0,
      aggregated: false,
      orderBy: [],
      base: true,
      baseWhere: where.length,
    };
    if (table.jsonColumn) stage.jsonColumn = ident(table.jsonColumn);
    if (table.timeColumn) stage.time = ident(table.timeColumn);
    stage.table = table;
    return { stage, table, name: found.name };
  }

  /** Compiles a parsed query: base stage, then each operator, then the final LIMIT. */
  compile(q: Query): CompiledQuery {
    const { stage: first, table, name } = this.baseStage(q.table, q.tablePos);
    let stage = first;
    for (const op of q.operators) stage = this.apply(stage, op);
    const limit = Math.min(stage.limit ?? this.options.maxRows, this.options.maxRows);
    stage.limit = limit;
    return { ...this.finish(stage, table), table: name, limit };
  }

  /** Compiles the row-level prefix of a query into counts per time bucket. */
  histogram(q: Query, bucketMs: number | undefined, maxBuckets: number): CompiledHistogram {
    const { stage: first, table, name } = this.baseStage(q.table, q.tablePos);
    if (!table.timeColumn) {
      throw new QueryError(
        'INVALID_ARGUMENT',
        `table ${name} has no time column for a histogram`,
        q.tablePos,
      );
    }
    let stage = first;
    for (const op of q.operators) {
      if (
        op.kind === 'summarize' ||
        op.kind === 'take' ||
        op.kind === 'top' ||
        op.kind === 'distinct' ||
        op.kind === 'count'
      )
        break;
      stage = this.apply(stage, op);
      if (!stage.base) break;
    }
    let size = bucketMs;
    const rollup = this.rollupEligible(stage) ? this.options.rollup : undefined;
    if (size === undefined) {
      const from = this.range.from;
      const to = this.range.to ?? this.options.now;
      size = from === undefined ? 3_600_000 : chooseBucketMs(Math.max(1, to - from), maxBuckets);
      // Over a week or more, day buckets let an unfiltered histogram come from the daily rollups.
      if (rollup && from !== undefined && size < rollup.dayMs && to - from >= 7 * rollup.dayMs)
        size = rollup.dayMs;
    }
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new QueryError(
        'INVALID_OPTIONS',
        'bucketMs must be a positive whole number of milliseconds',
        START,
      );
    }
    const size_ = int(size);
    const t = ident(table.timeColumn);
    const bucket = sql`(${t} / ${size_}) * ${size_}`;
    const fromRollup =
      rollup && size % rollup.dayMs === 0 && this.range.from !== undefined && this.range.from >= 0
        ? rollupSource({
            spec: rollup,
            dims: coveringDimensions(rollup, [])!,
            columns: [],
            time: true,
            orgColumn: table.orgColumn,
            timeColumn: table.timeColumn,
            orgId: this.options.orgId,
            from: this.range.from,
            to: this.range.to,
            now: this.options.now,
          })
        : undefined;
    const body = fromRollup
      ? sql`SELECT ("t" / ${size_}) * ${size_} AS "c0", CAST(sum("n") AS BIGINT) AS "c1" FROM ${fromRollup} GROUP BY 1 ORDER BY 1`
      : sql`SELECT ${bucket} AS "c0", count(*) AS "c1" FROM ${stage.from} WHERE ${joinSql(
          stage.where,
          ' AND ',
        )} GROUP BY 1 ORDER BY 1`;
    const out = this.renderChecked(body);
    return {
      ...out,
      columns: [
        { name: 'bucket', type: 'datetime', key: 'c0' },
        { name: 'count', type: 'number', key: 'c1' },
      ],
      table: name,
      limit: 0,
      bucketMs: size,
      warnings: this.warnings,
      range: { ...this.range },
    };
  }

  /** Renders for the configured dialect, refusing statements with too many parameters. */
  renderChecked(body: Sql): { sql: string; params: Array<string | number | boolean> } {
    const out = render(body, this.options.dialect);
    if (out.params.length > MAX_PARAMS) {
      throw new QueryError('TOO_COMPLEX', `query needs more than ${MAX_PARAMS} parameters`, START);
    }
    return out;
  }

  /** Renders the final stage, ordering by time (newest first) when nothing else was asked for. */
  finish(
    stage: Stage,
    table: CatalogTable,
    tieBreak = false,
  ): {
    sql: string;
    params: Array<string | number | boolean>;
    columns: OutputColumn[];
    warnings: QueryWarning[];
    range: { from?: number; to?: number };
  } {
    if (stage.base && !stage.aggregated && stage.orderBy.length === 0 && stage.time) {
      stage.orderBy.push({ expr: stage.time, suffix: DESC });
      if (tieBreak && table.idColumn) stage.orderBy.push({ expr: ident(table.idColumn), suffix: DESC });
    }
    const body = this.renderStage(stage);
    const out = this.renderChecked(body);
    return {
      ...out,
      columns: stage.select.map((c, i) => ({ name: c.name, type: c.type, key: `c${i}` })),
      warnings: this.warnings,
      range: { ...this.range },
    };
  }

  /** One SELECT for a stage; `columns` overrides the select list (wrap adds sort keys). */
  renderStage(stage: Stage, columns?: Array<{ sql: Sql; alias: string }>): Sql {
    const list = columns ?? stage.select.map((c, i) => ({ sql: c.sql, alias: `c${i}` }));
    const cols = list.map((c) => sql`${c.sql} AS ${ident(c.alias)}`);
    const parts: Sql[] = [sql`SELECT ${joinSql(cols, ', ')} FROM ${stage.from}`];
    if (stage.where.length > 0) parts.push(sql` WHERE ${joinSql(stage.where, ' AND ')}`);
    if (stage.aggregated && stage.groupKeys > 0) {
      const ordinals = Array.from({ length: stage.groupKeys }, (_, i) => new Sql([String(i + 1)]));
      parts.push(sql` GROUP BY ${joinSql(ordinals, ', ')}`);
    }
    if (stage.orderBy.length > 0) {
      const keys = stage.orderBy.map((k) => sql`${k.expr} ${k.suffix}`);
      parts.push(sql` ORDER BY ${joinSql(keys, ', ')}`);
    }
    if (stage.limit !== undefined) parts.push(sql` LIMIT ${int(stage.limit)}`);
    return joinSql(parts, '');
  }

  /** Turns the stage into a subquery so later operators see its output columns only. */
  private wrap(stage: Stage): Stage {
    if (stage.base && stage.limit !== undefined && stage.orderBy.length === 0 && !stage.aggregated) {
      // `take N` without an order means "some N rows"; make it the newest N, deterministically.
      if (stage.time) stage.orderBy.push({ expr: stage.time, suffix: DESC });
    }
    const alias = `q${++this.subqueries}`;
    const q = ident(alias);
    // SQL does not promise that a subquery's order survives; expose the sort keys as extra
    // columns so the outer query can keep ordering by them (`top 5 by x | where …`).
    const carried = stage.aggregated ? [] : stage.orderBy;
    const innerSelect = [
      ...stage.select.map((c, i) => ({ sql: c.sql, alias: `c${i}` })),
      ...carried.map((k, i) => ({ sql: k.expr, alias: `o${i}` })),
    ];
    const inner = this.renderStage(stage, innerSelect);
    const select = stage.select.map((c, i) => ({
      name: c.name,
      type: c.type,
      sql: sql`${q}.${ident(`c${i}`)}`,
    }));
    return {
      from: sql`(${inner}) AS ${q}`,
      where: [],
      select,
      scope: new Map(select.map((c) => [c.name, c])),
      groupKeys: 0,
      aggregated: false,
      orderBy: carried.map((k, i) => ({ expr: sql`${q}.${ident(`o${i}`)}`, suffix: k.suffix })),
      base: false,
    };
  }

  /** Applies one pipeline operator. */
  apply(input: Stage, op: Query['operators'][number]): Stage {
    const needsWrap = input.aggregated || input.limit !== undefined;
    switch (op.kind) {
      case 'where': {
        const stage = needsWrap ? this.wrap(input) : input;
        const p = this.expr(op.predicate, stage);
        this.requireBool(p, 'where needs a condition (true or false), not');
        stage.where.push(p.sql);
        return stage;
      }
      case 'extend': {
        // Adding or dropping columns leaves the row set alone, so it can stay under an ORDER BY
        // and LIMIT; grouped stages are wrapped because GROUP BY uses select-list ordinals.
        const stage = input.aggregated ? this.wrap(input) : input;
        const scope = new Map(stage.scope);
        const select = [...stage.select];
        // Later columns may use earlier ones of the same extend (`extend a = …, b = a * 2`).
        const working: Stage = { ...stage, scope };
        let n = 0;
        for (const item of op.columns) {
          const v = this.expr(item.expr, working);
          const name = item.name ?? this.defaultName(item, ++n);
          const col: ScopeCol = { name, type: v.type, sql: v.sql };
          if (v.json) col.json = v.json;
          const at = select.findIndex((c) => c.name === name);
          if (at >= 0) select[at] = col;
          else select.push(col);
          scope.set(name, col);
        }
        return { ...stage, select, scope };
      }
      case 'project': {
        const stage = input.aggregated ? this.wrap(input) : input;
        const select: ScopeCol[] = [];
        let n = 0;
        for (const item of op.columns) {
          const v = this.expr(item.expr, stage);
          const name = item.name ?? this.defaultName(item, ++n);
          if (select.some((c) => c.name === name)) {
            throw new QueryError(
              'INVALID_ARGUMENT',
              `column "${name}" is projected twice`,
              item.namePos ?? item.expr.pos,
            );
          }
          const col: ScopeCol = { name, type: v.type, sql: v.sql };
          if (v.json) col.json = v.json;
          select.push(col);
        }
        const next: Stage = { ...stage, select, scope: new Map(select.map((c) => [c.name, c])) };
        delete next.jsonColumn;
        return next;
      }
      case 'project-away': {
        const stage = input.aggregated ? this.wrap(input) : input;
        let select = [...stage.select];
        const scope = new Map(stage.scope);
        for (const f of op.fields) {
          const before = select.length;
          select = select.filter((c) => c.name !== f.name);
          if (select.length === before) {
            throw new QueryError(
              'FIELD_NOT_FOUND',
              `"${f.name}" is not an output column`,
              f.pos,
              select.map((c) => c.name),
            );
          }
          scope.delete(f.name);
        }
        return { ...stage, select, scope };
      }
      case 'summarize':
        return this.summarize(needsWrap ? this.wrap(input) : input, op.aggregates, op.by);
      case 'count':
        return this.summarize(
          needsWrap ? this.wrap(input) : input,
          [{ name: 'Count', expr: { kind: 'call', name: 'count', args: [], pos: op.pos } }],
          [],
        );
      case 'distinct': {
        const stage = needsWrap ? this.wrap(input) : input;
        return this.summarize(stage, [], op.columns);
      }
      case 'sort':
      case 'top': {
        const stage = needsWrap ? this.wrap(input) : input;
        const keys: SortKey[] = op.kind === 'sort' ? op.keys : [op.key];
        stage.orderBy = keys.map((k) => this.sortKey(k, stage));
        if (op.kind === 'top') {
          this.checkRows(op.count, op.countPos);
          stage.limit = op.count;
        }
        return stage;
      }
      case 'render':
        return input;
      case 'take': {
        this.checkRows(op.count, op.countPos);
        input.limit = Math.min(input.limit ?? op.count, op.count);
        return input;
      }
    }
  }

  private checkRows(count: number, pos: Position): void {
    if (count > this.options.maxRows) {
      throw new QueryError(
        'ROW_LIMIT',
        `${count} rows is above the limit of ${this.options.maxRows}; take at most ${this.options.maxRows}`,
        pos,
      );
    }
  }

  private sortKey(k: SortKey, stage: Stage): OrderKey {
    const v = this.expr(k.expr, stage);
    const key = v.type === 'dynamic' && !v.json ? this.ops.toText(v.sql) : v.sql;
    const dir = k.dir === 'asc' ? 'ASC' : 'DESC';
    // KQL puts nulls last when descending and first when ascending, as SQLite does by default;
    // PostgreSQL does the opposite, so say it there, except on never-null columns, where the
    // clause would stop a backward index scan from serving `sort by Timestamp desc`.
    const nulls = k.nulls ?? (k.dir === 'desc' ? 'last' : 'first');
    const isDefault = this.ops.name === 'sqlite' ? k.nulls === undefined : false;
    if (isDefault || v.notNull) return { expr: key, suffix: new Sql([dir]) };
    return { expr: key, suffix: new Sql([`${dir} ${nulls === 'first' ? 'NULLS FIRST' : 'NULLS LAST'}`]) };
  }

  private defaultName(item: NamedExpr, n: number): string {
    const e = item.expr;
    if (e.kind === 'field') return e.name;
    if (e.kind === 'call' && (e.name === 'bin' || e.name === 'floor') && e.args[0]?.kind === 'field') {
      return e.args[0].name;
    }
    if (e.kind === 'call' && AGGREGATES.has(e.name)) {
      const arg = e.args[0];
      if (e.name === 'count') return 'count_';
      return arg?.kind === 'field' ? `${e.name}_${arg.name}` : `${e.name}_`;
    }
    return `Column${n}`;
  }

  private summarize(input: Stage, aggregates: NamedExpr[], by: NamedExpr[]): Stage {
    const fromRollup = this.rollupStage(input, aggregates, by);
    const stage = fromRollup ?? input;
    const select: ScopeCol[] = [];
    const add = (col: ScopeCol, pos: Position) => {
      if (select.some((c) => c.name === col.name)) {
        throw new QueryError('INVALID_ARGUMENT', `column "${col.name}" appears twice in summarize`, pos);
      }
      select.push(col);
    };
    let n = 0;
    for (const item of by) {
      const v = this.expr(item.expr, stage);
      if (v.aggregate)
        throw new QueryError('INVALID_ARGUMENT', 'aggregations cannot be grouping keys', item.expr.pos);
      const key = v.type === 'dynamic' && v.json ? v.sql : v.sql;
      add(
        { name: item.name ?? this.defaultName(item, ++n), type: v.type, sql: key },
        item.namePos ?? item.expr.pos,
      );
    }
    for (const item of aggregates) {
      const e = item.expr;
      if (e.kind !== 'call' || !AGGREGATES.has(e.name)) {
        throw new QueryError(
          'INVALID_ARGUMENT',
          'summarize takes aggregations: count(), countif(), dcount(), min(), max(), avg(), sum()',
          e.pos,
          [...AGGREGATES].map((a) => `${a}()`),
        );
      }
      const v: Typed = fromRollup
        ? { sql: sql`CAST(coalesce(sum("n"), 0) AS BIGINT)`, type: 'number', pos: e.pos, aggregate: true }
        : this.aggregate(e.name, e.args, e.pos, stage);
      add(
        { name: item.name ?? this.defaultName(item, ++n), type: v.type, sql: v.sql },
        item.namePos ?? e.pos,
      );
    }
    const next: Stage = {
      ...stage,
      select,
      scope: new Map(select.map((c) => [c.name, c])),
      groupKeys: by.length,
      aggregated: true,
      orderBy: [],
    };
    delete next.jsonColumn;
    return next;
  }

  /**
   * The stage re-based on the rollups when the summarize only counts rows of the table, unfiltered
   * but for organization and time, grouped by plain columns one dimension set covers: the same
   * groups and counts, read from per-day rows for the whole days. Undefined otherwise.
   */
  /** True when the stage's rows are the rollups' table, filtered only by organization and time. */
  private rollupEligible(stage: Stage): boolean {
    const spec = this.options.rollup;
    const table = stage.table;
    return (
      spec !== undefined &&
      stage.base &&
      table !== undefined &&
      table.sqlTable === spec.table &&
      table.timeColumn !== undefined &&
      stage.where.length === stage.baseWhere &&
      this.range.from !== undefined
    );
  }

  private rollupStage(stage: Stage, aggregates: NamedExpr[], by: NamedExpr[]): Stage | undefined {
    const spec = this.options.rollup;
    const table = stage.table;
    if (!spec || !table?.timeColumn || !this.rollupEligible(stage) || this.range.from === undefined)
      return undefined;
    for (const a of aggregates) {
      if (a.expr.kind !== 'call' || a.expr.name !== 'count' || a.expr.args.length > 0) return undefined;
    }
    const columns: string[] = [];
    for (const item of by) {
      if (item.expr.kind !== 'field') return undefined;
      const col = this.baseColumns.get(this.field(item.expr.name, item.expr.pos, stage).sql);
      if (col === undefined) return undefined;
      if (!columns.includes(col)) columns.push(col);
    }
    const dims = coveringDimensions(spec, columns);
    if (!dims) return undefined;
    const from = rollupSource({
      spec,
      dims,
      columns,
      orgColumn: table.orgColumn,
      timeColumn: table.timeColumn,
      orgId: this.options.orgId,
      from: this.range.from,
      to: this.range.to,
      now: this.options.now,
    });
    return from ? { ...stage, from, where: [] } : undefined;
  }

  private aggregate(name: string, args: Expr[], pos: Position, stage: Stage): Typed {
    const arity = (n: number) => {
      if (args.length !== n) {
        throw new QueryError('INVALID_ARGUMENT', `${name}() takes ${n} argument${n === 1 ? '' : 's'}`, pos);
      }
    };
    switch (name) {
      case 'count':
        arity(0);
        return { sql: sql`count(*)`, type: 'number', pos, aggregate: true };
      case 'countif': {
        arity(1);
        const p = this.expr(args[0]!, stage);
        this.requireBool(p, 'countif() needs a condition, not');
        return {
          sql: sql`coalesce(sum(CASE WHEN ${p.sql} THEN 1 ELSE 0 END), 0)`,
          type: 'number',
          pos,
          aggregate: true,
        };
      }
      case 'dcount': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        return { sql: sql`count(DISTINCT ${this.scalar(v)})`, type: 'number', pos, aggregate: true };
      }
      case 'min':
      case 'max': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        const fn = new Sql([name]);
        return { sql: sql`${fn}(${this.scalar(v)})`, type: v.type, pos, aggregate: true };
      }
      case 'avg':
      case 'sum': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        const n = this.coerce(v, 'number', `${name}() needs a number, but`);
        const fn = new Sql([name]);
        return { sql: sql`${fn}(${n})`, type: 'number', pos, aggregate: true };
      }
      default:
        throw new QueryError('FUNCTION_NOT_FOUND', `unknown aggregation ${name}()`, pos);
    }
  }

  /** SQL for a value used as itself (dynamic values as text). */
  private scalar(v: Typed): Sql {
    if (v.type === 'dynamic' && !v.json) return this.ops.toText(v.sql);
    return v.sql;
  }

  private requireBool(v: Typed, message: string): void {
    if (v.type !== 'bool') {
      throw new QueryError('TYPE_MISMATCH', `${message} a ${v.type} value`, v.pos);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  /** Resolves a field name in the stage's scope, falling back to the JSON column. */
  field(name: string, pos: Position, stage: Stage): Typed {
    const exact = stage.scope.get(name);
    if (exact) return this.fromCol(exact, pos);
    const lower = name.toLowerCase();
    const ci = [...stage.scope.values()].filter((c) => c.name.toLowerCase() === lower);
    if (ci.length === 1) return this.fromCol(ci[0]!, pos);
    if (stage.jsonColumn) {
      if (name.length > MAX_FIELD_NAME || /["\\\u0000-\u001f]/.test(name)) {
        throw new QueryError(
          'FIELD_NOT_FOUND',
          `field name "${name.slice(0, 40)}" cannot be read from event fields`,
          pos,
        );
      }
      const json = { column: stage.jsonColumn, key: name };
      const hint = suggest(name, [...stage.scope.keys()]);
      if (hint && !this.warnings.some((w) => w.offset === pos.offset)) {
        this.warnings.push({
          message: `"${name}" is not a column, so it is read from the event fields${hint}`,
          ...pos,
        });
      }
      return { sql: this.ops.jsonText(json.column, name), type: 'dynamic', json, pos };
    }
    const names = [...stage.scope.keys()];
    throw new QueryError(
      'FIELD_NOT_FOUND',
      `unknown field "${name}"${suggest(name, names)}`,
      pos,
      names.slice(0, 50),
    );
  }

  private fromCol(c: ScopeCol, pos: Position): Typed {
    const t: Typed = { sql: c.sql, type: c.type, pos };
    if (c.json) t.json = c.json;
    if (c.notNull) t.notNull = true;
    return t;
  }

  /** Type-checks and compiles an expression in a stage's scope. */
  expr(e: Expr, stage: Stage): Typed {
    // Long and/or chains parse without recursion but become deep SQL trees, and SQLite refuses
    // expressions deeper than 1000; stop well before with a positioned error.
    if (++this.depth > MAX_SQL_DEPTH) {
      throw new QueryError(
        'TOO_COMPLEX',
        `expression has more than ${MAX_SQL_DEPTH} nested conditions`,
        e.pos,
      );
    }
    try {
      return this.exprInner(e, stage);
    } finally {
      this.depth--;
    }
  }

  private depth = 0;

  private exprInner(e: Expr, stage: Stage): Typed {
    switch (e.kind) {
      case 'like': {
        const v = this.expr(e.expr, stage);
        const subject = this.coerce(v, 'string', 'a wildcard match needs a text field, but');
        return { sql: sql`(${this.ops.likeRaw(subject, e.pattern)})`, type: 'bool', pos: e.pos };
      }
      case 'freetext': {
        const table = stage.table;
        const names = table?.textColumns ?? [];
        if (!stage.base || names.length === 0) {
          throw new QueryError(
            'FIELD_NOT_FOUND',
            'this table has no text columns for free-text search; use field:value',
            e.pos,
          );
        }
        const tests = names.map((n) => {
          const col = stage.scope.get(n);
          if (!col) throw new QueryError('FIELD_NOT_FOUND', `text column ${n} is not available`, e.pos);
          return this.ops.likeRaw(col.sql, e.pattern);
        });
        return { sql: sql`(${joinSql(tests, ' OR ')})`, type: 'bool', pos: e.pos };
      }
      case 'field':
        return this.field(e.name, e.pos, stage);
      case 'string':
        return {
          sql: sql`${text(e.value)}`,
          type: 'string',
          lit: { kind: 'string', value: e.value },
          pos: e.pos,
        };
      case 'number':
        return {
          sql: sql`${num(e.value, e.integer)}`,
          type: 'number',
          lit: { kind: 'number', value: e.value, integer: e.integer },
          pos: e.pos,
        };
      case 'bool':
        return {
          sql: sql`${bool(e.value)}`,
          type: 'bool',
          lit: { kind: 'bool', value: e.value },
          pos: e.pos,
        };
      case 'timespan':
        return { sql: sql`${int(e.ms)}`, type: 'timespan', lit: { kind: 'other' }, pos: e.pos };
      case 'datetime':
        return { sql: sql`${int(e.ms)}`, type: 'datetime', lit: { kind: 'other' }, pos: e.pos };
      case 'call':
        return this.call(e.name, e.args, e.pos, stage);
      case 'logical': {
        const l = this.expr(e.left, stage);
        const r = this.expr(e.right, stage);
        this.requireBool(l, `"${e.op}" needs conditions on both sides, not`);
        this.requireBool(r, `"${e.op}" needs conditions on both sides, not`);
        const op = new Sql([e.op === 'and' ? 'AND' : 'OR']);
        return { sql: sql`(${l.sql} ${op} ${r.sql})`, type: 'bool', pos: e.pos };
      }
      case 'not': {
        const v = this.expr(e.expr, stage);
        this.requireBool(v, '"not" needs a condition, not');
        // KQL's not() of a null comparison is true; SQL's NOT NULL is null. coalesce keeps KQL's.
        return { sql: sql`NOT coalesce(${v.sql}, ${this.ops.boolValue(false)})`, type: 'bool', pos: e.pos };
      }
      case 'negate': {
        const v = this.expr(e.expr, stage);
        if (v.type !== 'number' && v.type !== 'timespan') {
          throw new QueryError('TYPE_MISMATCH', `cannot negate a ${v.type} value`, e.pos);
        }
        return { sql: sql`(-${v.sql})`, type: v.type, pos: e.pos };
      }
      case 'arith':
        return this.arith(e.op, this.expr(e.left, stage), this.expr(e.right, stage), e.pos);
      case 'compare':
        return this.compare(e.op, this.expr(e.left, stage), this.expr(e.right, stage), e.pos);
      case 'hasany': {
        const subject = this.coerce(
          this.expr(e.expr, stage),
          'string',
          `"${e.all ? 'has_all' : 'has_any'}" needs a string, but`,
        );
        const tests = e.list.map((item) => {
          if (item.kind !== 'string') {
            throw new QueryError('INVALID_ARGUMENT', 'has_any/has_all take string literals', item.pos, [
              'string',
            ]);
          }
          return this.ops.hasTerm(subject, item.value, false);
        });
        return { sql: sql`(${joinSql(tests, e.all ? ' AND ' : ' OR ')})`, type: 'bool', pos: e.pos };
      }
      case 'in':
        return this.inList(e.expr, e.list, e.negated, e.caseInsensitive, e.pos, stage);
      case 'between': {
        const v = this.expr(e.expr, stage);
        const lo = this.expr(e.low, stage);
        const hi = this.expr(e.high, stage);
        const [a, b] = this.unify(v, lo, e.pos);
        const [, c] = this.unify(v, hi, e.pos);
        if (!['number', 'datetime', 'timespan', 'dynamic'].includes(v.type)) {
          throw new QueryError(
            'TYPE_MISMATCH',
            `between needs a number, datetime or timespan, not ${v.type}`,
            e.pos,
          );
        }
        const test = sql`${a} BETWEEN ${b} AND ${c}`;
        return {
          sql: e.negated ? sql`(${a} IS NULL OR NOT (${test}))` : sql`(${test})`,
          type: 'bool',
          pos: e.pos,
        };
      }
    }
  }

  private call(name: string, args: Expr[], pos: Position, stage: Stage): Typed {
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) {
        const n = min === max ? `${min}` : `${min} to ${max}`;
        throw new QueryError('INVALID_ARGUMENT', `${name}() takes ${n} argument${max === 1 ? '' : 's'}`, pos);
      }
    };
    if (AGGREGATES.has(name)) {
      throw new QueryError('INVALID_ARGUMENT', `${name}() can only be used in summarize`, pos);
    }
    switch (name) {
      case '$quick_match':
        // Internal (the lexer cannot produce `$`): the quick filter's `field:value`.
        return this.quickMatch(this.expr(args[0]!, stage), args[1]!, pos);
      case 'now':
        arity(0, 1);
        return {
          sql: sql`${int(this.options.now + this.constSpan(args[0], 0))}`,
          type: 'datetime',
          lit: { kind: 'other' },
          pos,
        };
      case 'ago': {
        arity(1);
        const span = this.constSpan(args[0], undefined);
        return { sql: sql`${int(this.options.now - span)}`, type: 'datetime', lit: { kind: 'other' }, pos };
      }
      case 'bin':
      case 'floor': {
        arity(2);
        const v = this.expr(args[0]!, stage);
        const sizeExpr = args[1]!;
        if (v.type === 'datetime' || v.type === 'timespan') {
          const size = this.constSpan(sizeExpr, undefined);
          if (size <= 0) throw new QueryError('INVALID_ARGUMENT', 'bin size must be positive', sizeExpr.pos);
          const p = int(size);
          return { sql: sql`((${v.sql} / ${p}) * ${p})`, type: v.type, pos };
        }
        const n = this.coerce(v, 'number', `${name}() needs a number, datetime or timespan, but`);
        if (sizeExpr.kind !== 'number' || sizeExpr.value <= 0) {
          throw new QueryError('INVALID_ARGUMENT', 'bin size must be a positive number', sizeExpr.pos);
        }
        return { sql: this.ops.binNumber(n, num(sizeExpr.value, sizeExpr.integer)), type: 'number', pos };
      }
      case 'tolower':
      case 'toupper': {
        arity(1);
        const s = this.coerce(this.expr(args[0]!, stage), 'string', `${name}() needs a string, but`);
        const fn = new Sql([name === 'tolower' ? 'lower' : 'upper']);
        return { sql: sql`${fn}(${s})`, type: 'string', pos };
      }
      case 'strlen': {
        arity(1);
        const s = this.coerce(this.expr(args[0]!, stage), 'string', 'strlen() needs a string, but');
        return { sql: sql`length(${s})`, type: 'number', pos };
      }
      case 'tostring': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        return { sql: v.type === 'string' ? v.sql : this.ops.toText(this.scalar(v)), type: 'string', pos };
      }
      case 'todouble':
      case 'toreal':
      case 'toint':
      case 'tolong': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        let n: Sql;
        if (v.type === 'number' || v.type === 'datetime' || v.type === 'timespan') n = v.sql;
        else if (v.json) n = this.ops.jsonNumber(v.json.column, v.json.key);
        else if (v.type === 'string' || v.type === 'dynamic') n = this.ops.textToNumber(this.scalar(v));
        else throw new QueryError('TYPE_MISMATCH', `${name}() cannot convert a ${v.type} value`, pos);
        if (name === 'toint' || name === 'tolong') n = this.ops.truncate(n);
        return { sql: n, type: 'number', pos };
      }
      case 'isempty':
      case 'isnotempty': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        const s = v.type === 'string' || v.type === 'dynamic' ? this.coerce(v, 'string', '') : v.sql;
        const isText = v.type === 'string' || v.type === 'dynamic';
        if (name === 'isempty') {
          return { sql: isText ? sql`(${s} IS NULL OR ${s} = '')` : sql`(${s} IS NULL)`, type: 'bool', pos };
        }
        return {
          sql: isText ? sql`(${s} IS NOT NULL AND ${s} <> '')` : sql`(${s} IS NOT NULL)`,
          type: 'bool',
          pos,
        };
      }
      case 'isnull':
      case 'isnotnull': {
        arity(1);
        const v = this.expr(args[0]!, stage);
        const op = new Sql([name === 'isnull' ? 'IS NULL' : 'IS NOT NULL']);
        return { sql: sql`(${v.sql} ${op})`, type: 'bool', pos };
      }
      case 'strcat': {
        arity(1, 16);
        const parts = args.map((a) => {
          const v = this.expr(a, stage);
          const s = v.type === 'string' ? v.sql : this.ops.toText(this.scalar(v));
          return sql`coalesce(${s}, '')`;
        });
        return { sql: sql`(${joinSql(parts, ' || ')})`, type: 'string', pos };
      }
      case 'iff':
      case 'iif': {
        arity(3);
        const c = this.expr(args[0]!, stage);
        this.requireBool(c, `${name}() needs a condition first, not`);
        const a = this.expr(args[1]!, stage);
        const b = this.expr(args[2]!, stage);
        const [x, y, type] = this.unifyTyped(a, b, pos);
        return { sql: sql`(CASE WHEN ${c.sql} THEN ${x} ELSE ${y} END)`, type, pos };
      }
      default:
        throw new QueryError('FUNCTION_NOT_FOUND', `unknown function ${name}()`, pos, [
          'ago',
          'now',
          'bin',
          'tolower',
          'toupper',
          'strlen',
          'tostring',
          'toint',
          'todouble',
          'isempty',
          'isnotempty',
          'isnull',
          'isnotnull',
          'strcat',
          'iff',
        ]);
    }
  }

  /** `field:value` from the quick filter, by the field's type. */
  private quickMatch(v: Typed, valueExpr: Expr, pos: Position): Typed {
    const value = valueExpr.kind === 'string' ? valueExpr.value : '';
    const numeric = /^\s*-?\d+(\.\d+)?\s*$/.test(value);
    switch (v.type) {
      case 'string':
        return { sql: sql`(${this.ops.match(v.sql, value, 'contains', false)})`, type: 'bool', pos };
      case 'dynamic': {
        const s = this.coerce(v, 'string', '');
        const test = numeric
          ? sql`${s} = ${text(value.trim())}`
          : this.ops.match(s, value, 'contains', false);
        return { sql: sql`(${test})`, type: 'bool', pos };
      }
      case 'number':
        if (!numeric) throw new QueryError('TYPE_MISMATCH', `"${value}" is not a number`, valueExpr.pos);
        return { sql: sql`(${v.sql} = ${num(Number(value), !value.includes('.'))})`, type: 'bool', pos };
      case 'datetime': {
        const ms = parseDateLiteral(value, valueExpr.pos);
        // A bare date means the whole (UTC) day.
        const span = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? 86_400_000 : 1;
        return { sql: sql`(${v.sql} >= ${int(ms)} AND ${v.sql} < ${int(ms + span)})`, type: 'bool', pos };
      }
      case 'bool': {
        const b = value.trim().toLowerCase();
        if (b !== 'true' && b !== 'false')
          throw new QueryError('TYPE_MISMATCH', `"${value}" is not true or false`, valueExpr.pos);
        return { sql: sql`(${v.sql} = ${bool(b === 'true')})`, type: 'bool', pos };
      }
      default:
        throw new QueryError(
          'TYPE_MISMATCH',
          `cannot match a ${v.type} field with "${value}"`,
          valueExpr.pos,
        );
    }
  }

  /** A constant timespan argument (`1h`, `-30m`), in ms. */
  private constSpan(e: Expr | undefined, fallback: number | undefined): number {
    if (e === undefined) {
      if (fallback === undefined)
        throw new QueryError('INVALID_ARGUMENT', 'a timespan such as 1h is required', START);
      return fallback;
    }
    if (e.kind === 'timespan') return e.ms;
    throw new QueryError('INVALID_ARGUMENT', 'expected a timespan such as 1h, 30m or 7d', e.pos, [
      'timespan',
    ]);
  }

  private arith(op: '+' | '-' | '*' | '/' | '%', l: Typed, r: Typed, pos: Position): Typed {
    const o = new Sql([op]);
    const num_ = (t: Typed) => (t.type === 'dynamic' ? this.coerce(t, 'number', '') : t.sql);
    const rightSql = (t: Typed) => (op === '/' || op === '%' ? sql`NULLIF(${num_(t)}, 0)` : num_(t));
    const isNum = (t: Typed) => t.type === 'number' || t.type === 'dynamic';
    let type: ValueType | undefined;
    if (isNum(l) && isNum(r)) type = 'number';
    else if (l.type === 'datetime' && r.type === 'datetime' && op === '-') type = 'timespan';
    else if (l.type === 'datetime' && r.type === 'timespan' && (op === '+' || op === '-')) type = 'datetime';
    else if (l.type === 'timespan' && r.type === 'datetime' && op === '+') type = 'datetime';
    else if (l.type === 'timespan' && r.type === 'timespan' && (op === '+' || op === '-')) type = 'timespan';
    else if (l.type === 'timespan' && r.type === 'timespan' && op === '/') type = 'number';
    else if (l.type === 'timespan' && isNum(r) && (op === '*' || op === '/')) type = 'timespan';
    else if (isNum(l) && r.type === 'timespan' && op === '*') type = 'timespan';
    if (!type) {
      throw new QueryError('TYPE_MISMATCH', `cannot apply "${op}" to ${l.type} and ${r.type}`, pos);
    }
    return { sql: sql`(${num_(l)} ${o} ${rightSql(r)})`, type, pos };
  }

  /** Converts a value to a target type for comparison, or throws a positioned mismatch. */
  coerce(v: Typed, target: ValueType, message: string): Sql {
    if (v.type === target) return v.sql;
    if (v.json) {
      if (target === 'string') return v.sql;
      if (target === 'number' || target === 'datetime' || target === 'timespan') {
        return this.ops.jsonNumber(v.json.column, v.json.key);
      }
    }
    if (v.type === 'dynamic') {
      if (target === 'string') return this.ops.toText(v.sql);
      if (target === 'number' || target === 'datetime' || target === 'timespan') {
        return this.ops.textToNumber(this.ops.toText(v.sql));
      }
    }
    if (v.lit?.kind === 'string' && target === 'datetime') {
      return sql`${int(parseDateLiteral(v.lit.value, v.pos))}`;
    }
    if (v.lit?.kind === 'number' && target === 'datetime' && v.lit.integer) return sql`${int(v.lit.value)}`;
    if (v.lit?.kind === 'string' && target === 'number') {
      const n = Number(v.lit.value);
      if (v.lit.value.trim() !== '' && Number.isFinite(n)) return sql`${num(n)}`;
    }
    throw new QueryError(
      'TYPE_MISMATCH',
      `${message ? `${message} ` : ''}got ${describeTyped(v)} where ${article(target)} ${target} was expected`,
      v.pos,
    );
  }

  /** Brings two operands to a common type (literals adapt to columns); returns their SQL. */
  private unify(l: Typed, r: Typed, pos: Position): [Sql, Sql, ValueType] {
    return this.unifyTyped(l, r, pos);
  }

  private unifyTyped(l: Typed, r: Typed, pos: Position): [Sql, Sql, ValueType] {
    if (l.json && r.json) return [l.sql, r.sql, 'string'];
    if (l.type === r.type && l.type !== 'dynamic') return [l.sql, r.sql, l.type];
    if (l.type === 'dynamic' && r.type === 'dynamic')
      return [this.ops.toText(l.sql), this.ops.toText(r.sql), 'string'];
    const target = l.type === 'dynamic' ? r.type : r.type === 'dynamic' ? l.type : l.lit ? r.type : l.type;
    const mismatch = () =>
      new QueryError('TYPE_MISMATCH', `cannot compare ${describeTyped(l)} with ${describeTyped(r)}`, pos);
    if (target === 'bool') throw mismatch();
    try {
      return [this.coerce(l, target, ''), this.coerce(r, target, ''), target];
    } catch (err) {
      if (err instanceof QueryError && err.code === 'TYPE_MISMATCH') {
        if (err.message.includes('is not a date')) throw err;
        throw mismatch();
      }
      throw err;
    }
  }

  private compare(op: CompareOp, l: Typed, r: Typed, pos: Position): Typed {
    const negated = op.startsWith('!');
    const base = negated ? op.slice(1) : op;
    const wrapNeg = (test: Sql, subject: Sql): Typed => ({
      // KQL: a negated string test on a missing value is true.
      sql: negated ? sql`(${subject} IS NULL OR NOT (${test}))` : sql`(${test})`,
      type: 'bool',
      pos,
    });
    if (base === 'matches regex') {
      const subject = this.coerce(l, 'string', 'matches regex needs a string on the left, but');
      if (r.lit?.kind !== 'string') {
        throw new QueryError('INVALID_ARGUMENT', 'matches regex needs a string literal pattern', r.pos, [
          'string',
        ]);
      }
      const { source, flags } = splitInlineFlags(r.lit.value);
      const verdict = checkRegexSafety(r.lit.value);
      if (!verdict.safe) {
        throw new QueryError('UNSAFE_REGEX', `regular expression refused: ${verdict.reason}`, r.pos);
      }
      const unportable = nonPortableRegex(source);
      if (unportable) {
        throw new QueryError('INVALID_ARGUMENT', `regular expressions may not use ${unportable}`, r.pos);
      }
      return wrapNeg(this.ops.regex(subject, source, flags), subject);
    }
    const m = /^(has|contains|startswith|endswith)(_cs)?$/.exec(base);
    if (m) {
      const kind: MatchKind =
        m[1] === 'startswith' ? 'startswith' : m[1] === 'endswith' ? 'endswith' : 'contains';
      const cs = m[2] !== undefined;
      const subject = this.coerce(l, 'string', `"${op}" needs a string on the left, but`);
      if (r.lit?.kind === 'string') {
        if (m[1] === 'has') return wrapNeg(this.ops.hasTerm(subject, r.lit.value, cs), subject);
        return wrapNeg(this.ops.match(subject, r.lit.value, kind, cs), subject);
      }
      const needle = this.coerce(r, 'string', `"${op}" needs a string on the right, but`);
      return wrapNeg(this.ops.matchExpr(subject, needle, kind, cs), subject);
    }
    if (base === '=~' || base === '~') {
      const a = this.coerce(l, 'string', `"${op}" needs strings, but`);
      const b = this.coerce(r, 'string', `"${op}" needs strings, but`);
      return wrapNeg(this.ops.equalsCi(a, b), a);
    }
    // == != < <= > >=
    if ((l.json && r.type === 'bool') || (r.json && l.type === 'bool')) {
      const j = l.json ? l : r;
      const b = l.json ? r : l;
      if (b.lit?.kind === 'bool' && (op === '==' || op === '!=')) {
        const value = b.lit.value;
        const t = this.ops.jsonBoolTest(j.sql, op === '==' ? value : !value);
        return { sql: sql`(${t})`, type: 'bool', pos };
      }
    }
    const [a, b, type] = this.unify(l, r, pos);
    if (type === 'bool' && op !== '==' && op !== '!=') {
      throw new QueryError('TYPE_MISMATCH', `cannot order booleans with "${op}"`, pos);
    }
    if (op === '!=') return { sql: sql`(${this.ops.distinctFrom(a, b)})`, type: 'bool', pos };
    const sqlOp = new Sql([op === '==' ? '=' : op]);
    return { sql: sql`(${a} ${sqlOp} ${b})`, type: 'bool', pos };
  }

  private inList(
    target: Expr,
    list: Expr[],
    negated: boolean,
    ci: boolean,
    pos: Position,
    stage: Stage,
  ): Typed {
    const v = this.expr(target, stage);
    const items = list.map((e) => this.expr(e, stage));
    let subject: Sql;
    let values: Sql[];
    if (ci) {
      subject = this.coerce(v, 'string', '"in~" needs strings, but');
      values = items.map((i) => this.coerce(i, 'string', '"in~" needs strings, but'));
    } else {
      const targetType: ValueType = v.type === 'dynamic' ? (items[0]?.type ?? 'string') : v.type;
      const t2 = targetType === 'dynamic' ? 'string' : targetType;
      subject = this.coerce(v, t2, '"in" compares like ==, but');
      values = items.map((i) => this.coerce(i, t2, `"in" on ${article(t2)} ${t2} column, but`));
    }
    const test = ci ? this.ops.inCi(subject, values) : sql`${subject} IN (${joinSql(values, ', ')})`;
    return {
      sql: negated ? sql`(${subject} IS NULL OR NOT (${test}))` : sql`(${test})`,
      type: 'bool',
      pos,
    };
  }
}

function validateOptions(o: CompileOptions): void {
  const bad = (m: string) => new QueryError('INVALID_OPTIONS', m, START);
  if (o.dialect !== 'sqlite' && o.dialect !== 'postgres') throw bad('dialect must be sqlite or postgres');
  if (typeof o.orgId !== 'string' || o.orgId.length === 0) throw bad('orgId is required');
  if (!Number.isSafeInteger(o.now)) throw bad('now must be epoch milliseconds');
  if (!Number.isSafeInteger(o.maxRows) || o.maxRows < 1) throw bad('maxRows must be a positive whole number');
  const r = o.timeRange;
  if (r) {
    for (const v of [r.from, r.to])
      if (v !== undefined && !Number.isSafeInteger(v)) throw bad('time range bounds must be epoch ms');
    if (r.from !== undefined && r.to !== undefined && r.from > r.to)
      throw bad('time range starts after it ends');
  }
}

function effectiveRange(o: CompileOptions): { from?: number; to?: number } {
  const r = { ...(o.timeRange ?? {}) };
  const max = o.maxTimeRangeMs;
  if (max !== undefined) {
    if (r.from === undefined) r.from = (r.to ?? o.now) - max;
    const span = (r.to ?? o.now) - r.from;
    if (span > max) {
      throw new QueryError(
        'TIME_LIMIT',
        `time range of ${Math.ceil(span / 3_600_000)}h is wider than the limit of ${Math.floor(max / 3_600_000)}h`,
        START,
      );
    }
  }
  return r;
}

function parseDateLiteral(value: string, pos: Position): number {
  const s = value.trim();
  let iso = s.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso += 'Z';
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = ok ? Date.parse(iso.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new QueryError(
      'TYPE_MISMATCH',
      `"${s.slice(0, 40)}" is not a date (use ISO 8601 such as 2024-01-31T12:00:00Z)`,
      pos,
    );
  }
  return ms;
}

function describeTyped(v: Typed): string {
  if (v.lit?.kind === 'string') return `the string "${v.lit.value.slice(0, 30)}"`;
  if (v.lit?.kind === 'number') return `the number ${v.lit.value}`;
  return `${article(v.type)} ${v.type} value`;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? 'an' : 'a';
}

/** ", did you mean X?" for a close catalog name. */
function suggest(name: string, names: string[]): string {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = distance(lower, n.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best ? `; did you mean ${best}?` : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
