import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const batch = (id: string, n: number) => ({
  batch_id: id,
  events: Array.from({ length: n }, (_, i) => ({
    id: `${id}-${i}`,
    ts: Date.now(),
    type: 'process_start',
    fields: { Image: '/usr/bin/true', CommandLine: `true ${id} ${i}` },
  })),
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`back-pressure of in-process detection on ${store.name}`, () => {
    let t: TestApp;
    before(async () => {
      // Room for one batch of committed events waiting for detection.
      t = await startTestApp(store, { HARRIER_MAX_PENDING_EVENTS: '10' });
    });
    after(async () => {
      await t.runtime.close();
      await store.cleanup();
    });

    test('a full detection queue refuses new batches with 503 overloaded and Retry-After, then recovers', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      // A detection that does not keep up: the listener holds the batch until released.
      t.runtime.ctx.pipeline.subscribe(() => gate);
      const device = await t.enroll('slow-consumer');
      const first = await t.signed(device, 'POST', '/api/v1/ingest', batch('a', 10));
      assert.equal(first.statusCode, 200, first.body);
      const refused = await t.signed(device, 'POST', '/api/v1/ingest', batch('b', 10));
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(refused.json().error.code, 'overloaded');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      const metrics = await t.runtime.app.inject('/metrics');
      assert.match(metrics.body, /^harrier_detection_pending_events 10$/m);
      release();
      await t.runtime.ctx.pipeline.idle();
      const retried = await t.signed(device, 'POST', '/api/v1/ingest', batch('b', 10));
      assert.equal(retried.statusCode, 200, retried.body);
      // Acknowledged = stored: the refused attempt stored nothing, its retry everything.
      const stored = await t.runtime.ctx.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('device_id', '=', device.deviceId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), 20);
    });
  });
}
