import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openMigrated, testStores } from '../test-support/databases.ts';
import type { EventRow } from './write-jobs.ts';

function eventRow(id: string, over: Partial<EventRow> = {}): EventRow {
  return {
    id,
    org_id: 'org',
    device_id: 'dev',
    ts: 1_700_000_000_000,
    received_at: 1_700_000_000_500,
    source: 'native',
    product: 'linux',
    category: 'process_creation',
    service: null,
    event_code: null,
    severity: null,
    title: null,
    hostname: 'h',
    user_name: 'root',
    image: '/bin/sh',
    command_line: 'sh -c id',
    parent_image: null,
    target_filename: null,
    source_ip: null,
    destination_ip: null,
    destination_port: null,
    fields: JSON.stringify({ Image: '/bin/sh', 'Unicode ✓': 'é' }),
    raw: null,
    batch_id: 'b1',
    ...over,
  };
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`ingest writer on ${store.name}`, () => {
    after(() => store.cleanup());

    test('commits batches, refuses reused nonces, returns the stored result for a repeated batch id', async () => {
      const database = await openMigrated(store);
      try {
        const w = database.writer;
        const nonce = { scope: 'dev', nonce: 'n'.repeat(16), expiresAt: Date.now() + 300_000 };
        const first = await w.submit({
          kind: 'events',
          nonce,
          batch: { deviceId: 'dev', batchId: 'b1', orgId: 'org', result: '{"accepted":2}' },
          events: [eventRow('e1'), eventRow('e2')],
        });
        assert.deepEqual(first, { status: 'ok', inserted: 2, duplicate: false });
        const replay = await w.submit({ kind: 'events', nonce, events: [eventRow('e3')] });
        assert.deepEqual(replay, { status: 'replay' });
        const again = await w.submit({
          kind: 'events',
          nonce: { ...nonce, nonce: 'm'.repeat(16) },
          batch: { deviceId: 'dev', batchId: 'b1', orgId: 'org', result: '{"accepted":9}' },
          events: [eventRow('e4')],
        });
        assert.equal(again.status, 'duplicate_batch');
        assert.deepEqual(JSON.parse((again as { result: string }).result), { accepted: 2 });
        // Concurrent submissions are grouped and all committed.
        const many = await Promise.all(
          Array.from({ length: 50 }, (_, i) => w.submit({ kind: 'events', events: [eventRow(`c${i}`)] })),
        );
        assert.ok(many.every((o) => o.status === 'ok'));
        const rows = await database.db
          .selectFrom('events')
          .select(['id', 'fields', 'ts'])
          .orderBy('id')
          .execute();
        assert.equal(rows.length, 52);
        const e1 = rows.find((r) => r.id === 'e1')!;
        assert.equal(e1.ts, 1_700_000_000_000);
        const fields = typeof e1.fields === 'string' ? JSON.parse(e1.fields) : e1.fields;
        assert.equal(fields['Unicode ✓'], 'é');
      } finally {
        await database.close();
      }
    });
  });
}
