import type { Expr } from './ast.ts';
import { escapeLike, ident, int, joinSql, sql, text } from './dialects.ts';
import { type Position, positionAt, QueryError, START } from './errors.ts';
import {
  type CompiledHistogram,
  type CompiledQuery,
  type CompileOptions,
  Compiler,
  chooseBucketMs,
} from './sql-compiler.ts';

/** Longest quick filter accepted. */
export const MAX_FILTER_LENGTH = 4000;
/** Deepest nesting of parentheses and NOT in a quick filter. */
export const MAX_FILTER_DEPTH = 32;
/** Most wildcards in one term: each `*` multiplies LIKE's worst-case work. */
const MAX_WILDCARDS = 8;

type QTokKind =
  | 'term'
  | 'phrase'
  | 'lparen'
  | 'rparen'
  | 'colon'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'cmp'
  | 'and'
  | 'or'
  | 'not'
  | 'plus'
  | 'to'
  | 'eof';

interface QTok {
  kind: QTokKind;
  /** The literal text (escapes removed). */
  value: string;
  /** For terms: LIKE pattern when the term holds unescaped wildcards, else undefined. */
  like?: string;
  wildcards: number;
  /** For terms: the whole term is a lone `*`. */
  star: boolean;
  offset: number;
  /** Whether the next character is `:` immediately (marks a field name). */
  beforeColon: boolean;
  spaced: boolean;
}

const SPECIAL = new Set(['(', ')', ':', '[', ']', '{', '}', '"']);

function lex(src: string): QTok[] {
  const out: QTok[] = [];
  let i = 0;
  let spaced = true;
  const pos = (o: number) => positionAt(src, o);
  const push = (kind: QTokKind, value: string, offset: number, extra: Partial<QTok> = {}) => {
    out.push({
      kind,
      value,
      offset,
      wildcards: 0,
      star: false,
      beforeColon: src[i] === ':',
      spaced,
      ...extra,
    });
    spaced = false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ':' || c === '[' || c === ']' || c === '{' || c === '}') {
      i++;
      const kinds: Record<string, QTokKind> = {
        '(': 'lparen',
        ')': 'rparen',
        ':': 'colon',
        '[': 'lbracket',
        ']': 'rbracket',
        '{': 'lbrace',
        '}': 'rbrace',
      };
      push(kinds[c]!, c, start);
      continue;
    }
    if (c === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= src.length)
          throw new QueryError('SYNTAX_ERROR', 'unterminated quoted phrase', pos(start), ['"']);
        const ch = src[i]!;
        if (ch === '\\' && i + 1 < src.length) {
          value += src[i + 1];
          i += 2;
          continue;
        }
        if (ch === '"') {
          i++;
          break;
        }
        value += ch;
        i++;
      }
      if (value.includes('\u0000'))
        throw new QueryError('SYNTAX_ERROR', 'NUL characters are not allowed', pos(start));
      push('phrase', value, start);
      continue;
    }
    if (src.startsWith('&&', i)) {
      i += 2;
      push('and', '&&', start);
      continue;
    }
    if (src.startsWith('||', i)) {
      i += 2;
      push('or', '||', start);
      continue;
    }
    if ((c === '>' || c === '<') && out.at(-1)?.kind === 'colon') {
      i += src[i + 1] === '=' ? 2 : 1;
      push('cmp', src.slice(start, i), start);
      continue;
    }
    if ((c === '-' || c === '!') && spaced) {
      i++;
      push('not', c, start);
      continue;
    }
    if (c === '+' && spaced) {
      i++;
      push('plus', c, start);
      continue;
    }
    // A term: runs to whitespace or a special character; backslash escapes one character. In
    // value position (after `field:`, `>=`, `[` or `TO`) a colon belongs to the value: times.
    const prevKind = out.at(-1)?.kind;
    const valuePos =
      prevKind === 'colon' ||
      prevKind === 'cmp' ||
      prevKind === 'lbracket' ||
      prevKind === 'lbrace' ||
      prevKind === 'to';
    let value = '';
    let like = '';
    let wildcards = 0;
    while (i < src.length) {
      const ch = src[i]!;
      if (/\s/.test(ch) || (SPECIAL.has(ch) && !(valuePos && ch === ':'))) break;
      if (ch === '\\' && i + 1 < src.length) {
        const e = src[i + 1]!;
        value += e;
        like += escapeLike(e);
        i += 2;
        continue;
      }
      if (ch === '*' || ch === '?') {
        wildcards++;
        value += ch;
        like += ch === '*' ? '%' : '_';
        i++;
        continue;
      }
      value += ch;
      like += escapeLike(ch);
      i++;
    }
    if (value.includes('\u0000'))
      throw new QueryError('SYNTAX_ERROR', 'NUL characters are not allowed', pos(start));
    const raw = src.slice(start, i);
    if (raw === 'AND') push('and', raw, start);
    else if (raw === 'OR') push('or', raw, start);
    else if (raw === 'NOT') push('not', raw, start);
    else if (raw === 'TO') push('to', raw, start);
    else {
      const extra: Partial<QTok> = { wildcards, star: raw === '*' };
      if (wildcards > 0) extra.like = like;
      push('term', value, start, extra);
    }
  }
  out.push({
    kind: 'eof',
    value: '',
    offset: src.length,
    wildcards: 0,
    star: false,
    beforeColon: false,
    spaced: true,
  });
  return out;
}

