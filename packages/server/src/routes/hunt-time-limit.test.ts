import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ReaderTimeoutError } from '../db/sqlite-reader-pool.ts';
import type { HuntLimits } from '../services/hunt-service.ts';
import { sqliteStore } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

// SQLite only: the reader processes are what keep a long SQLite hunt off the event loop and
// cut it at the limit (PostgreSQL's statement_timeout does that job there).

const ENDLESS = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
  SELECT count(*) AS c FROM n`;
const EVENTS = 100_000;

describe('hunting time limit on sqlite', () => {
  let w: IdentityWorld;
  let analyst: string;

  before(async () => {
    w = await startIdentityWorld(sqliteStore());
    analyst = w.users.analyst.access;
    // Enough rows that a regular expression over all of them outlasts a tiny limit.
    const now = Date.now();
    await sql`
      INSERT INTO events (id, org_id, device_id, ts, received_at, source, product, category, hostname,
                          user_name, image, command_line, fields)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS})
      SELECT printf('01900000-0000-7000-8000-%012d', i), ${w.orgId}, NULL, ${now} - i * 1000,
             ${now} - i * 1000, 'native', 'windows', 'process_creation', 'ws-' || (i % 50),
             'user-' || (i % 7), 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c echo ' || i, '{}'
      FROM n`.execute(w.t.runtime.ctx.database.db);
  });

  after(async () => {
    await w.t.close();
  });

  test('a read stuck in a reader leaves the server answering, and is cut at its limit', async () => {
    const readers = w.t.runtime.ctx.database.readers!;
    const order: string[] = [];
    const stuck = readers.run(ENDLESS, [], 1500).then(
      () => order.push('read finished'),
      (error: unknown) => {
        assert.ok(error instanceof ReaderTimeoutError);
        order.push('read cut');
      },
    );
    const health = w.t.runtime.app.inject('/health').then((res) => {
      assert.equal(res.statusCode, 200);
      order.push('health');
    });
    await Promise.all([stuck, health]);
    assert.deepEqual(order, ['health', 'read cut']);
  });

  test('a hunt past the time limit is a 400 query_timeout, recorded as a timeout', async () => {
    const hunts = w.t.runtime.ctx.hunting.hunts;
    const limits = hunts.limits;
    (hunts as unknown as { limits: HuntLimits }).limits = { ...limits, timeoutMs: 2 };
    try {
      const res = await w.request('POST', '/api/v1/hunt', {
        token: analyst,
        body: {
          query: 'Events | where CommandLine matches regex "echo (1|2)+9+x" | count',
          histogram: false,
        },
      });
      assert.equal(res.statusCode, 400, res.body);
      const error = res.json().error;
      assert.equal(error.code, 'query_timeout');
      assert.equal(error.details.code, 'TIME_LIMIT');
    } finally {
      (hunts as unknown as { limits: HuntLimits }).limits = limits;
    }
    // The next hunt gets a fresh reader and the full limit.
    const ok = await w.request('POST', '/api/v1/hunt', {
      token: analyst,
      body: { query: 'Events | where Computer == "ws-7" | count', histogram: false },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().rows[0][0], EVENTS / 50);
    const history = await w.request('GET', '/api/v1/hunt/history', { token: analyst });
    const statuses = (history.json().items as Array<{ status: string }>).map((i) => i.status);
    assert.deepEqual(statuses.slice(0, 2), ['ok', 'timeout']);
  });

  test('hunts still read only the caller’s organization in the readers', async () => {
    const res = await w.request('POST', '/api/v1/hunt', {
      token: w.otherAdmin.access,
      body: { query: 'Events | count', histogram: false },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().rows[0][0], 0);
  });
});
