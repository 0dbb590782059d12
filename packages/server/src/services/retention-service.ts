import { CompiledQuery, sql } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import {
  createPartition,
  DEFAULT_PARTITION,
  daysAhead,
  listPartitions,
  partitionName,
  kyselyRunner as runner,
} from '../db/event-partitions.ts';
import { DAY_MS, dayStart } from '../db/event-rollups.ts';

/** What one maintenance pass did. */
export interface MaintenanceResult {
  /** Events before this instant (a UTC day start) were removed; absent when retention is off. */
  cutoff?: number;
  partitionsCreated: number;
  partitionsDropped: number;
  /** Events deleted row by row (SQLite; PostgreSQL's default partition). */
  eventsDeleted: number;
  heartbeatsDeleted: number;
  ingestBatchesDeleted: number;
}

/** Rows per delete on SQLite: one writer job each, so ingest waits for at most one batch. */
export const SQLITE_DELETE_BATCH = 5_000;

/**
 * Keeps the event store to its retention: whole days of events older than `days` (counted from
 * the start of today, UTC) go, with their per-day rollups, the heartbeats and the batch
 * de-duplication records of the same age. PostgreSQL drops whole day partitions (no row-by-row
 * delete, no bloat) and creates the coming days' partitions; SQLite deletes in small batches
 * through the single writer, so ingest is never held up for long.
 */
export class RetentionService {
  constructor(private readonly database: HarrierDatabase) {}

  /** One pass: partitions ahead (PostgreSQL) and, when `days` > 0, removal of older data. */
  async run(days: number, now = Date.now()): Promise<MaintenanceResult> {
    if (!Number.isSafeInteger(days) || days < 0) throw new RangeError('days must be a whole number >= 0');
    const result: MaintenanceResult = {
      partitionsCreated: 0,
      partitionsDropped: 0,
      eventsDeleted: 0,
      heartbeatsDeleted: 0,
      ingestBatchesDeleted: 0,
    };
    if (this.database.dialect === 'postgres') result.partitionsCreated = await this.partitionsAhead(now);
    if (days === 0) return result;
    const cutoff = dayStart(now) - days * DAY_MS;
    result.cutoff = cutoff;
    if (this.database.dialect === 'postgres') {
      result.partitionsDropped = await this.dropPartitionsBefore(cutoff);
      result.eventsDeleted = await this.execute(
        `DELETE FROM ${DEFAULT_PARTITION} WHERE ts < $1`,
        [cutoff],
        true,
      );
    } else {
      result.eventsDeleted = await this.deleteInBatches('events', 'ts', cutoff);
    }
    await this.execute(`DELETE FROM event_rollups_daily WHERE day < ${sqlParam(this.database, 1)}`, [cutoff]);
    result.heartbeatsDeleted =
      this.database.dialect === 'postgres'
        ? await this.execute('DELETE FROM heartbeats WHERE received_at < $1', [cutoff])
        : await this.deleteInBatches('heartbeats', 'received_at', cutoff);
    result.ingestBatchesDeleted = await this.execute(
      `DELETE FROM ingest_batches WHERE created_at < ${sqlParam(this.database, 1)}`,
      [cutoff],
    );
    return result;
  }

  /** Creates today's and the next days' partitions; returns how many were new. */
  private async partitionsAhead(now: number): Promise<number> {
    let created = 0;
    for (const day of daysAhead(now)) {
      const made = await this.database.db
        .transaction()
        .execute(async (trx) => createPartition(runner(trx), day));
      if (made) created++;
    }
    return created;
  }

  /**
   * Drops the day partitions entirely before `cutoff`, each with its rollup rows in one short
   * transaction, so a hunt never reads a day's rollups without its events.
   */
  private async dropPartitionsBefore(cutoff: number): Promise<number> {
    const days = (await listPartitions(runner(this.database.db))).filter((d) => d + DAY_MS <= cutoff);
    for (const day of days) {
      await this.database.db.transaction().execute(async (trx) => {
        const run = runner(trx);
        await run('DELETE FROM event_rollups_daily WHERE day = $1', [day]);
        await run(`DROP TABLE IF EXISTS "${partitionName(day)}"`);
      });
    }
    const writer = this.database.writer as { partitions?: { forget(days: Iterable<number>): void } };
    writer.partitions?.forget(days);
    return days.length;
  }

  /**
   * SQLite: deletes `table` rows older than `cutoff` a batch at a time, each batch a job of the
   * single writer between ingest batches; per organization, so the `(org_id, time)` indexes find
   * the rows instead of scanning the table.
   */
  private async deleteInBatches(
    table: 'events' | 'heartbeats',
    column: string,
    cutoff: number,
  ): Promise<number> {
    const orgs = await sql<{ org_id: string }>`SELECT DISTINCT org_id FROM ${sql.table(table)}`.execute(
      this.database.db,
    );
    const statement = `DELETE FROM "${table}" WHERE rowid IN (SELECT rowid FROM "${table}"
      WHERE org_id = ? AND "${column}" < ? LIMIT ${SQLITE_DELETE_BATCH})`;
    let total = 0;
    for (const { org_id } of orgs.rows) {
      for (;;) {
        const outcome = await this.database.writer.submit({
          kind: 'statements',
          statements: [{ sql: statement, parameters: [org_id, cutoff] }],
        });
        const n = outcome.status === 'ok' ? outcome.inserted : 0;
        total += n;
        if (n < SQLITE_DELETE_BATCH) break;
      }
    }
    return total;
  }

  /** One statement; on SQLite through the writer (the one connection that writes). */
  private async execute(text: string, params: unknown[], pgOnly = false): Promise<number> {
    if (this.database.dialect === 'postgres') {
      const r = await this.database.db.executeQuery(CompiledQuery.raw(text, params));
      return Number(r.numAffectedRows ?? 0);
    }
    if (pgOnly) return 0;
    const outcome = await this.database.writer.submit({
      kind: 'statements',
      statements: [{ sql: text, parameters: params }],
    });
    return outcome.status === 'ok' ? outcome.inserted : 0;
  }
}

function sqlParam(database: HarrierDatabase, n: number): string {
  return database.dialect === 'postgres' ? `$${n}` : '?';
}
