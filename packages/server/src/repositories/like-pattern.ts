import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/** `%text%` with LIKE's wildcards escaped by backslashes. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `expr LIKE pattern ESCAPE '\'`: the explicit escape character makes escaped
 * wildcards mean the same on SQLite (which has no default) and PostgreSQL.
 */
export function likeEscaped(expr: Expression<unknown>, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${expr} like ${pattern} escape '\\'`;
}
