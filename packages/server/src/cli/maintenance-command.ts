/**
 * `harrier maintenance [--days N]`: one maintenance pass now: PostgreSQL's day partitions for
 * the coming week, then removal of events (whole day partitions on PostgreSQL, batched deletes
 * on SQLite), rollups, heartbeats and batch records older than N days. Without --days it uses
 * HARRIER_RETENTION_DAYS (0: keep everything, partitions only). Prints one JSON line; exit 2 on
 * bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { RetentionService } from '../services/retention-service.ts';

const USAGE = 'usage: harrier maintenance [--days N]   (N >= 0; 0 keeps every event)';

/** Runs `harrier maintenance`; returns the exit code. */
export async function maintenanceCommand(
  args: string[],
  io = { out: console.log, err: console.error },
): Promise<number> {
  let days: number | undefined;
  try {
    const parsed = parseArgs({ args, options: { days: { type: 'string' } }, allowPositionals: false });
    if (parsed.values.days !== undefined) {
      if (!/^\d{1,5}$/.test(parsed.values.days))
        throw new Error(`--days must be a whole number, got "${parsed.values.days}"`);
      days = Number(parsed.values.days);
    }
  } catch (error) {
    io.err(`harrier: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
  });
  try {
    await migrateToLatest(database.db, database.dialect, database.schema);
    const result = await new RetentionService(database).run(days ?? config.retentionDays);
    io.out(
      JSON.stringify({
        ...result,
        ...(result.cutoff !== undefined ? { cutoff: new Date(result.cutoff).toISOString() } : {}),
      }),
    );
    return 0;
  } finally {
    await database.close();
  }
}
