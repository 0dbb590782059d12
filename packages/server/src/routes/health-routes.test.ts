import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { startTestApp } from '../test-support/test-app.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  test(`/ready follows the database on ${store.name}`, async () => {
    const t = await startTestApp(store);
    try {
      const ready = await t.runtime.app.inject('/ready');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().status, 'ready');
      // The store goes away under the running app (its connections are closed).
      await t.runtime.ctx.database.db.destroy();
      const gone = await t.runtime.app.inject('/ready');
      assert.equal(gone.statusCode, 503);
      assert.equal(gone.json().error.code, 'not_ready');
      assert.equal(gone.headers['retry-after'], '5');
      // Liveness does not depend on the database.
      assert.equal((await t.runtime.app.inject('/health')).statusCode, 200);
    } finally {
      await t.runtime.app.close();
      await t.runtime.ctx.database.writer.close();
      await store.cleanup();
    }
  });
}
