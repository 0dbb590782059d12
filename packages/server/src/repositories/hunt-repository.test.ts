import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HarrierDatabase } from '../db/database.ts';
import { ReadersBusyError } from '../db/sqlite-reader-pool.ts';
import { toHttpError } from '../services/hunt-service.ts';
import { openMigrated, testStores } from '../test-support/databases.ts';
import { HuntRepository, HuntTimeoutError } from './hunt-repository.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`hunt repository on ${store.name}`, () => {
    let database: HarrierDatabase;
    before(async () => {
      database = await openMigrated(store);
    });
    after(async () => {
      await database.close();
      await store.cleanup();
    });

    test('runs a compiled statement and lists the catalog tables the store has', async () => {
      const repo = new HuntRepository(database.db, database.dialect);
      const rows = await repo.run({ sql: 'SELECT 1 AS "c0"', params: [] }, 1000);
      assert.equal(Number((rows[0] as { c0: unknown }).c0), 1);
      const cols = await repo.columnsOf(['events', 'alerts', 'no_such_table']);
      assert.ok(cols.get('events')?.has('command_line'));
      assert.ok(cols.get('alerts')?.has('rule_title'));
      assert.equal(cols.has('no_such_table'), false);
    });

    if (store.name === 'postgres') {
      test('a statement over its time limit is cancelled and answered as a 400', async () => {
        const repo = new HuntRepository(database.db, database.dialect);
        const error = await repo.run({ sql: 'SELECT pg_sleep(2)', params: [] }, 50).catch((e: unknown) => e);
        assert.ok(error instanceof HuntTimeoutError);
        const http = toHttpError(error) as { status?: number; code?: string; details?: { code?: string } };
        assert.equal(http.status, 400);
        assert.equal(http.code, 'query_timeout');
        assert.equal(http.details?.code, 'TIME_LIMIT');
        // The pool connection is usable again: the timeout was local to the transaction.
        const rows = await repo.run({ sql: 'SELECT 2 AS "c0"', params: [] }, 1000);
        assert.equal(Number((rows[0] as { c0: unknown }).c0), 2);
      });
    }

    if (store.name === 'sqlite') {
      test('a statement over its time limit is stopped in its reader and answered as a 400', async () => {
        const repo = new HuntRepository(database.db, database.dialect, database.readers);
        const endless = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
          SELECT count(*) AS "c0" FROM n`;
        const error = await repo.run({ sql: endless, params: [] }, 50).catch((e: unknown) => e);
        assert.ok(error instanceof HuntTimeoutError);
        const http = toHttpError(error) as { status?: number; code?: string; details?: { code?: string } };
        assert.equal(http.status, 400);
        assert.equal(http.code, 'query_timeout');
        assert.equal(http.details?.code, 'TIME_LIMIT');
        const rows = await repo.run({ sql: 'SELECT 2 AS "c0"', params: [] }, 10_000);
        assert.equal(Number((rows[0] as { c0: unknown }).c0), 2);
      });

      test('a full reader queue is a 503 with Retry-After', () => {
        const http = toHttpError(new ReadersBusyError(3)) as {
          status?: number;
          code?: string;
          headers?: Record<string, string>;
        };
        assert.equal(http.status, 503);
        assert.equal(http.code, 'hunt_capacity');
        assert.equal(http.headers?.['retry-after'], '3');
      });
    }
  });
}
