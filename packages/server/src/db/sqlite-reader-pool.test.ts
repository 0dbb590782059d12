import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileQuery } from '@harrier/query';
import { CompiledQuery } from 'kysely';
import { HuntRepository, HuntTimeoutError } from '../repositories/hunt-repository.ts';
import { type HarrierDatabase, openDatabase } from './database.ts';
import { migrateToLatest } from './migrator.ts';
import {
  ReadersBusyError,
  ReadersClosedError,
  ReaderTimeoutError,
  SqliteReaderPool,
} from './sqlite-reader-pool.ts';

// The pool exists for SQLite files only (PostgreSQL has its own statement timeout), so these
// tests open a SQLite file directly rather than every test store.

/** Counts to ten billion: runs far past any limit below, and the compiler can never produce it. */
const ENDLESS = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
  SELECT count(*) AS c FROM n`;
const ORG = '01900000-0000-7000-8000-0000000000aa';
const OTHER = '01900000-0000-7000-8000-0000000000bb';
const T0 = Date.UTC(2026, 10, 20);

/** Resolves once `pid` has exited (a killed reader is reaped shortly after its read fails). */
async function waitUntilGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SQLite reader pool', () => {
  let dir: string;
  let database: HarrierDatabase;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harrier-readers-'));
    database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db, database.dialect, database.schema);
    for (const org of [ORG, OTHER]) {
      await database.db
        .insertInto('organizations')
        .values({
          id: org,
          name: org,
          slug: org,
          ingest_rate_limit_per_minute: 0,
          response_enabled: 0,
          created_at: T0,
        })
        .execute();
    }
    // 400 events over two organizations, three hosts, a few command lines.
    const rows = Array.from({ length: 400 }, (_, i) => ({
      id: `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      org_id: i % 4 === 0 ? OTHER : ORG,
      device_id: null,
      ts: T0 + i * 60_000,
      received_at: T0 + i * 60_000,
      source: 'native',
      product: 'windows',
      category: 'process_creation',
      service: null,
      event_code: i % 2 === 0 ? 4688 : 1,
      severity: null,
      title: null,
      hostname: `ws-${i % 3}`,
      user_name: i % 5 === 0 ? 'alice' : 'bob',
      image: 'C:\\Windows\\System32\\cmd.exe',
      command_line: ['cmd.exe /c whoami', 'powershell -enc AAA', 'curl http://x.test'][i % 3]!,
      parent_image: null,
      target_filename: null,
      source_ip: null,
      destination_ip: null,
      destination_port: null,
      fields: JSON.stringify({ n: i }),
      raw: null,
      batch_id: null,
    }));
    await database.db.insertInto('events').values(rows).execute();
  });

  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file store gets readers; hunts there run in them', () => {
    assert.ok(database.readers instanceof SqliteReaderPool);
  });

  test('a read past its limit is cut while the event loop keeps answering', async () => {
    const order: string[] = [];
    const slow = database.readers!.run(ENDLESS, [], 300).then(
      () => order.push('read finished'),
      (error: unknown) => {
        assert.ok(error instanceof ReaderTimeoutError);
        assert.equal(error.timeoutMs, 300);
        order.push('read cut');
      },
    );
    // The main connection and timers stay free while the reader thread spins.
    const main = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const r = await database.db.executeQuery(CompiledQuery.raw('select 1 as one'));
      assert.deepEqual(r.rows, [{ one: 1 }]);
      order.push('main answered');
    })();
    await Promise.all([slow, main]);
    assert.deepEqual(order, ['main answered', 'read cut']);
  });

  test('the pool recovers after a terminated worker', async () => {
    const pool = new SqliteReaderPool(join(dir, 'harrier.db'), { size: 1 });
    try {
      const stuck = pool.run(ENDLESS, [], 100);
      await new Promise((resolve) => setImmediate(resolve));
      const [pid] = pool.pids();
      await assert.rejects(stuck, ReaderTimeoutError);
      assert.equal(pool.processes(), 0);
      await waitUntilGone(pid!);
      assert.deepEqual(await pool.run('select ? + 1 as v', [41], 10_000), [{ v: 42 }]);
      assert.equal(pool.processes(), 1);
      // A failed statement fails its read only, with the SQLite code the hunt service maps.
      await assert.rejects(
        pool.run('select nope from events', [], 10_000),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'SQLITE_ERROR');
          return true;
        },
      );
      assert.deepEqual(await pool.run('select 2 as v', [], 10_000), [{ v: 2 }]);
    } finally {
      await pool.close();
    }
  });

  test('reads queue for a free worker; a full queue is refused with a retry hint', async () => {
    const pool = new SqliteReaderPool(join(dir, 'harrier.db'), { size: 1, maxQueue: 1 });
    try {
      const running = pool.run(ENDLESS, [], 400);
      const queued = pool.run('select 7 as v', [], 10_000);
      await assert.rejects(pool.run('select 8 as v', [], 10_000), (error: unknown) => {
        assert.ok(error instanceof ReadersBusyError);
        assert.ok(error.retryAfterSeconds >= 1);
        return true;
      });
      await assert.rejects(running, ReaderTimeoutError);
      // The queued read runs on the worker that replaced the terminated one.
      assert.deepEqual(await queued, [{ v: 7 }]);
    } finally {
      await pool.close();
    }
  });

  test('the readers are read-only', async () => {
    await assert.rejects(database.readers!.run('delete from events returning id', [], 10_000));
    const n = await database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    assert.equal(Number(n?.n), 400);
  });

  test('hunts in the readers return what the main connection returns', async () => {
    const catalogRepo = new HuntRepository(database.db, database.dialect);
    const onMain = new HuntRepository(database.db, database.dialect);
    const inReaders = new HuntRepository(database.db, database.dialect, database.readers);
    const { serverCatalog, restrictCatalog } = await import('../services/hunt-catalog.ts');
    const base = serverCatalog();
    const catalog = restrictCatalog(
      base,
      await catalogRepo.columnsOf(Object.values(base.tables).map((t) => t.sqlTable)),
    );
    const options = {
      dialect: 'sqlite' as const,
      orgId: ORG,
      now: T0 + 86_400_000,
      maxRows: 1000,
      maxTimeRangeMs: 90 * 86_400_000,
      catalog,
      timeRange: { from: T0, to: T0 + 86_400_000 },
    };
    for (const text of [
      'Events | where Computer == "ws-1" | project Timestamp, Computer, CommandLine | sort by Timestamp asc',
      'Events | where CommandLine contains "whoami" | count',
      'Events | where CommandLine matches regex "^power.*AAA$" | summarize count() by Computer, User | sort by Computer asc, User asc',
      'Events | top 5 by Timestamp desc | project Timestamp, Fields',
      'Events | summarize dcount(Computer), min(Timestamp), max(Timestamp) by bin(Timestamp, 1h) | sort by Timestamp asc',
    ]) {
      const compiled = compileQuery(text, options);
      const main = await onMain.run(compiled, 10_000);
      const reader = await inReaders.run(compiled, 10_000);
      assert.ok(main.length > 0, text);
      assert.deepEqual(reader, main, text);
    }
    // The time limit reaches the hunt as the timeout PostgreSQL's statement_timeout gives.
    await assert.rejects(inReaders.run({ sql: ENDLESS, params: [] }, 50), HuntTimeoutError);
  });

  test('closing stops every worker and fails what was waiting', async () => {
    const pool = new SqliteReaderPool(join(dir, 'harrier.db'), { size: 2, maxQueue: 4 });
    const reads = [
      pool.run(ENDLESS, [], 60_000),
      pool.run(ENDLESS, [], 60_000),
      pool.run('select 1', [], 60_000),
    ];
    const failed = Promise.all(reads.map((p) => assert.rejects(p, ReadersClosedError)));
    assert.equal(pool.processes(), 2);
    const pids = pool.pids();
    await pool.close();
    await failed;
    assert.equal(pool.processes(), 0);
    // The killed processes are gone, not left scanning.
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    await assert.rejects(pool.run('select 1', [], 1000), ReadersClosedError);
  });
});