const DESCRIBE: Record<QTokKind, string> = {
  term: 'a term',
  phrase: 'a quoted phrase',
  lparen: '"("',
  rparen: '")"',
  colon: '":"',
  lbracket: '"["',
  rbracket: '"]"',
  lbrace: '"{"',
  rbrace: '"}"',
  cmp: 'a comparison',
  and: '"AND"',
  or: '"OR"',
  not: '"NOT"',
  plus: '"+"',
  to: '"TO"',
  eof: 'end of filter',
};

/** A value in field position: a term, a phrase, or one end of a range. */
interface QValue {
  tok: QTok;
}

class QuickParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly toks: QTok[],
  ) {}

  private get tok(): QTok {
    return this.toks[this.i]!;
  }
  private next(): QTok {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private pos(t: QTok = this.tok): Position {
    return positionAt(this.src, t.offset);
  }
  private fail(expected: string[], t: QTok = this.tok): never {
    const found = t.kind === 'term' ? `"${t.value}"` : DESCRIBE[t.kind];
    const p = this.pos(t);
    throw new QueryError(
      'SYNTAX_ERROR',
      `expected ${expected.join(' or ')} but found ${found} at line ${p.line}, column ${p.column}`,
      p,
      expected,
    );
  }
  private enter(): void {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw new QueryError('TOO_COMPLEX', `filter nested deeper than ${MAX_FILTER_DEPTH} levels`, this.pos());
    }
  }

  parse(): Expr | null {
    if (this.toks[this.i]!.kind === 'eof') return null;
    const e = this.or();
    if (this.toks[this.i]!.kind !== 'eof') this.fail(['"AND"', '"OR"', 'end of filter']);
    return e;
  }

  private or(): Expr {
    this.enter();
    let left = this.and();
    while (this.tok.kind === 'or') {
      const t = this.next();
      left = { kind: 'logical', op: 'or', left, right: this.and(), pos: this.pos(t) };
    }
    this.depth--;
    return left;
  }

  private startsClause(): boolean {
    const k = this.tok.kind;
    return k === 'term' || k === 'phrase' || k === 'lparen' || k === 'not' || k === 'plus';
  }

  private and(): Expr {
    let left = this.unary();
    for (;;) {
      if (this.tok.kind === 'and') {
        const t = this.next();
        left = { kind: 'logical', op: 'and', left, right: this.unary(), pos: this.pos(t) };
      } else if (this.startsClause()) {
        // Adjacent clauses mean AND, as in most search boxes.
        const p = this.pos();
        left = { kind: 'logical', op: 'and', left, right: this.unary(), pos: p };
      } else {
        return left;
      }
    }
  }

  private unary(): Expr {
    const t = this.tok;
    if (t.kind === 'not') {
      this.next();
      this.enter();
      const e = this.unary();
      this.depth--;
      return { kind: 'not', expr: e, pos: this.pos(t) };
    }
    if (t.kind === 'plus') {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tok;
    if (t.kind === 'lparen') {
      this.next();
      const e = this.or();
      if (this.tok.kind !== 'rparen') this.fail(['")"']);
      this.next();
      return e;
    }
    if ((t.kind === 'term' || t.kind === 'phrase') && t.beforeColon) {
      this.next();
      this.next(); // the colon
      if (t.wildcards > 0) this.fail(['a field name without wildcards'], t);
      const field: Expr = { kind: 'field', name: t.value, pos: this.pos(t) };
      return this.fieldValue(field);
    }
    if (t.kind === 'term' || t.kind === 'phrase') {
      this.next();
      return this.freeText(t);
    }
    return this.fail(['a term', 'field:value', '"("']);
  }

  private freeText(t: QTok): Expr {
    this.checkWildcards(t);
    if (t.kind === 'term' && t.star) return { kind: 'bool', value: true, pos: this.pos(t) };
    const inner = t.like ?? escapeLike(t.value);
    return { kind: 'freetext', pattern: `%${inner}%`, pos: this.pos(t) };
  }

  private checkWildcards(t: QTok): void {
    if (t.wildcards > MAX_WILDCARDS) {
      throw new QueryError('TOO_COMPLEX', `more than ${MAX_WILDCARDS} wildcards in one term`, this.pos(t));
    }
  }

  private fieldValue(field: Expr): Expr {
    const t = this.tok;
    if (t.kind === 'lparen') {
      this.next();
      this.enter();
      const e = this.valueOr(field);
      this.depth--;
      if (this.tok.kind !== 'rparen') this.fail(['")"']);
      this.next();
      return e;
    }
    if (t.kind === 'lbracket' || t.kind === 'lbrace') return this.range(field);
    if (t.kind === 'cmp') {
      this.next();
      const v = this.value();
      const ops: Record<string, '<' | '<=' | '>' | '>='> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
      return {
        kind: 'compare',
        op: ops[t.value]!,
        left: field,
        right: literal(v.tok, this.pos(v.tok)),
        pos: this.pos(t),
      };
    }
    const v = this.value();
    return this.match(field, v.tok);
  }

  private valueOr(field: Expr): Expr {
    let left = this.valueAnd(field);
    while (this.tok.kind === 'or') {
      const t = this.next();
      left = { kind: 'logical', op: 'or', left, right: this.valueAnd(field), pos: this.pos(t) };
    }
    return left;
  }

  private valueAnd(field: Expr): Expr {
    let left = this.valueUnary(field);
    for (;;) {
      if (this.tok.kind === 'and') {
        const t = this.next();
        left = { kind: 'logical', op: 'and', left, right: this.valueUnary(field), pos: this.pos(t) };
      } else if (
        this.tok.kind === 'term' ||
        this.tok.kind === 'phrase' ||
        this.tok.kind === 'not' ||
        this.tok.kind === 'lparen'
      ) {
        // Inside `field:(a b)` adjacent values mean OR, Lucene's default: EventID:(4624 4625).
        const p = this.pos();
        left = { kind: 'logical', op: 'or', left, right: this.valueUnary(field), pos: p };
      } else {
        return left;
      }
    }
  }

  private valueUnary(field: Expr): Expr {
    const t = this.tok;
    if (t.kind === 'not') {
      this.next();
      this.enter();
      const e = this.valueUnary(field);
      this.depth--;
      return { kind: 'not', expr: e, pos: this.pos(t) };
    }
    if (t.kind === 'lparen') {
      this.next();
      this.enter();
      const e = this.valueOr(field);
      this.depth--;
      if (this.tok.kind !== 'rparen') this.fail(['")"']);
      this.next();
      return e;
    }
    return this.match(field, this.value().tok);
  }

  private value(): QValue {
    const t = this.tok;
    if (t.kind === 'term' || t.kind === 'phrase') {
      this.next();
      return { tok: t };
    }
    return this.fail(['a value', 'a quoted phrase']);
  }

  /** `field:value`: wildcards → LIKE, `*` → present, numbers → equality, text → contains. */
  private match(field: Expr, v: QTok): Expr {
    const pos = this.pos(v);
    this.checkWildcards(v);
    if (v.kind === 'term' && v.star) {
      return { kind: 'call', name: 'isnotempty', args: [field], pos };
    }
    if (v.kind === 'term' && v.like !== undefined) {
      return { kind: 'like', expr: field, pattern: v.like, pos };
    }
    // The compiler picks the test by the field's type (contains for text, equality for numbers).
    return {
      kind: 'call',
      name: '$quick_match',
      args: [field, { kind: 'string', value: v.value, pos }],
      pos,
    };
  }

  private range(field: Expr): Expr {
    const open = this.next();
    const lo = this.value().tok;
    if (this.tok.kind !== 'to') this.fail(['"TO"']);
    this.next();
    const hi = this.value().tok;
    const close = this.tok;
    if (close.kind !== 'rbracket' && close.kind !== 'rbrace') this.fail(['"]"', '"}"']);
    this.next();
    const parts: Expr[] = [];
    const pos = this.pos(open);
    if (!(lo.kind === 'term' && lo.star)) {
      parts.push({
        kind: 'compare',
        op: open.kind === 'lbracket' ? '>=' : '>',
        left: field,
        right: literal(lo, this.pos(lo)),
        pos,
      });
    }
    if (!(hi.kind === 'term' && hi.star)) {
      parts.push({
        kind: 'compare',
        op: close.kind === 'rbracket' ? '<=' : '<',
        left: field,
        right: literal(hi, this.pos(hi)),
        pos,
      });
    }
    if (parts.length === 0) return { kind: 'call', name: 'isnotnull', args: [field], pos };
    if (parts.length === 1) return parts[0]!;
    return { kind: 'logical', op: 'and', left: parts[0]!, right: parts[1]!, pos };
  }
}

