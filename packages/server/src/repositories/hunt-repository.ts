import { CompiledQuery, type Kysely, sql } from 'kysely';
import { ReaderTimeoutError, type SqliteReaderPool } from '../db/sqlite-reader-pool.ts';
import type { Database, Dialect } from '../db/tables.ts';

/** SQL text and parameters produced by @harrier/query (never built from user input here). */
export interface HuntStatement {
  sql: string;
  params: ReadonlyArray<string | number | boolean>;
}

/** Raised when a hunt is stopped at its time limit (PostgreSQL's statement timeout, SQLite's reader). */
export class HuntTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query ran longer than ${timeoutMs} ms`);
    this.name = 'HuntTimeoutError';
  }
}

/**
 * Runs compiled hunting statements, and reads which catalog tables and columns exist.
 * On PostgreSQL every statement runs in its own transaction with `SET LOCAL statement_timeout`;
 * on SQLite it runs in a reader process (db/sqlite-reader-pool.ts) that is killed at the
 * limit, so a long scan never blocks the event loop.
 */
export class HuntRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** SQLite's reader processes; without them (`:memory:`) hunts run on the main connection. */
    private readonly readers?: SqliteReaderPool | undefined,
  ) {}

  /** Rows of a compiled statement (objects keyed by the compiler's `c0…cN` aliases). */
  async run(statement: HuntStatement, timeoutMs: number): Promise<unknown[]> {
    if (this.dialect !== 'postgres' && this.readers) return this.runInReader(statement, timeoutMs);
    const query = CompiledQuery.raw(statement.sql, [...statement.params]);
    if (this.dialect !== 'postgres') return (await this.db.executeQuery(query)).rows;
    const ms = Math.max(1, Math.floor(timeoutMs));
    try {
      return await this.db.transaction().execute(async (trx) => {
        // SET takes no bind parameters; `ms` is an integer we computed. More sort and hash
        // memory than the default 4 MB keeps summaries over millions of rows off the disk.
        await sql.raw(`SET LOCAL statement_timeout = ${ms}`).execute(trx);
        await sql.raw(`SET LOCAL work_mem = '64MB'`).execute(trx);
        // JIT compilation of a large scan's expressions costs more (1–2 s measured over 10 M
        // events) than it saves on the simple predicates and counts hunts compile to.
        await sql.raw('SET LOCAL jit = off').execute(trx);
        return (await trx.executeQuery(query)).rows;
      });
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw new HuntTimeoutError(ms);
      throw error;
    }
  }

  private async runInReader(statement: HuntStatement, timeoutMs: number): Promise<unknown[]> {
    try {
      return await this.readers!.run(statement.sql, statement.params, timeoutMs);
    } catch (error) {
      if (error instanceof ReaderTimeoutError) throw new HuntTimeoutError(error.timeoutMs);
      throw error;
    }
  }

  /** Column names of each of `tables` as the store has them (absent tables are left out). */
  async columnsOf(tables: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (tables.length === 0) return out;
    if (this.dialect === 'postgres') {
      const r = await sql<{ table_name: string; column_name: string }>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name IN (${sql.join(tables)})`.execute(this.db);
      for (const row of r.rows) {
        const cols = out.get(row.table_name) ?? new Set<string>();
        cols.add(row.column_name);
        out.set(row.table_name, cols);
      }
      return out;
    }
    for (const table of tables) {
      const r = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(this.db);
      if (r.rows.length > 0) out.set(table, new Set(r.rows.map((c) => c.name)));
    }
    return out;
  }
}
