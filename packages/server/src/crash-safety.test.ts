import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openDatabase } from './db/database.ts';
import { type TestStore, testStores } from './test-support/databases.ts';
import { startServer } from './test-support/server-process.ts';
import { enroll, postSigned } from './test-support/signed-client.ts';

const event = (i: number) => ({
  ts: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
  type: 'process_start',
  fields: { Image: '/usr/bin/python3', CommandLine: `python3 job.py --n ${i}`, User: 'svc' },
});

/** Sustained signed ingest from several workers; records what was acknowledged. */
function sustainedIngest(url: string, device: { deviceId: string; secret: string }, workers = 6) {
  const acknowledged = new Map<string, number>();
  const statuses = new Map<number, number>();
  let stop = false;
  let seq = 0;
  const worker = async (w: number) => {
    while (!stop) {
      const batchId = `load-${w}-${seq++}`;
      const body = Buffer.from(
        JSON.stringify({
          batch_id: batchId,
          events: Array.from({ length: 200 }, (_, i) => event(seq * 1000 + i)),
        }),
      );
      try {
        const res = await postSigned(url, '/api/v1/ingest', device, body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200)
          acknowledged.set(batchId, (JSON.parse(res.body) as { accepted: number }).accepted);
      } catch {
        // The connection dies with the server; unacknowledged batches may or may not be stored.
        return;
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    acknowledged,
    statuses,
    async until(n: number) {
      const deadline = Date.now() + 30_000;
      while (acknowledged.size < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      stop = true;
      await running;
    },
  };
}

async function storedPerBatch(env: Record<string, string>): Promise<Map<string | null, number>> {
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgSchema: env.HARRIER_PG_SCHEMA,
    dataDir: env.HARRIER_DATA_DIR,
  });
  try {
    const rows = await database.db
      .selectFrom('events')
      .select(['batch_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('batch_id')
      .execute();
    return new Map(rows.map((r) => [r.batch_id, Number(r.n)]));
  } finally {
    await database.close();
  }
}

for (const makeStore of testStores()) {
  // Each test starts the server on a store of its own: the first start prints the enrollment key.
  const stores: TestStore[] = [];
  const fresh = () => {
    const s = makeStore();
    stores.push(s);
    return s;
  };
  describe(`crash safety on ${fresh().name}`, () => {
    after(() => Promise.all(stores.map((s) => s.cleanup())));

    test('SIGTERM drains in-flight batches, then exits 0', async () => {
      const store = fresh();
      const env: Record<string, string> = {
        ...store.env,
        HARRIER_ADMIN_PASSWORD: 'drain-test-password',
        HARRIER_SECRET: 'd'.repeat(40),
      };
      const server = await startServer(env);
      const device = await enroll(server.url, server.enrollmentKey!, 'drain-host');
      const load = sustainedIngest(server.url, device);
      await load.until(20);
      const code = await server.stop('SIGTERM');
      await load.stop();
      assert.equal(code, 0, server.output());
      const stored = await storedPerBatch(env);
      const lost = [...load.acknowledged].filter(([b, n]) => stored.get(b) !== n);
      assert.deepEqual(lost, []);
      // Nothing the server answered during shutdown was a server error.
      assert.ok(
        ![...load.statuses.keys()].some((s) => s >= 500 && s !== 503),
        JSON.stringify([...load.statuses]),
      );
    });

    test('SIGKILL during sustained ingest loses no acknowledged event', async () => {
      const store = fresh();
      const env: Record<string, string> = {
        ...store.env,
        HARRIER_ADMIN_PASSWORD: 'crash-test-password',
        HARRIER_SECRET: 'c'.repeat(40),
      };
      const server = await startServer(env);
      const device = await enroll(server.url, server.enrollmentKey!, 'crash-host');
      const load = sustainedIngest(server.url, device);
      // Kill mid-stream, once a steady flow of batches has been acknowledged.
      await load.until(20);
      await server.stop('SIGKILL');
      await load.stop();
      const acknowledged = load.acknowledged;
      assert.ok(acknowledged.size > 5, `only ${acknowledged.size} batches were acknowledged before the kill`);

      // Restart on the same store: it must come up and still hold every acknowledged event.
      const again = await startServer(env);
      const retry = await postSigned(
        again.url,
        '/api/v1/ingest',
        device,
        Buffer.from(JSON.stringify({ batch_id: [...acknowledged.keys()][0], events: [event(1)] })),
      );
      assert.equal(retry.status, 200, 'a retried acknowledged batch is answered from the stored result');
      await again.stop('SIGTERM');

      const stored = await storedPerBatch(env);
      const missing = [...acknowledged].filter(([batchId, accepted]) => stored.get(batchId) !== accepted);
      assert.deepEqual(
        missing,
        [],
        `${missing.length} of ${acknowledged.size} acknowledged batches are not fully stored`,
      );
    });
  });
}