/** A range or comparison bound: numbers stay numbers, everything else is a string the compiler adapts. */
function literal(t: QTok, pos: Position): Expr {
  if (t.kind === 'term' && /^-?\d+(\.\d+)?$/.test(t.value) && Number.isFinite(Number(t.value))) {
    const n = Number(t.value);
    return { kind: 'number', value: n, integer: Number.isSafeInteger(n) && !t.value.includes('.'), pos };
  }
  return { kind: 'string', value: t.value, pos };
}

/**
 * Parses a quick filter (`field:value AND other:"x y" NOT z`, `f:[1 TO 5]`, `f:>=10`, wildcards,
 * bare terms) into a hunting-language expression; `null` when the filter is empty.
 */
export function parseQuickFilter(filter: string): Expr | null {
  if (typeof filter !== 'string') throw new QueryError('SYNTAX_ERROR', 'filter must be a string', START);
  if (filter.length > MAX_FILTER_LENGTH) {
    throw new QueryError('TOO_COMPLEX', `filter is longer than ${MAX_FILTER_LENGTH} characters`, START);
  }
  return new QuickParser(filter, lex(filter)).parse();
}

/** Options for the events explorer: the compile options plus table, page size and cursor. */
export interface QuickFilterOptions extends CompileOptions {
  /** Defaults to `Events`. */
  table?: string;
  /** Page size; defaults to and may not exceed maxRows. */
  limit?: number;
  /** Keyset cursor: only rows strictly older than this (time, id) pair. */
  before?: { ts: number; id: string };
}

