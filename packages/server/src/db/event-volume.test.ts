import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { compileHistogram, compileQuery } from '@harrier/query';
import { type Kysely, Migrator, sql } from 'kysely';
import { HuntRepository } from '../repositories/hunt-repository.ts';
import { serverCatalog } from '../services/hunt-catalog.ts';
import { RetentionService, SQLITE_DELETE_BATCH } from '../services/retention-service.ts';
import { openMigrated, testStores } from '../test-support/databases.ts';
import type { HarrierDatabase } from './database.ts';
import {
  createPartition,
  listPartitions,
  partitionName,
  kyselyRunner as runner,
} from './event-partitions.ts';
import { DAY_MS, dayStart, EVENT_ROLLUP_SPEC } from './event-rollups.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Database } from './tables.ts';
import type { EventRow } from './write-jobs.ts';

const ORG = 'org-a';
const OTHER = 'org-b';
const NOW = Date.now();

function eventRow(id: string, ts: number, over: Partial<EventRow> = {}): EventRow {
  return {
    id,
    org_id: ORG,
    device_id: 'dev',
    ts,
    received_at: NOW,
    source: 'native',
    product: 'windows',
    category: 'process_creation',
    service: null,
    event_code: 4688,
    severity: null,
    title: null,
    hostname: 'WS-1',
    user_name: 'alice',
    image: 'C:\\cmd.exe',
    command_line: 'cmd /c whoami',
    parent_image: null,
    target_filename: null,
    source_ip: null,
    destination_ip: null,
    destination_port: null,
    fields: '{}',
    raw: null,
    batch_id: null,
    ...over,
  };
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function countEvents(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Rollup totals per (org, dims, day) must equal the events' own counts per (org, day). */
async function assertRollupsMatch(database: HarrierDatabase): Promise<void> {
  const day = sql.raw(`(ts - (((ts % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}))`);
  const raw = await sql<{ org_id: string; day: number; n: number }>`
    SELECT org_id, ${day} AS day, count(*) AS n FROM events GROUP BY 1, 2`.execute(database.db);
  const expected = new Map(raw.rows.map((r) => [`${r.org_id}|${Number(r.day)}`, Number(r.n)]));
  const rolled = await sql<{ org_id: string; dims: string; day: number; n: number }>`
    SELECT org_id, dims, day, sum(n) AS n FROM event_rollups_daily GROUP BY 1, 2, 3`.execute(database.db);
  for (const d of EVENT_ROLLUP_SPEC.dimensions) {
    const got = new Map(
      rolled.rows.filter((r) => r.dims === d.name).map((r) => [`${r.org_id}|${Number(r.day)}`, Number(r.n)]),
    );
    assert.deepEqual(got, expected, `rollup ${d.name}`);
  }
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`events at volume on ${store.name}`, () => {
    after(() => store.cleanup());

    test('a resent event is recognized (existingIds) and counted once in the rollups', async () => {
      const database = await openMigrated(store);
      try {
        const today = dayStart(NOW);
        const late = today - 20 * DAY_MS + 5_000;
        const odd = Date.UTC(1990, 0, 1);
        const rows = [
          eventRow('r1', today + 1_000),
          eventRow('r2', late),
          eventRow('r3', odd, { hostname: null, event_code: null }),
        ];
        const first = await database.writer.submit({ kind: 'events', events: rows });
        assert.deepEqual(first, { status: 'ok', inserted: 3, duplicate: false });
        const again = await database.writer.submit({
          kind: 'events',
          events: [...rows, eventRow('r4', today + 2_000)],
        });
        assert.equal(again.status, 'ok');
        assert.ok(again.status === 'ok');
        assert.equal(again.inserted, 1);
        assert.deepEqual([...(again.existingIds ?? [])].sort(), ['r1', 'r2', 'r3']);
        assert.equal(await countEvents(database.db), 4);
        await assertRollupsMatch(database);
        if (database.dialect === 'postgres') {
          const days = await listPartitions(runner(database.db));
          assert.ok(days.includes(today), 'today has a partition');
          assert.ok(days.includes(today + 7 * DAY_MS), 'partitions are made a week ahead');
          assert.ok(days.includes(dayStart(late)), 'the writer made the late day a partition');
          assert.ok(!days.includes(dayStart(odd)), 'an odd timestamp creates no partition');
          const inDefault = await sql<{ id: string }>`SELECT id FROM events_default`.execute(database.db);
          assert.deepEqual(
            inDefault.rows.map((r) => r.id),
            ['r3'],
          );
          const kind = await sql<{ kind: string }>`
            SELECT relkind AS kind FROM pg_class WHERE relname = 'events'
              AND relnamespace = current_schema()::regnamespace`.execute(database.db);
          assert.equal(kind.rows[0]?.kind, 'p');
        }
      } finally {
        await database.close();
      }
    });

    if (store.name === 'postgres') {
      test('two writers (two ingest processes) sharing rollup rows both commit, counts exact', async () => {
        const a = await openMigrated(store);
        const b = await store.open();
        try {
          const before = await countEvents(a.db);
          const today = dayStart(NOW);
          const batch = (w: string, k: number) =>
            Array.from({ length: 200 }, (_, i) =>
              eventRow(`${w}-${k}-${i}`, today + ((i * 7919 + k) % DAY_MS), {
                hostname: `WS-${i % 5}`,
                image: `C:\\img${(i + k) % 4}.exe`,
                user_name: `u${i % 3}`,
              }),
            );
          const outcomes = await Promise.all(
            Array.from({ length: 10 }, (_, k) => [
              a.writer.submit({ kind: 'events', events: batch('a', k) }),
              b.writer.submit({ kind: 'events', events: batch('b', k) }),
            ]).flat(),
          );
          assert.ok(outcomes.every((o) => o.status === 'ok' && o.inserted === 200));
          assert.equal(await countEvents(a.db), before + 4_000);
          await assertRollupsMatch(a);
        } finally {
          await b.close();
          await a.close();
        }
      });

      test("creating a day's partition moves that day's rows out of the default partition", async () => {
        const database = await openMigrated(store);
        try {
          const far = dayStart(NOW) + 30 * DAY_MS;
          await database.writer.submit({
            kind: 'events',
            events: [eventRow('f1', far + 10), eventRow('f2', far + 20, { hostname: 'WS-9' })],
          });
          const run = runner(database.db);
          const before = await countEvents(database.db);
          await database.db.transaction().execute(async (trx) => {
            assert.equal(await createPartition(runner(trx), far), true);
          });
          const moved = await sql<{
            id: string;
          }>`SELECT id FROM ${sql.table(partitionName(far))} ORDER BY id`.execute(database.db);
          assert.deepEqual(
            moved.rows.map((r) => r.id),
            ['f1', 'f2'],
          );
          assert.equal(await countEvents(database.db), before);
          assert.ok((await listPartitions(run)).includes(far));
          await assertRollupsMatch(database);
        } finally {
          await database.close();
        }
      });
    }
  });

  describe(`migration 0012 over existing events on ${store.name}`, () => {
    const older = makeStore();
    after(() => older.cleanup());

    test('keeps every row, converts the table and fills the rollups', async () => {
      const database = await older.open();
      try {
        const migrations = Object.fromEntries(
          Object.entries(MIGRATIONS).map(([name, m]) => [
            name,
            { up: (k: Kysely<unknown>) => m.up(k, database.dialect) },
          ]),
        );
        const migrator = new Migrator({
          db: database.db,
          provider: { getMigrations: async () => migrations },
          migrationTableName: 'harrier_migrations',
          migrationLockTableName: 'harrier_migrations_lock',
          ...(database.schema ? { migrationTableSchema: database.schema } : {}),
        });
        const before = Object.keys(MIGRATIONS)
          .filter((m) => m < '0012')
          .at(-1)!;
        const first = await migrator.migrateTo(before);
        assert.equal(first.error, undefined);
        const rand = random(7);
        const rows: EventRow[] = [];
        for (let i = 0; i < 300; i++) {
          const ts = dayStart(NOW) - Math.floor(rand() * 6) * DAY_MS + Math.floor(rand() * DAY_MS);
          rows.push(
            eventRow(`m${i}`, i === 0 ? Date.UTC(2001, 5, 1) : ts, {
              org_id: i % 5 === 0 ? OTHER : ORG,
              hostname: `WS-${Math.floor(rand() * 4)}`,
            }),
          );
        }
        for (let i = 0; i < rows.length; i += 100)
          await database.db
            .insertInto('events')
            .values(rows.slice(i, i + 100))
            .execute();
        const rest = await migrator.migrateToLatest();
        assert.equal(rest.error, undefined);
        assert.equal(await countEvents(database.db), 300);
        await assertRollupsMatch(database);
        if (database.dialect === 'postgres') {
          const indexes = await sql<{ name: string }>`
            SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'events'`.execute(
            database.db,
          );
          const names = indexes.rows.map((r) => r.name);
          for (const expected of [
            'events_pkey',
            'events_ts_brin',
            'events_org_ts_summary',
            'events_device_ts',
          ])
            assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
        }
      } finally {
        await database.close();
      }
    });
  });

  describe(`retention on ${store.name}`, () => {
    const kept = makeStore();
    after(() => kept.cleanup());

    test('removes whole days older than N days with their rollups, heartbeats and batch records', async () => {
      const database = await openMigrated(kept);
      try {
        const today = dayStart(NOW);
        const cutoff = today - 30 * DAY_MS;
        const old: EventRow[] = [];
        // More old events than one SQLite delete batch, in two organizations.
        for (let i = 0; i < SQLITE_DELETE_BATCH + 50; i++)
          old.push(eventRow(`o${i}`, cutoff - DAY_MS - i * 1_000, { org_id: i % 3 === 0 ? OTHER : ORG }));
        old.push(eventRow('edge-old', cutoff - 1), eventRow('ancient', Date.UTC(1990, 0, 1)));
        const young = [
          eventRow('edge-new', cutoff),
          eventRow('today', today + 1),
          eventRow('y2', cutoff + DAY_MS),
        ];
        for (let i = 0; i < old.length; i += 2_000)
          await database.writer.submit({ kind: 'events', events: old.slice(i, i + 2_000) });
        await database.writer.submit({ kind: 'events', events: young });
        const heartbeat = (id: string, at: number) => ({
          id,
          org_id: ORG,
          device_id: 'dev',
          ts: at,
          received_at: at,
          reported_ts: String(at),
          agent_version: null,
          os_version: null,
          uptime_s: null,
          cpu_pct: null,
          mem_used_bytes: null,
          mem_total_bytes: null,
          disk_used_bytes: null,
          disk_total_bytes: null,
          data: '{}',
        });
        await database.db
          .insertInto('heartbeats')
          .values([heartbeat('h-old', cutoff - 5), heartbeat('h-new', cutoff + 5)])
          .execute();
        await database.db
          .insertInto('ingest_batches')
          .values([
            { device_id: 'dev', batch_id: 'b-old', org_id: ORG, result: '{}', created_at: cutoff - 5 },
            { device_id: 'dev', batch_id: 'b-new', org_id: ORG, result: '{}', created_at: cutoff + 5 },
          ])
          .execute();

        const retention = new RetentionService(database);
        const keepAll = await retention.run(0, NOW);
        assert.equal(keepAll.cutoff, undefined);
        assert.equal(await countEvents(database.db), old.length + young.length);

        const result = await retention.run(30, NOW);
        assert.equal(result.cutoff, cutoff);
        const ids = (await database.db.selectFrom('events').select('id').orderBy('id').execute()).map(
          (r) => r.id,
        );
        assert.deepEqual(ids, ['edge-new', 'today', 'y2']);
        assert.equal(result.heartbeatsDeleted, 1);
        assert.equal(result.ingestBatchesDeleted, 1);
        const hb = await database.db.selectFrom('heartbeats').select('id').execute();
        assert.deepEqual(
          hb.map((r) => r.id),
          ['h-new'],
        );
        await assertRollupsMatch(database);
        if (database.dialect === 'postgres') {
          assert.ok(result.partitionsDropped >= 1);
          const days = await listPartitions(runner(database.db));
          assert.ok(
            days.every((d) => d >= cutoff),
            'no partition before the cutoff is left',
          );
          assert.ok(days.includes(today + 7 * DAY_MS));
          // The default partition held the 1990 event: deleted row by row.
          assert.equal(result.eventsDeleted, 1);
        } else {
          assert.equal(result.eventsDeleted, old.length);
        }
        // Ingest still works after its partitions were dropped (a late event for a dropped day too).
        const late = await database.writer.submit({
          kind: 'events',
          events: [eventRow('late', cutoff - 3 * DAY_MS), eventRow('now', NOW)],
        });
        assert.equal(late.status === 'ok' && late.inserted, 2);
        await assertRollupsMatch(database);
      } finally {
        await database.close();
      }
    });
  });

  describe(`hunts from the rollups on ${store.name}`, () => {
    const rolled = makeStore();
    after(() => rolled.cleanup());

    test('summarize count() by and top N over whole days equal the raw query on random data', async () => {
      const database = await openMigrated(rolled);
      try {
        const rand = random(42);
        const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
        const start = dayStart(NOW) - 9 * DAY_MS;
        const rows: EventRow[] = [];
        for (let i = 0; i < 2_000; i++) {
          rows.push(
            eventRow(`e${String(i).padStart(5, '0')}`, start + Math.floor(rand() * 10 * DAY_MS), {
              org_id: rand() < 0.2 ? OTHER : ORG,
              hostname: pick(['WS-1', 'WS-2', 'SRV-1', '', null]),
              event_code: pick([4624, 4688, 1, null]),
              user_name: pick(['alice', 'bob', 'SYSTEM', null]),
              image: pick(['C:\\cmd.exe', 'C:\\powershell.exe', '/bin/sh', null]),
            }),
          );
        }
        for (let i = 0; i < rows.length; i += 500)
          await database.writer.submit({ kind: 'events', events: rows.slice(i, i + 500) });
        const repo = new HuntRepository(database.db, database.dialect);
        const queries = [
          'Events | summarize count() by Computer, EventID',
          'Events | summarize n = count() by Image | top 3 by n',
          'Events | summarize count() by User, Image',
          'Events | summarize c = count(), d = count() by Computer',
          'Events | count',
          'Events | distinct Image, User',
          'Events | project Computer, EventID | summarize count() by EventID',
        ];
        const ranges = [
          { from: start, to: start + 10 * DAY_MS },
          { from: start + 3_600_000, to: start + 7 * DAY_MS + 1 },
          { from: start + 2 * DAY_MS + 17, to: undefined },
          { from: start + 1, to: start + DAY_MS + 5 },
        ];
        const catalog = serverCatalog();
        const normalize = (rs: unknown[]) =>
          rs
            .map((r) =>
              JSON.stringify(Object.values(r as object).map((v) => (v === null ? null : String(v)))),
            )
            .sort();
        const compare = async () => {
          for (const text of queries) {
            for (const range of ranges) {
              const base = {
                dialect: database.dialect,
                orgId: ORG,
                now: NOW,
                maxRows: 10_000,
                catalog,
                timeRange: range.to === undefined ? { from: range.from } : range,
              };
              const raw = compileQuery(text, base);
              const fast = compileQuery(text, { ...base, rollup: EVENT_ROLLUP_SPEC });
              const label = `${text} over ${JSON.stringify(range)}`;
              const wholeDay = range.to === undefined || range.to - range.from > 2 * DAY_MS;
              assert.equal(fast.sql.includes('event_rollups_daily'), wholeDay, label);
              const a = await repo.run(raw, 30_000);
              const b = await repo.run(fast, 30_000);
              if (text.includes('top')) {
                // Ties at the cut may pick different groups: compare the counts.
                const counts = (rs: unknown[]) => rs.map((r) => Number((r as { c1: unknown }).c1));
                assert.deepEqual(counts(b), counts(a), label);
              } else assert.deepEqual(normalize(b), normalize(a), label);
            }
          }
        };
        await compare();
        // Unfiltered histograms over a week or more count whole days from the rollups.
        const histograms = async () => {
          for (const range of ranges) {
            if (range.to === undefined || range.to - range.from < 7 * DAY_MS) continue;
            const base = {
              dialect: database.dialect,
              orgId: ORG,
              now: NOW,
              maxRows: 100,
              catalog,
              timeRange: { from: range.from, to: range.to },
            };
            const raw = compileHistogram('Events', { ...base, bucketMs: DAY_MS });
            const fast = compileHistogram('Events', { ...base, rollup: EVENT_ROLLUP_SPEC });
            const label = `histogram over ${JSON.stringify(range)}`;
            assert.equal(fast.bucketMs, DAY_MS, label);
            assert.ok(fast.sql.includes('event_rollups_daily'), label);
            const a = await repo.run(raw, 30_000);
            const b = await repo.run(fast, 30_000);
            const norm = (rs: unknown[]) => rs.map((r) => Object.values(r as object).map(Number));
            assert.deepEqual(norm(b), norm(a), label);
          }
          const filtered = compileHistogram('Events | where EventID == 4688', {
            dialect: database.dialect,
            orgId: ORG,
            now: NOW,
            maxRows: 100,
            catalog,
            timeRange: ranges[0]!,
            rollup: EVENT_ROLLUP_SPEC,
          });
          assert.ok(!filtered.sql.includes('event_rollups_daily'));
        };
        await histograms();
        // Deleting events (demo reset, retention of the default partition) keeps them equal.
        await database.db.deleteFrom('events').where('hostname', '=', 'WS-2').execute();
        await compare();
        await histograms();
        await assertRollupsMatch(database);
        // A filter, an aggregate other than count, or a computed key reads the rows.
        for (const text of [
          'Events | where EventID == 4688 | summarize count() by Computer',
          'Events | summarize dcount(User) by Computer',
          'Events | summarize count() by bin(Timestamp, 1d)',
          'Events | summarize count() by CommandLine',
        ]) {
          const c = compileQuery(text, {
            dialect: database.dialect,
            orgId: ORG,
            now: NOW,
            maxRows: 100,
            catalog,
            timeRange: ranges[0]!,
            rollup: EVENT_ROLLUP_SPEC,
          });
          assert.ok(!c.sql.includes('event_rollups_daily'), text);
        }
      } finally {
        await database.close();
      }
    });
  });
}
