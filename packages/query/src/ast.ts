import type { Position } from './errors.ts';

/** Comparison and string operators as written (negated forms keep their `!`). */
export type CompareOp =
  | '=='
  | '!='
  | '=~'
  | '!~'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'has'
  | '!has'
  | 'has_cs'
  | '!has_cs'
  | 'contains'
  | '!contains'
  | 'contains_cs'
  | '!contains_cs'
  | 'startswith'
  | '!startswith'
  | 'startswith_cs'
  | '!startswith_cs'
  | 'endswith'
  | '!endswith'
  | 'endswith_cs'
  | '!endswith_cs'
  | 'matches regex'
  | '!matches regex';

export type ArithOp = '+' | '-' | '*' | '/' | '%';

interface Node {
  pos: Position;
}

export interface FieldRef extends Node {
  kind: 'field';
  /** The name as the analyst wrote it, unquoted; dotted paths are kept whole (`a.b`). */
  name: string;
}
export interface StringLit extends Node {
  kind: 'string';
  value: string;
}
export interface NumberLit extends Node {
  kind: 'number';
  value: number;
  /** Written without a fraction or exponent: compiled as an integer parameter. */
  integer: boolean;
}
export interface BoolLit extends Node {
  kind: 'bool';
  value: boolean;
}
/** `1h`, `30m`, `7d`: a duration in milliseconds. */
export interface TimespanLit extends Node {
  kind: 'timespan';
  ms: number;
}
/** `datetime(2024-01-01)`, already parsed to epoch milliseconds. */
export interface DatetimeLit extends Node {
  kind: 'datetime';
  ms: number;
}
export interface Call extends Node {
  kind: 'call';
  name: string;
  args: Expr[];
}
export interface Compare extends Node {
  kind: 'compare';
  op: CompareOp;
  left: Expr;
  right: Expr;
}
export interface Arith extends Node {
  kind: 'arith';
  op: ArithOp;
  left: Expr;
  right: Expr;
}
export interface Logical extends Node {
  kind: 'logical';
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
}
export interface Not extends Node {
  kind: 'not';
  expr: Expr;
}
export interface Negate extends Node {
  kind: 'negate';
  expr: Expr;
}
export interface InList extends Node {
  kind: 'in';
  expr: Expr;
  list: Expr[];
  negated: boolean;
  caseInsensitive: boolean;
}
/** `x has_any ("a", "b")` / `has_all`: several `has` tests joined by or / and. */
export interface HasAny extends Node {
  kind: 'hasany';
  expr: Expr;
  list: Expr[];
  all: boolean;
}
export interface Between extends Node {
  kind: 'between';
  expr: Expr;
  low: Expr;
  high: Expr;
  negated: boolean;
}

/**
 * A LIKE-style wildcard match, produced by the quick filter (`Image:*\\power*.exe`), never by the
 * query parser. `pattern` is in LIKE syntax with `!` escaping `%`, `_` and `!`.
 */
export interface Like extends Node {
  kind: 'like';
  expr: Expr;
  pattern: string;
}
/** A bare quick-filter term, searched in the table's text columns. */
export interface FreeText extends Node {
  kind: 'freetext';
  /** LIKE pattern (escaped) matching anywhere in a column. */
  pattern: string;
}

export type Expr =
  | Like
  | FreeText
  | FieldRef
  | StringLit
  | NumberLit
  | BoolLit
  | TimespanLit
  | DatetimeLit
  | Call
  | Compare
  | Arith
  | Logical
  | Not
  | Negate
  | InList
  | HasAny
  | Between;

/** `name = expr` or a bare `expr` in project/extend/summarize/distinct lists. */
export interface NamedExpr {
  name?: string;
  namePos?: Position;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  dir: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface WhereOp extends Node {
  kind: 'where';
  predicate: Expr;
}
export interface ProjectOp extends Node {
  kind: 'project';
  columns: NamedExpr[];
}
export interface ProjectAwayOp extends Node {
  kind: 'project-away';
  fields: FieldRef[];
}
export interface ExtendOp extends Node {
  kind: 'extend';
  columns: NamedExpr[];
}
export interface SummarizeOp extends Node {
  kind: 'summarize';
  aggregates: NamedExpr[];
  by: NamedExpr[];
}
export interface SortOp extends Node {
  kind: 'sort';
  keys: SortKey[];
}
export interface TopOp extends Node {
  kind: 'top';
  count: number;
  countPos: Position;
  key: SortKey;
}
export interface TakeOp extends Node {
  kind: 'take';
  count: number;
  countPos: Position;
}
export interface DistinctOp extends Node {
  kind: 'distinct';
  columns: NamedExpr[];
}
export interface CountOp extends Node {
  kind: 'count';
}
/** `render timechart`: no effect on the rows; the console may read the visualization. */
export interface RenderOp extends Node {
  kind: 'render';
  visualization: string;
}

export type Operator =
  | WhereOp
  | ProjectOp
  | ProjectAwayOp
  | ExtendOp
  | SummarizeOp
  | SortOp
  | TopOp
  | TakeOp
  | DistinctOp
  | CountOp
  | RenderOp;

/** A whole query: one table and the pipeline applied to it. */
export interface Query {
  table: string;
  tablePos: Position;
  operators: Operator[];
}
