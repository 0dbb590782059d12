/**
 * SQL fragments that keep user data out of SQL text.
 *
 * A {@link Sql} value is a list of literal SQL text written in this package's source and
 * {@link Param} placeholders carrying user values. The only other text that can enter is an
 * identifier from the catalog, through {@link ident}, which accepts plain identifiers only. The
 * renderer then numbers placeholders for the dialect: `?` for SQLite, `$n::type` for PostgreSQL
 * (typed so that PostgreSQL can plan `lower($1)` and keeps bigint comparisons index-friendly).
 */

export type SqlDialect = 'sqlite' | 'postgres';

export type ParamType = 'text' | 'bigint' | 'double' | 'boolean';

/** A value bound as a statement parameter. */
export class Param {
  constructor(
    readonly value: string | number | boolean,
    readonly type: ParamType,
  ) {}
}

type Part = string | Param;

/** A fragment of SQL: trusted text plus parameters. */
export class Sql {
  readonly parts: readonly Part[];
  constructor(parts: readonly Part[]) {
    this.parts = parts;
  }
}

/** Tagged template: `sql\`lower(${expr})\``; interpolations must be Sql or Param, never strings. */
export function sql(strings: TemplateStringsArray, ...values: Array<Sql | Param>): Sql {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    const v = values[i];
    if (v instanceof Sql) parts.push(...v.parts);
    else if (v instanceof Param) parts.push(v);
  });
  return new Sql(parts);
}

/** Joins fragments with a separator written in our source (`, `, ` AND `). */
export function joinSql(items: readonly Sql[], separator: string): Sql {
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(separator);
    parts.push(...item.parts);
  });
  return new Sql(parts);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted identifier (or `schema.table`); throws on anything that is not a plain identifier. */
export function ident(name: string): Sql {
  const parts = name.split('.');
  if (!parts.every((p) => IDENT.test(p))) throw new Error(`refusing identifier ${JSON.stringify(name)}`);
  return new Sql([parts.map((p) => `"${p}"`).join('.')]);
}

/** A parameter for a string value. */
export const text = (v: string): Param => new Param(v, 'text');
/** A parameter for an integer (epoch ms, counts, codes). */
export const int = (v: number): Param => new Param(Math.trunc(v), 'bigint');
/** A parameter for a number, typed integer when it is one so integer columns stay indexable. */
export const num = (v: number, integer = Number.isInteger(v)): Param =>
  new Param(v, integer && Number.isSafeInteger(v) ? 'bigint' : 'double');
/** A parameter for a boolean. */
export const bool = (v: boolean): Param => new Param(v, 'boolean');

/** Renders a fragment for a dialect: placeholders numbered, parameters listed in order. */
export function render(
  fragment: Sql,
  dialect: SqlDialect,
): { sql: string; params: Array<string | number | boolean> } {
  let out = '';
  const params: Array<string | number | boolean> = [];
  const numbers = new Map<Param, number>();
  for (const part of fragment.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (dialect === 'sqlite') {
      // better-sqlite3 binds every JS number as REAL; integer arithmetic (bin, LIMIT) needs INTEGER.
      out += part.type === 'bigint' ? 'CAST(? AS INTEGER)' : '?';
      params.push(typeof part.value === 'boolean' ? (part.value ? 1 : 0) : part.value);
    } else {
      let n = numbers.get(part);
      if (n === undefined) {
        params.push(part.value);
        n = params.length;
        numbers.set(part, n);
      }
      const cast = part.type === 'double' ? 'double precision' : part.type;
      out += `$${n}::${cast}`;
    }
  }
  return { sql: out, params };
}

/** How a LIKE-style match is anchored. */
export type MatchKind = 'contains' | 'startswith' | 'endswith' | 'equals';

/**
 * The LIKE escape character. Not a backslash: with standard_conforming_strings off, PostgreSQL
 * would read `'\'` as an escape inside the SQL literal itself.
 */
export const LIKE_ESCAPE = '!';

