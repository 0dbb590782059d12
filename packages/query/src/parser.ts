import type { CompareOp, Expr, FieldRef, NamedExpr, Operator, Query, SortKey } from './ast.ts';
import { type Position, QueryError, START } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';

/** Longest query text accepted; far above anything typed, well below anything harmful. */
export const MAX_QUERY_LENGTH = 20_000;
/** Deepest nesting of parentheses, `not` and unary minus. */
export const MAX_EXPRESSION_DEPTH = 40;
/** Most pipeline stages in one query. */
export const MAX_OPERATORS = 50;
/** Most items in one `in (...)` list or projection. */
export const MAX_LIST_ITEMS = 1000;

const COMPARE_PUNCT = new Set(['==', '!=', '=~', '!~', '<', '<=', '>', '>=']);
const STRING_OPS = new Set(['has', 'contains', 'startswith', 'endswith']);
const OPERATOR_NAMES = [
  'where',
  'project',
  'project-away',
  'extend',
  'summarize',
  'sort',
  'order',
  'top',
  'take',
  'limit',
  'distinct',
  'count',
  'render',
];
/** Words that cannot stand for a field unquoted (quote them: `['by']`). */
const RESERVED = new Set([
  'and',
  'or',
  'not',
  'by',
  'in',
  'between',
  'has',
  'contains',
  'startswith',
  'endswith',
  'matches',
  'asc',
  'desc',
]);

/**
 * Parses a hunting query (`Events | where … | summarize …`) into its AST.
 * Throws {@link QueryError} with code `SYNTAX_ERROR` (or `TOO_COMPLEX` for oversize input), naming
 * the line, column and the tokens that would have been accepted.
 */
export function parseQuery(text: string): Query {
  if (typeof text !== 'string') throw new QueryError('SYNTAX_ERROR', 'query must be a string', START);
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError('TOO_COMPLEX', `query is longer than ${MAX_QUERY_LENGTH} characters`, START);
  }
  return new Parser(tokenize(text)).query();
}

