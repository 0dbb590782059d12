/**
 * @harrier/query: the hunting language (KQL-style pipes) and the quick filter (Lucene-style
 * search box), compiled to parameterized, organization-scoped SQL for SQLite and PostgreSQL.
 * Pure code: no I/O, no server imports.
 */
export type * from './ast.ts';
export * from './catalog.ts';
export { type CompletionItem, type Completions, completeAt } from './completion.ts';
export { type SqlDialect, toPostgresRegex } from './dialects.ts';
export * from './errors.ts';
export { type Token, type TokenKind, tokenize } from './lexer.ts';
export {
  MAX_EXPRESSION_DEPTH,
  MAX_LIST_ITEMS,
  MAX_OPERATORS,
  MAX_QUERY_LENGTH,
  parseDatetime,
  parseExpression,
  parseQuery,
} from './parser.ts';
export {
  compileQuickFilter,
  compileQuickFilterHistogram,
  MAX_FILTER_LENGTH,
  parseQuickFilter,
  type QuickFilterOptions,
} from './quick-filter.ts';
export { decodeRowObjects, decodeRows, type ResultValue } from './results.ts';
export { coveringDimensions, type RollupSpec, rollupSource } from './rollups.ts';
export {
  type CompiledHistogram,
  type CompiledQuery,
  type CompileOptions,
  chooseBucketMs,
  compileHistogram,
  compileQuery,
  type OutputColumn,
  type QueryWarning,
  type ValueType,
} from './sql-compiler.ts';
export { createSqliteRegexp } from './sqlite-regexp.ts';