/** Escapes LIKE metacharacters (and the escape character) so the value matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

function likePattern(value: string, kind: MatchKind): string {
  const escaped = escapeLike(value);
  if (kind === 'contains') return `%${escaped}%`;
  if (kind === 'startswith') return `${escaped}%`;
  if (kind === 'endswith') return `%${escaped}`;
  return escaped;
}

function globPattern(value: string, kind: MatchKind): string {
  // GLOB has no escape character; a metacharacter is matched literally inside brackets.
  const escaped = value.replace(/[*?[]/g, (c) => `[${c}]`);
  if (kind === 'contains') return `*${escaped}*`;
  if (kind === 'startswith') return `${escaped}*`;
  if (kind === 'endswith') return `*${escaped}`;
  return escaped;
}

function isAsciiAlnum(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9]/.test(c);
}

/** Which ends of a `has` needle need a term boundary. */
function termBounds(needle: string): { start: boolean; end: boolean } {
  return { start: isAsciiAlnum(needle[0]), end: isAsciiAlnum(needle[needle.length - 1]) };
}

/** Lower-cases ASCII letters only, as SQLite's lower() does. */
function asciiLower(v: string): string {
  return v.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The SQL that differs between SQLite and PostgreSQL. */
export interface DialectOps {
  name: SqlDialect;
  /** Substring/prefix/suffix match of a literal, with wildcards in the value escaped. */
  match(expr: Sql, value: string, kind: MatchKind, caseSensitive: boolean): Sql;
  /**
   * KQL's `has`: the needle found with term boundaries (no ASCII letter or digit just before it
   * when it starts with one, nor just after it when it ends with one): `has "cmd.exe"` matches
   * `C:\\cmd.exe` but `has "md.exe"` does not.
   */
  hasTerm(expr: Sql, needle: string, caseSensitive: boolean): Sql;
  /** A LIKE pattern already in LIKE syntax (escape `!`), case-insensitive. */
  likeRaw(expr: Sql, likePatternValue: string): Sql;
  /** Match where the needle is an expression, not a literal. */
  matchExpr(expr: Sql, needle: Sql, kind: MatchKind, caseSensitive: boolean): Sql;
  /** Case-insensitive equality. */
  equalsCi(a: Sql, b: Sql): Sql;
  /** Case-insensitive IN list. */
  inCi(a: Sql, list: Sql[]): Sql;
  /** Null-safe inequality (`a` differs from `b`, nulls counting as a value). */
  distinctFrom(a: Sql, b: Sql): Sql;
  /** Regular-expression match; the pattern has passed checkRegexSafety. `flags` from `imsu`. */
  regex(expr: Sql, source: string, flags: string): Sql;
  /** Truncates a number toward zero, as an integer. */
  truncate(expr: Sql): Sql;
  /** A JSON member as text (null when absent). */
  jsonText(column: Sql, key: string): Sql;
  /** A JSON member as a number when it is one (or numeric text), else null. */
  jsonNumber(column: Sql, key: string): Sql;
  /** Text to number when numeric, else null. */
  textToNumber(expr: Sql): Sql;
  /** Any scalar to text. */
  toText(expr: Sql): Sql;
  /** `floor(expr / size) * size` for numbers that may be fractional. */
  binNumber(expr: Sql, size: Param): Sql;
  /** Boolean literal usable in a WHERE clause. */
  boolValue(v: boolean): Sql;
  /** A boolean-typed column compared against a boolean. */
  boolColumnTest(expr: Sql, v: boolean): Sql;
  /** A dynamic (JSON) value tested as a boolean. */
  jsonBoolTest(expr: Sql, v: boolean): Sql;
}

const NUMERIC_TEXT_PG = "'^\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'";

const sqlite: DialectOps = {
  name: 'sqlite',
  match(expr, value, kind, caseSensitive) {
    if (caseSensitive) {
      if (kind === 'equals') return sql`${expr} = ${text(value)}`;
      return sql`${expr} GLOB ${text(globPattern(value, kind))}`;
    }
    // LIKE is case-insensitive for ASCII in SQLite.
    return sql`${expr} LIKE ${text(likePattern(value, kind))} ESCAPE '!'`;
  },
  likeRaw(expr, pattern) {
    return sql`${expr} LIKE ${text(pattern)} ESCAPE '!'`;
  },
  hasTerm(expr, needle, caseSensitive) {
    const b = termBounds(needle);
    if (!b.start && !b.end) return this.match(expr, needle, 'contains', caseSensitive);
    // GLOB has character classes; padding with spaces turns start and end of text into boundaries.
    const cls = caseSensitive ? '[^A-Za-z0-9]' : '[^a-z0-9]';
    const body = (caseSensitive ? needle : asciiLower(needle)).replace(/[*?[]/g, (c) => `[${c}]`);
    const pattern = `*${b.start ? cls : ''}${body}${b.end ? cls : ''}*`;
    const subject = caseSensitive ? expr : sql`lower(${expr})`;
    return sql`(' ' || ${subject} || ' ') GLOB ${text(pattern)}`;
  },
  matchExpr(expr, needle, kind, caseSensitive) {
    const a = caseSensitive ? expr : sql`lower(${expr})`;
    const b = caseSensitive ? needle : sql`lower(${needle})`;
    if (kind === 'contains') return sql`instr(${a}, ${b}) > 0`;
    if (kind === 'startswith') return sql`substr(${a}, 1, length(${b})) = ${b}`;
    if (kind === 'endswith')
      return sql`(length(${b}) <= length(${a}) AND substr(${a}, length(${a}) - length(${b}) + 1) = ${b})`;
    return sql`${a} = ${b}`;
  },
  equalsCi(a, b) {
    return sql`${a} = ${b} COLLATE NOCASE`;
  },
  inCi(a, list) {
    return sql`${a} COLLATE NOCASE IN (${joinSql(list, ', ')})`;
  },
  distinctFrom(a, b) {
    return sql`${a} IS NOT ${b}`;
  },
  regex(expr, source, flags) {
    // The server registers regexp(pattern, value) (see sqliteRegexp); inline `(?i)` carries flags.
    const f = flags.replace(/[^ims]/g, '');
    return sql`regexp(${text(f ? `(?${f})${source}` : source)}, ${expr})`;
  },
  truncate(expr) {
    return sql`CAST(${expr} AS INTEGER)`;
  },
  jsonText(column, key) {
    return sql`CAST(json_extract(${column}, ${text(jsonPath(key))}) AS TEXT)`;
  },
  jsonNumber(column, key) {
    // json_type first: JSON numbers (the common case) need no text checks.
    const path = text(jsonPath(key));
    const v = sql`json_extract(${column}, ${path})`;
    return sql`(CASE json_type(${column}, ${path}) WHEN 'integer' THEN ${v} WHEN 'real' THEN ${v} WHEN 'text' THEN ${this.textToNumber(v)} END)`;
  },
  textToNumber(expr) {
    return sql`(CASE WHEN typeof(${expr}) IN ('integer', 'real') THEN ${expr} WHEN trim(${expr}) <> '' AND trim(${expr}) NOT GLOB '*[^0-9.eE+-]*' AND trim(${expr}) GLOB '*[0-9]*' THEN CAST(trim(${expr}) AS REAL) END)`;
  },
  toText(expr) {
    return sql`CAST(${expr} AS TEXT)`;
  },
  binNumber(expr, size) {
    return sql`(CAST((${expr}) / ${size} AS INTEGER) - (CASE WHEN (${expr}) < 0 AND (${expr}) / ${size} <> CAST((${expr}) / ${size} AS INTEGER) THEN 1 ELSE 0 END)) * ${size}`;
  },
  boolValue(v) {
    return new Sql([v ? '1' : '0']);
  },
  boolColumnTest(expr, v) {
    return v ? sql`${expr} <> 0` : sql`${expr} = 0`;
  },
  jsonBoolTest(expr, v) {
    return v
      ? sql`lower(CAST(${expr} AS TEXT)) IN ('1', 'true')`
      : sql`lower(CAST(${expr} AS TEXT)) IN ('0', 'false')`;
  },
};

const postgres: DialectOps = {
  name: 'postgres',
  match(expr, value, kind, caseSensitive) {
    if (caseSensitive && kind === 'equals') return sql`${expr} = ${text(value)}`;
    const p = text(likePattern(value, kind));
    return caseSensitive ? sql`${expr} LIKE ${p} ESCAPE '!'` : sql`${expr} ILIKE ${p} ESCAPE '!'`;
  },
  likeRaw(expr, pattern) {
    return sql`${expr} ILIKE ${text(pattern)} ESCAPE '!'`;
  },
  hasTerm(expr, needle, caseSensitive) {
    const b = termBounds(needle);
    if (!b.start && !b.end) return this.match(expr, needle, 'contains', caseSensitive);
    // Every non-alphanumeric needle character is backslash-escaped: literal in ARE.
    const body = needle.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`);
    const re = `${b.start ? '(^|[^A-Za-z0-9])' : ''}${body}${b.end ? '($|[^A-Za-z0-9])' : ''}`;
    return caseSensitive ? sql`${expr} ~ ${text(re)}` : sql`${expr} ~* ${text(re)}`;
  },
  matchExpr(expr, needle, kind, caseSensitive) {
    const a = caseSensitive ? expr : sql`lower(${expr})`;
    const b = caseSensitive ? needle : sql`lower(${needle})`;
    if (kind === 'contains') return sql`strpos(${a}, ${b}) > 0`;
    if (kind === 'startswith') return sql`starts_with(${a}, ${b})`;
    if (kind === 'endswith') return sql`right(${a}, length(${b})) = ${b}`;
    return sql`${a} = ${b}`;
  },
  equalsCi(a, b) {
    return sql`lower(${a}) = lower(${b})`;
  },
  inCi(a, list) {
    return sql`lower(${a}) IN (${joinSql(
      list.map((x) => sql`lower(${x})`),
      ', ',
    )})`;
  },
  distinctFrom(a, b) {
    return sql`${a} IS DISTINCT FROM ${b}`;
  },
  regex(expr, source, flags) {
    // ARE's newline handling differs from JavaScript's; pick the embedded option that matches the
    // JS flags: p = `.` stops at newlines, n = also ^/$ per line, w = only ^/$ per line, s = neither.
    const s = flags.includes('s');
    const m = flags.includes('m');
    const option = s ? (m ? 'w' : 's') : m ? 'n' : 'p';
    const p = text(`(?${option})${toPostgresRegex(source)}`);
    return flags.includes('i') ? sql`${expr} ~* ${p}` : sql`${expr} ~ ${p}`;
  },
  truncate(expr) {
    return sql`trunc(${expr})::bigint`;
  },
  jsonText(column, key) {
    return sql`(${column} ->> ${text(key)})`;
  },
  jsonNumber(column, key) {
    return this.textToNumber(sql`(${column} ->> ${text(key)})`);
  },
  textToNumber(expr) {
    return sql`(CASE WHEN ${expr} ~ ${new Sql([NUMERIC_TEXT_PG])} THEN (${expr})::double precision END)`;
  },
  toText(expr) {
    return sql`(${expr})::text`;
  },
  binNumber(expr, size) {
    return sql`floor((${expr}) / ${size}) * ${size}`;
  },
  boolValue(v) {
    return new Sql([v ? 'TRUE' : 'FALSE']);
  },
  boolColumnTest(expr, v) {
    return v ? sql`${expr} IS TRUE` : sql`${expr} IS FALSE`;
  },
  jsonBoolTest(expr, v) {
    return v ? sql`lower((${expr})::text) IN ('1', 'true')` : sql`lower((${expr})::text) IN ('0', 'false')`;
  },
};

/** The operations for a dialect. */
export function dialectOps(dialect: SqlDialect): DialectOps {
  return dialect === 'postgres' ? postgres : sqlite;
}

/** SQLite JSON path for a top-level key; the key is quoted so dots and spaces stay in the name. */
export function jsonPath(key: string): string {
  return `$."${key}"`;
}

/**
 * Adapts a JavaScript-syntax pattern (already screened) to PostgreSQL's ARE flavour: `\b`/`\B`
 * word boundaries are `\y`/`\Y` there (`\b` means backspace in ARE).
 */
export function toPostgresRegex(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && n === 'b') out += '\\y';
      else if (!inClass && n === 'B') out += '\\Y';
      else out += c + n;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

/**
 * Names a construct that JavaScript accepts but PostgreSQL's ARE engine does not, so a saved
 * query behaves the same on both stores; undefined when the pattern is portable.
 */
export function nonPortableRegex(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const n = source[i + 1] ?? '';
    if (c === '\\') {
      if (n === 'p' || n === 'P') return 'Unicode property escapes (\\p{…})';
      if (n === 'u' && source[i + 2] === '{') return 'code point escapes (\\u{…}); use \\uXXXX';
      if (inClass && (n === 'D' || n === 'W' || n === 'S')) return `\\${n} inside [...]`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++; // a leading ] is a member
      continue;
    }
    if (c === '(' && n === '?' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      return 'named groups (?<name>…); use (?:…)';
    }
  }
  return undefined;
}
