import { CompiledQuery, type QueryResult } from 'kysely';
import { DAY_MS, dayStart } from './event-rollups.ts';

/** Runs one statement; a pg client's `query` or a Kysely executor adapted to it. */
export type RunSql = (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** {@link RunSql} over a Kysely instance or transaction. */
export function kyselyRunner(db: {
  executeQuery(query: CompiledQuery<unknown>): Promise<QueryResult<unknown>>;
}): RunSql {
  return async (text, params) =>
    (await db.executeQuery(CompiledQuery.raw(text, params ?? []))) as {
      rows: Array<Record<string, unknown>>;
    };
}

/**
 * PostgreSQL's events table is partitioned by UTC day on `ts` (migration 0012):
 * `events_pYYYYMMDD` holds [day, day + 1 d); `events_default` holds instants outside the window
 * where partitions are made on demand (clock-skewed or forged timestamps must not create a
 * table each), and is emptied of a day's rows when that day's partition is created.
 */
export const DEFAULT_PARTITION = 'events_default';

/** Days before now for which a late event still gets its own partition. */
export const PARTITION_PAST_DAYS = 400;
/** Days after now for which partitions are made (ahead by the maintenance job, on demand by the writer). */
export const PARTITION_AHEAD_DAYS = 7;

/** Name of the partition holding UTC day `day` (a day start in epoch ms). */
export function partitionName(day: number): string {
  const d = new Date(day);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `events_p${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** Day start of a partition name, or undefined for the default partition and other tables. */
export function partitionDay(name: string): number | undefined {
  const m = /^events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** True when `day` lies in the window where a day gets its own partition rather than the default. */
export function ownsPartition(day: number, now: number): boolean {
  const today = dayStart(now);
  return day >= today - PARTITION_PAST_DAYS * DAY_MS && day <= today + PARTITION_AHEAD_DAYS * DAY_MS;
}

/** Day partitions of the events table in the current schema, oldest first. */
export async function listPartitions(run: RunSql): Promise<number[]> {
  const r = await run(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'events' AND p.relnamespace = current_schema()::regnamespace`,
  );
  return r.rows
    .map((row) => partitionDay(String(row.name)))
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
}

/**
 * Creates the partition of `day` unless it exists. Rows of that day already in the default
 * partition (it would refuse the new partition otherwise) are moved: deleted through the parent
 * and inserted again, so the rollup triggers see both and the counts stay right.
 * Must run inside a transaction (the caller's); a concurrent creator makes this a no-op.
 */
export async function createPartition(run: RunSql, day: number): Promise<boolean> {
  const name = partitionName(day);
  const exists = await run(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]);
  if (exists.rows[0]?.present === true) return false;
  // Serializes creators of the same day across processes for this transaction.
  await run(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1))`, [name]);
  const again = await run(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]);
  if (again.rows[0]?.present === true) return false;
  const from = day;
  const to = day + DAY_MS;
  const stray = await run(`SELECT 1 FROM ${DEFAULT_PARTITION} WHERE ts >= $1 AND ts < $2 LIMIT 1`, [
    from,
    to,
  ]);
  if (stray.rows.length > 0) {
    await run(`CREATE TEMP TABLE harrier_moved_events (LIKE events) ON COMMIT DROP`);
    await run(
      `WITH moved AS (DELETE FROM events WHERE ts >= $1 AND ts < $2 RETURNING *)
       INSERT INTO harrier_moved_events SELECT * FROM moved`,
      [from, to],
    );
  }
  await run(`CREATE TABLE "${name}" PARTITION OF events FOR VALUES FROM (${from}) TO (${to})`);
  if (stray.rows.length > 0) {
    await run(`INSERT INTO events SELECT * FROM harrier_moved_events`);
    await run(`DROP TABLE harrier_moved_events`);
  }
  return true;
}

/** Partitions for today and the next {@link PARTITION_AHEAD_DAYS} days. */
export function daysAhead(now: number): number[] {
  const today = dayStart(now);
  return Array.from({ length: PARTITION_AHEAD_DAYS + 1 }, (_, i) => today + i * DAY_MS);
}

/** A pooled connection's view of {@link RunSql}. */
interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/**
 * Makes sure the day partitions a batch needs exist before the batch's transaction starts, so
 * late or early events land in their own day rather than the default partition. Each day is
 * looked up once per process; a failure only means the rows wait in the default partition
 * until the maintenance job creates the day (it moves them).
 */
export class PartitionKeeper {
  private readonly known = new Set<number>();

  constructor(private readonly connect: () => Promise<Queryable & { release(): void }>) {}

  async ensure(timestamps: Iterable<number>, now = Date.now()): Promise<void> {
    let missing: Set<number> | undefined;
    for (const ts of timestamps) {
      const day = dayStart(ts);
      if (this.known.has(day) || !ownsPartition(day, now)) continue;
      missing ??= new Set();
      missing.add(day);
    }
    if (!missing) return;
    const client = await this.connect();
    try {
      const run: RunSql = (text, params) => client.query(text, params);
      for (const day of missing) {
        try {
          await client.query('begin');
          await createPartition(run, day);
          await client.query('commit');
        } catch {
          await client.query('rollback').catch(() => undefined);
        }
        this.known.add(day);
      }
    } finally {
      client.release();
    }
  }

  /** Forgets days whose partitions were dropped (retention), so a late event re-creates none silently. */
  forget(days: Iterable<number>): void {
    for (const day of days) this.known.delete(day);
  }
}