/** Parses a standalone expression (used by the quick filter's tests and by callers building ASTs). */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError('TOO_COMPLEX', `expression is longer than ${MAX_QUERY_LENGTH} characters`, START);
  }
  const p = new Parser(tokenize(text));
  const e = p.expression();
  p.expectEnd(['end of expression']);
  return e;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }
  private peekAt(n: number): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isPunct(v: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.value === v;
  }
  private isWord(v: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.value.toLowerCase() === v;
  }

  private fail(expected: string[], t: Token = this.tok, message?: string): never {
    const found = describe(t);
    const msg =
      message ??
      (expected.length > 0
        ? `expected ${formatExpected(expected)} but found ${found}`
        : `unexpected ${found}`);
    throw new QueryError(
      'SYNTAX_ERROR',
      `${msg} at line ${t.pos.line}, column ${t.pos.column}`,
      t.pos,
      expected,
    );
  }

  private expectPunct(v: string): Token {
    if (!this.isPunct(v)) this.fail([`"${v}"`]);
    return this.next();
  }
  private expectWord(v: string): Token {
    if (!this.isWord(v)) this.fail([`"${v}"`]);
    return this.next();
  }

  expectEnd(expected: string[]): void {
    if (this.tok.kind !== 'eof') this.fail(expected);
  }

  query(): Query {
    const t = this.tok;
    if (t.kind !== 'ident' && t.kind !== 'qident')
      this.fail(['a table name (Events, Alerts, Devices, Heartbeats)']);
    this.next();
    const operators: Operator[] = [];
    while (this.isPunct('|')) {
      this.next();
      if (operators.length >= MAX_OPERATORS) {
        throw new QueryError('TOO_COMPLEX', `more than ${MAX_OPERATORS} pipeline operators`, this.tok.pos);
      }
      operators.push(this.operator());
    }
    this.expectEnd(['"|"', 'end of query']);
    return { table: t.value, tablePos: t.pos, operators };
  }

  private operator(): Operator {
    const t = this.tok;
    if (t.kind !== 'ident') this.fail(OPERATOR_NAMES.map((n) => `"${n}"`));
    const word = t.value.toLowerCase();
    const pos = t.pos;
    switch (word) {
      case 'where':
      case 'filter':
        this.next();
        return { kind: 'where', pos, predicate: this.expression() };
      case 'project': {
        this.next();
        const dash = this.tok;
        if (
          this.isPunct('-') &&
          !dash.spaced &&
          this.isWord('away', this.peekAt(1)) &&
          !this.peekAt(1).spaced
        ) {
          this.next();
          this.next();
          const fields: FieldRef[] = [];
          do {
            if (fields.length > 0) this.next();
            fields.push(this.fieldName());
          } while (this.isPunct(','));
          return { kind: 'project-away', pos, fields };
        }
        return { kind: 'project', pos, columns: this.namedList() };
      }
      case 'extend':
        this.next();
        return { kind: 'extend', pos, columns: this.namedList() };
      case 'summarize': {
        this.next();
        const aggregates = this.isWord('by') ? [] : this.namedList();
        let by: NamedExpr[] = [];
        if (this.isWord('by')) {
          this.next();
          by = this.namedList();
        }
        if (aggregates.length === 0 && by.length === 0) this.fail(['an aggregation such as count()', '"by"']);
        return { kind: 'summarize', pos, aggregates, by };
      }
      case 'sort':
      case 'order': {
        this.next();
        this.expectWord('by');
        const keys: SortKey[] = [this.sortKey()];
        while (this.isPunct(',')) {
          this.next();
          keys.push(this.sortKey());
        }
        return { kind: 'sort', pos, keys };
      }
      case 'top': {
        this.next();
        const { count, countPos } = this.count();
        this.expectWord('by');
        return { kind: 'top', pos, count, countPos, key: this.sortKey() };
      }
      case 'take':
      case 'limit': {
        this.next();
        const { count, countPos } = this.count();
        return { kind: 'take', pos, count, countPos };
      }
      case 'distinct':
        this.next();
        return { kind: 'distinct', pos, columns: this.namedList() };
      case 'count':
        this.next();
        return { kind: 'count', pos };
      case 'render': {
        this.next();
        const v = this.tok;
        if (v.kind !== 'ident') this.fail(['a visualization such as timechart, barchart or table']);
        this.next();
        // `with (title="…")` options are accepted and ignored.
        if (this.isWord('with')) {
          this.next();
          this.expectPunct('(');
          let depth = 1;
          while (depth > 0) {
            if (this.tok.kind === 'eof') this.fail(['")"']);
            if (this.isPunct('(')) depth++;
            if (this.isPunct(')')) depth--;
            this.next();
          }
        }
        return { kind: 'render', pos, visualization: v.value };
      }
      default:
        return this.fail(
          OPERATOR_NAMES.map((n) => `"${n}"`),
          t,
          `unknown operator "${t.value}"; expected one of ${OPERATOR_NAMES.join(', ')}`,
        );
    }
  }

  private count(): { count: number; countPos: Position } {
    const t = this.tok;
    if (t.kind !== 'number' || !t.integer || t.num < 0) this.fail(['a whole number of rows']);
    this.next();
    return { count: t.num, countPos: t.pos };
  }

  private sortKey(): SortKey {
    const expr = this.expression();
    let dir: 'asc' | 'desc' = 'desc'; // KQL sorts descending unless told otherwise
    if (this.isWord('asc') || this.isWord('desc')) dir = this.next().value.toLowerCase() as 'asc' | 'desc';
    const key: SortKey = { expr, dir };
    if (this.isWord('nulls')) {
      this.next();
      if (this.isWord('first') || this.isWord('last'))
        key.nulls = this.next().value.toLowerCase() as 'first' | 'last';
      else this.fail(['"first"', '"last"']);
    }
    return key;
  }

  private fieldName(): FieldRef {
    const t = this.tok;
    if (t.kind === 'qident') {
      this.next();
      return { kind: 'field', name: t.value, pos: t.pos };
    }
    if (t.kind === 'ident' && !RESERVED.has(t.value.toLowerCase())) {
      this.next();
      let name = t.value;
      // Dotted names (`actor.alternateId`) are one field: Sigma uses such names as JSON keys.
      while (
        this.isPunct('.') &&
        !this.tok.spaced &&
        this.peekAt(1).kind === 'ident' &&
        !this.peekAt(1).spaced
      ) {
        this.next();
        name += `.${this.next().value}`;
      }
      return { kind: 'field', name, pos: t.pos };
    }
    return this.fail(['a field name']);
  }

  /** `a, b = expr, ['c d'] = expr, expr` */
  private namedList(): NamedExpr[] {
    const out: NamedExpr[] = [];
    for (;;) {
      if (out.length >= MAX_LIST_ITEMS) {
        throw new QueryError('TOO_COMPLEX', `more than ${MAX_LIST_ITEMS} columns`, this.tok.pos);
      }
      const t = this.tok;
      const assign = this.peekAt(1);
      if ((t.kind === 'ident' || t.kind === 'qident') && this.isPunct('=', assign)) {
        if (t.kind === 'ident' && RESERVED.has(t.value.toLowerCase())) this.fail(['a column name'], t);
        this.next();
        this.next();
        out.push({ name: t.value, namePos: t.pos, expr: this.expression() });
      } else {
        out.push({ expr: this.expression() });
      }
      if (!this.isPunct(',')) return out;
      this.next();
    }
  }

  private enter(): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new QueryError(
        'TOO_COMPLEX',
        `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels`,
        this.tok.pos,
      );
    }
  }
  private leave(): void {
    this.depth--;
  }

  expression(): Expr {
    this.enter();
    let left = this.andExpr();
    while (this.isWord('or')) {
      const t = this.next();
      left = { kind: 'logical', op: 'or', left, right: this.andExpr(), pos: t.pos };
    }
    this.leave();
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isWord('and')) {
      const t = this.next();
      left = { kind: 'logical', op: 'and', left, right: this.notExpr(), pos: t.pos };
    }
    return left;
  }

  private notExpr(): Expr {
    if (this.isWord('not')) {
      const t = this.next();
      this.enter();
      const expr = this.notExpr();
      this.leave();
      return { kind: 'not', expr, pos: t.pos };
    }
    return this.compareExpr();
  }

  private compareExpr(): Expr {
    const left = this.addExpr();
    const t = this.tok;
    if (t.kind === 'punct' && COMPARE_PUNCT.has(t.value)) {
      this.next();
      return { kind: 'compare', op: t.value as CompareOp, left, right: this.addExpr(), pos: t.pos };
    }
    if (t.kind === 'ident' || t.kind === 'bangword') {
      const raw = t.value.toLowerCase();
      const negated = raw.startsWith('!');
      const word = negated ? raw.slice(1) : raw;
      const base = word.endsWith('_cs') ? word.slice(0, -3) : word;
      if (STRING_OPS.has(base)) {
        this.next();
        return { kind: 'compare', op: raw as CompareOp, left, right: this.addExpr(), pos: t.pos };
      }
      if (word === 'matches' || word === 'regex') {
        this.next();
        if (word === 'matches') this.expectWord('regex');
        const op: CompareOp = negated ? '!matches regex' : 'matches regex';
        return { kind: 'compare', op, left, right: this.addExpr(), pos: t.pos };
      }
      if ((word === 'has_any' || word === 'has_all') && !negated) {
        this.next();
        this.expectPunct('(');
        const list: Expr[] = [];
        for (;;) {
          if (list.length >= MAX_LIST_ITEMS) {
            throw new QueryError('TOO_COMPLEX', `more than ${MAX_LIST_ITEMS} values in a list`, this.tok.pos);
          }
          list.push(this.addExpr());
          if (!this.isPunct(',')) break;
          this.next();
        }
        this.expectPunct(')');
        return { kind: 'hasany', expr: left, list, all: word === 'has_all', pos: t.pos };
      }
      if (word === 'in') {
        this.next();
        let caseInsensitive = false;
        if (this.isPunct('~') && !this.tok.spaced) {
          this.next();
          caseInsensitive = true;
        }
        this.expectPunct('(');
        const list: Expr[] = [];
        if (!this.isPunct(')')) {
          for (;;) {
            if (list.length >= MAX_LIST_ITEMS) {
              throw new QueryError(
                'TOO_COMPLEX',
                `more than ${MAX_LIST_ITEMS} values in a list`,
                this.tok.pos,
              );
            }
            list.push(this.addExpr());
            if (!this.isPunct(',')) break;
            this.next();
          }
        }
        this.expectPunct(')');
        if (list.length === 0) this.fail(['at least one value'], t, 'an "in" list needs at least one value');
        return { kind: 'in', expr: left, list, negated, caseInsensitive, pos: t.pos };
      }
      if (word === 'between') {
        this.next();
        this.expectPunct('(');
        const low = this.addExpr();
        this.expectPunct('..');
        const high = this.addExpr();
        this.expectPunct(')');
        return { kind: 'between', expr: left, low, high, negated, pos: t.pos };
      }
      if (t.kind === 'bangword')
        this.fail(['"!has"', '"!contains"', '"!in"', '"!startswith"', '"!endswith"', '"!between"']);
    }
    return left;
  }

  private addExpr(): Expr {
    let left = this.mulExpr();
    while (this.isPunct('+') || this.isPunct('-')) {
      const t = this.next();
      left = { kind: 'arith', op: t.value as '+' | '-', left, right: this.mulExpr(), pos: t.pos };
    }
    return left;
  }

  private mulExpr(): Expr {
    let left = this.unary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const t = this.next();
      left = { kind: 'arith', op: t.value as '*' | '/' | '%', left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isPunct('-')) {
      const t = this.next();
      this.enter();
      const inner = this.unary();
      this.leave();
      if (inner.kind === 'number') return { ...inner, value: -inner.value, pos: t.pos };
      if (inner.kind === 'timespan') return { ...inner, ms: -inner.ms, pos: t.pos };
      return { kind: 'negate', expr: inner, pos: t.pos };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: t.num, integer: t.integer, pos: t.pos };
      case 'timespan':
        this.next();
        return { kind: 'timespan', ms: t.num, pos: t.pos };
      case 'string':
        this.next();
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'qident':
        return this.fieldName();
      case 'punct':
        if (t.value === '(') {
          this.next();
          const e = this.expression();
          this.expectPunct(')');
          return e;
        }
        break;
      case 'ident': {
        const lower = t.value.toLowerCase();
        if (this.isPunct('(', this.peekAt(1))) return this.call();
        if (lower === 'true' || lower === 'false') {
          this.next();
          return { kind: 'bool', value: lower === 'true', pos: t.pos };
        }
        if (RESERVED.has(lower)) break;
        return this.fieldName();
      }
      default:
        break;
    }
    return this.fail(['a field name', 'a string', 'a number', 'a function call', '"("']);
  }

  private call(): Expr {
    const nameTok = this.next();
    const name = nameTok.value.toLowerCase();
    this.expectPunct('(');
    this.enter();
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        if (args.length >= 16) this.fail(['")"'], this.tok, 'too many function arguments');
        args.push(this.expression());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.leave();
    this.expectPunct(')');
    if (name === 'datetime') {
      const arg = args[0];
      if (args.length !== 1 || !arg || arg.kind !== 'string') {
        throw new QueryError(
          'INVALID_ARGUMENT',
          'datetime() takes one date such as datetime(2024-01-31) or datetime("2024-01-31T12:00:00Z")',
          nameTok.pos,
        );
      }
      return { kind: 'datetime', ms: parseDatetime(arg.value, arg.pos), pos: nameTok.pos };
    }
    return { kind: 'call', name, args, pos: nameTok.pos };
  }
}

/**
 * Parses the dates analysts type: ISO 8601 with or without time and zone (no zone means UTC),
 * a space instead of `T`, or epoch milliseconds.
 */
export function parseDatetime(text: string, pos: Position): number {
  const s = text.trim();
  if (/^-?\d{1,15}$/.test(s)) return Number(s);
  let iso = s.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/.test(iso)) iso += 'Z';
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = ok ? Date.parse(iso.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new QueryError(
      'INVALID_ARGUMENT',
      `"${s}" is not a date; use ISO 8601 such as 2024-01-31 or 2024-01-31T12:00:00Z`,
      pos,
    );
  }
  return ms;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'string':
      return `string "${t.value.length > 30 ? `${t.value.slice(0, 30)}…` : t.value}"`;
    case 'qident':
      return `field ['${t.value}']`;
    case 'number':
    case 'timespan':
      return t.value;
    default:
      return `"${t.value}"`;
  }
}

function formatExpected(expected: string[]): string {
  if (expected.length === 1) return expected[0]!;
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
}