/**
 * Compiles a quick filter to a page of rows, newest first (ties broken by id, so `before` pages
 * are stable). Throws {@link QueryError} with positions in the filter text.
 */
export function compileQuickFilter(filter: string, options: QuickFilterOptions): CompiledQuery {
  const compiler = new Compiler(options);
  const tableName = options.table ?? 'Events';
  const { stage, table, name } = compiler.baseStage(tableName, START);
  const expr = parseQuickFilter(filter);
  if (expr) {
    const p = compiler.expr(expr, stage);
    stage.where.push(p.sql);
  }
  const limit = options.limit ?? options.maxRows;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > options.maxRows) {
    throw new QueryError('ROW_LIMIT', `limit must be between 1 and ${options.maxRows}`, START);
  }
  if (options.before) {
    if (!Number.isSafeInteger(options.before.ts) || typeof options.before.id !== 'string') {
      throw new QueryError('INVALID_OPTIONS', 'cursor must be { ts: epoch ms, id: string }', START);
    }
    if (!table.timeColumn || !table.idColumn) {
      throw new QueryError('INVALID_OPTIONS', `table ${name} does not support cursors`, START);
    }
    const t = ident(table.timeColumn);
    const id = ident(table.idColumn);
    const ts = int(options.before.ts);
    // `ts <= x` first gives the planner an index range on (org, ts); the OR breaks ties by id.
    stage.where.push(sql`${t} <= ${ts} AND (${t} < ${ts} OR ${id} < ${text(String(options.before.id))})`);
  }
  stage.limit = limit;
  return { ...compiler.finish(stage, table, true), table: name, limit };
}

/** Counts the rows a quick filter matches per time bucket (see {@link compileHistogram}). */
export function compileQuickFilterHistogram(
  filter: string,
  options: QuickFilterOptions & { bucketMs?: number; maxBuckets?: number },
): CompiledHistogram {
  const compiler = new Compiler(options);
  const { stage, table, name } = compiler.baseStage(options.table ?? 'Events', START);
  if (!table.timeColumn) throw new QueryError('INVALID_ARGUMENT', `table ${name} has no time column`, START);
  const expr = parseQuickFilter(filter);
  if (expr) stage.where.push(compiler.expr(expr, stage).sql);
  const from = compiler.range.from;
  const to = compiler.range.to ?? options.now;
  const size =
    options.bucketMs ??
    (from === undefined ? 3_600_000 : chooseBucketMs(Math.max(1, to - from), options.maxBuckets ?? 100));
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new QueryError(
      'INVALID_OPTIONS',
      'bucketMs must be a positive whole number of milliseconds',
      START,
    );
  }
  const p = int(size);
  const t = ident(table.timeColumn);
  const body = sql`SELECT (${t} / ${p}) * ${p} AS "c0", count(*) AS "c1" FROM ${stage.from} WHERE ${joinSql(stage.where, ' AND ')} GROUP BY 1 ORDER BY 1`;
  return {
    ...compiler.renderChecked(body),
    columns: [
      { name: 'bucket', type: 'datetime', key: 'c0' },
      { name: 'count', type: 'number', key: 'c1' },
    ],
    table: name,
    limit: 0,
    bucketMs: size,
    warnings: compiler.warnings,
    range: { ...compiler.range },
  };
}
