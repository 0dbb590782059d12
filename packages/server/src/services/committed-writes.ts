import type { Compilable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import { WriterOverloadedError } from '../db/write-jobs.ts';

/** How long a write waits for room in a saturated writer queue before giving up. */
const MAX_WAIT_MS = 60_000;

/**
 * Commits Kysely queries in one transaction through the store's single writer
 * (the ingest writer). On SQLite a second writing connection would contend
 * with the writer for the database lock, and a wait for it blocks the main
 * thread; through the writer the queries join its group commit instead.
 * Resolves after the commit; a saturated queue is waited for, not failed.
 */
export async function commitThroughWriter(
  database: HarrierDatabase,
  queries: readonly Compilable[],
): Promise<number> {
  if (queries.length === 0) return 0;
  const statements = queries.map((q) => {
    const c = q.compile();
    return { sql: c.sql, parameters: c.parameters };
  });
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await database.writer.submit({ kind: 'statements', statements });
      return outcome.status === 'ok' ? outcome.inserted : 0;
    } catch (error) {
      if (!(error instanceof WriterOverloadedError) || Date.now() - started > MAX_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
    }
  }
}
