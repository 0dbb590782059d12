import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InventorySnapshot } from '../inventory-snapshot.ts';
import { addDevice, type FakeServer, startFakeServer } from '../test-support/fake-server.ts';
import { Backoff } from './backoff.ts';
import { INVENTORY_PATH, InventoryReporter } from './inventory-reporter.ts';
import { SignedClient } from './signed-client.ts';

const HOUR = 3600_000;
const snapshot = (version: string): InventorySnapshot => ({
  software: [{ name: 'bash', version, source: 'dpkg', arch: 'amd64' }],
  hardware: { cpu_cores: 2 },
});

describe('inventory reporter', () => {
  let server: FakeServer;
  let client: SignedClient;
  before(async () => {
    server = await startFakeServer();
    client = new SignedClient(server.url, addDevice(server.store));
  });
  after(async () => {
    client.close();
    await server.close();
  });
  const reporter = () =>
    new InventoryReporter(client, {
      intervalMs: () => 6 * HOUR,
      debounceMs: 60_000,
      backoff: new Backoff(1000, 8000, () => 0),
    });

  it('sends at start, then after a debounced change or the refresh interval; an equal inventory is not resent', async () => {
    const r = reporter();
    const t0 = 1_000_000;
    assert.equal(r.due(t0), true, 'due at start');
    assert.deepEqual(await r.send(snapshot('5.2'), t0), { outcome: 'sent', packages: 1 });
    const sent = server.store.inventories.at(-1)!;
    assert.deepEqual(sent.software, snapshot('5.2').software);
    assert.deepEqual(sent.hardware, { cpu_cores: 2 });
    assert.equal(r.due(t0 + 1000), false);
    assert.equal(r.msUntilDue(t0), 6 * HOUR);

    r.markChanged(t0 + 10_000);
    assert.equal(r.due(t0 + 60_000), false, 'still inside the debounce');
    r.markChanged(t0 + 50_000);
    assert.equal(r.msUntilDue(t0 + 60_000), 50_000, 'a later change restarts the debounce');
    assert.equal(r.due(t0 + 110_000), true);
    const before = server.store.inventories.length;
    assert.deepEqual(await r.send(snapshot('5.2'), t0 + 110_000), { outcome: 'unchanged' });
    assert.equal(server.store.inventories.length, before, 'nothing sent for an equal inventory');
    assert.equal(r.due(t0 + 120_000), false);

    assert.equal(r.due(t0 + 6 * HOUR), true, 'the refresh interval');
    assert.equal(
      (await r.send(snapshot('5.2'), t0 + 6 * HOUR)).outcome,
      'sent',
      'a refresh is sent even unchanged',
    );
  });

  it('retries with backoff, honours Retry-After on 429 and 503, and stops retrying what the server refuses', async () => {
    const r = reporter();
    const t0 = 5_000_000;
    server.store.failures.push({
      path: INVENTORY_PATH,
      status: 429,
      times: 1,
      headers: { 'retry-after': '30' },
    });
    assert.deepEqual(await r.send(snapshot('1'), t0), {
      outcome: 'retry',
      waitMs: 30_000,
      reason: 'HTTP 429 http_429',
    });
    assert.equal(r.msUntilDue(t0), 30_000);
    server.store.failures.push({ path: INVENTORY_PATH, status: 503, times: 1 });
    const second = await r.send(snapshot('1'), t0 + 30_000);
    assert.equal(second.outcome, 'retry');
    assert.equal(second.outcome === 'retry' && second.waitMs, 1000, 'no Retry-After: the backoff');
    server.store.failures.push({ path: INVENTORY_PATH, status: 500, times: 1 });
    const third = await r.send(snapshot('1'), t0 + 31_000);
    assert.equal(third.outcome === 'retry' && third.waitMs, 1000);
    assert.equal((await r.send(snapshot('1'), t0 + 32_000)).outcome, 'sent');
    assert.equal(r.backoff.attempts, 0, 'a success resets the backoff');

    server.store.failures.push({ path: INVENTORY_PATH, status: 400, times: 1, code: 'validation_failed' });
    r.markChanged(t0 + 40_000);
    assert.deepEqual(await r.send(snapshot('2'), t0 + 100_000), {
      outcome: 'refused',
      reason: 'HTTP 400 validation_failed',
    });
    assert.equal(r.due(t0 + 200_000), false, 'a refused snapshot waits for the next change or refresh');
  });

  it('pauses for an hour on a server without the endpoint', async () => {
    const r = reporter();
    server.store.failures.push({ path: INVENTORY_PATH, status: 404, times: 1 });
    assert.deepEqual(await r.send(snapshot('1'), 0), { outcome: 'unsupported' });
    assert.equal(r.msUntilDue(0), HOUR);
  });
});
