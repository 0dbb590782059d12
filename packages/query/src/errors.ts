/** Where something sits in the query text; line and column are 1-based, offset 0-based. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/**
 * Machine-readable error kinds. The API maps them to HTTP statuses (TABLE_NOT_FOUND → 404 in the
 * seed-004 adapter, everything else → 400) and the console underlines `offset`.
 */
export type QueryErrorCode =
  | 'SYNTAX_ERROR'
  | 'TABLE_NOT_FOUND'
  | 'FIELD_NOT_FOUND'
  | 'FUNCTION_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'UNSAFE_REGEX'
  | 'ROW_LIMIT'
  | 'TIME_LIMIT'
  | 'TOO_COMPLEX'
  | 'INVALID_OPTIONS';

/** A problem with a query, positioned so the editor can point at it. */
export class QueryError extends Error {
  readonly code: QueryErrorCode;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** What the parser would have accepted at this point (empty when not a syntax error). */
  readonly expected: string[];

  constructor(code: QueryErrorCode, message: string, pos: Position, expected: string[] = []) {
    super(message);
    this.name = 'QueryError';
    this.code = code;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
    this.expected = expected;
  }

  /** A plain object for API error `details`. */
  toJSON(): {
    code: QueryErrorCode;
    message: string;
    line: number;
    column: number;
    offset: number;
    expected: string[];
  } {
    return {
      code: this.code,
      message: this.message,
      line: this.line,
      column: this.column,
      offset: this.offset,
      expected: this.expected,
    };
  }
}

/** Line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The position used for problems that concern the query as a whole (options, limits). */
export const START: Position = { offset: 0, line: 1, column: 1 };
