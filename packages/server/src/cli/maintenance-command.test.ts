import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { DAY_MS, dayStart } from '../db/event-rollups.ts';
import { openMigrated, sqliteStore } from '../test-support/databases.ts';
import { maintenanceCommand } from './maintenance-command.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

test('harrier maintenance refuses a bad --days with the usage and exit 2', async () => {
  for (const args of [
    ['--days', 'ten'],
    ['--days', '-1'],
    ['--weeks', '2'],
  ]) {
    const c = capture();
    assert.equal(await maintenanceCommand(args, c.io), 2, args.join(' '));
    assert.match(c.err.join('\n'), /usage: harrier maintenance/);
  }
});

test('harrier maintenance --days N removes older events and prints a JSON summary', async () => {
  const store = sqliteStore();
  const previous = process.env.HARRIER_DATA_DIR;
  const previousUrl = process.env.DATABASE_URL;
  process.env.HARRIER_DATA_DIR = store.env.HARRIER_DATA_DIR;
  // The command reads the store from the environment: this test's SQLite file.
  delete process.env.DATABASE_URL;
  try {
    const database = await openMigrated(store);
    const old = dayStart(Date.now()) - 10 * DAY_MS;
    await sql`INSERT INTO events (id, org_id, ts, received_at, source, fields)
      VALUES ('old', 'o', ${old}, ${old}, 'native', '{}'), ('new', 'o', ${Date.now()}, ${Date.now()}, 'native', '{}')`.execute(
      database.db,
    );
    await database.close();
    const c = capture();
    assert.equal(await maintenanceCommand(['--days', '7'], c.io), 0);
    const summary = JSON.parse(c.out.join('')) as { eventsDeleted: number; cutoff: string };
    assert.equal(summary.eventsDeleted, 1);
    assert.equal(summary.cutoff, new Date(dayStart(Date.now()) - 7 * DAY_MS).toISOString());
    const reopened = await store.open();
    const left = await reopened.db.selectFrom('events').select('id').execute();
    assert.deepEqual(
      left.map((r) => r.id),
      ['new'],
    );
    await reopened.close();
  } finally {
    if (previous === undefined) delete process.env.HARRIER_DATA_DIR;
    else process.env.HARRIER_DATA_DIR = previous;
    if (previousUrl !== undefined) process.env.DATABASE_URL = previousUrl;
    await store.cleanup();
  }
});
