import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { AgentEvent } from '../agent-event.ts';
import { addDevice, type FakeServer, newFakeStore, startFakeServer } from '../test-support/fake-server.ts';
import { Backoff } from './backoff.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { IngestSender } from './ingest-sender.ts';
import { SignedClient } from './signed-client.ts';
import { Spool } from './spool.ts';

function events(n: number, from = 0): AgentEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `ev-${from + i}`,
    ts: new Date().toISOString(),
    type: 'auth' as const,
    logsource: { product: 'linux', service: 'auth' },
    fields: { User: 'alice', Outcome: 'success' },
  }));
}

describe('Backoff and CircuitBreaker', () => {
  it('grows the backoff ceiling exponentially, with jitter inside it, up to the cap', () => {
    const max = new Backoff(100, 1000, () => 1);
    assert.deepEqual(
      Array.from({ length: 6 }, () => max.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    const min = new Backoff(100, 1000, () => 0);
    assert.deepEqual(
      Array.from({ length: 3 }, () => min.next()),
      [100, 100, 100],
    );
    const half = new Backoff(100, 10_000, () => 0.5);
    half.next();
    half.next();
    assert.equal(half.next(), 250); // 100 + 0.5 × (400 − 100)
    half.reset();
    assert.equal(half.next(), 100);
  });

  it('opens after N consecutive failures, lets one trial through after the cooldown', () => {
    let now = 0;
    const b = new CircuitBreaker(3, 1000, () => now);
    b.failure();
    b.failure();
    assert.equal(b.state, 'closed');
    b.success();
    b.failure();
    b.failure();
    assert.equal(b.allow(), true, 'a success reset the count');
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.allow(), false);
    now = 999;
    assert.equal(b.remainingMs(), 1);
    now = 1000;
    assert.equal(b.allow(), true);
    assert.equal(b.state, 'half_open');
    b.failure();
    assert.equal(b.state, 'open', 'a failed trial reopens at once');
    now = 2000;
    b.allow();
    b.success();
    assert.equal(b.state, 'closed');
  });
});

describe('IngestSender against a signature-checking server', () => {
  let dir: string;
  let server: FakeServer;
  let n = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harrier-sender-'));
  });
  afterEach(() => server?.close());
  after(() => rm(dir, { recursive: true, force: true }));

  async function setup(
    opts: { breaker?: CircuitBreaker; backoff?: Backoff; batch?: number; url?: string } = {},
  ) {
    server = await startFakeServer(newFakeStore());
    const creds = addDevice(server.store);
    const spool = await Spool.open(join(dir, `s${n++}`), { maxBytes: 1e8 });
    const client = new SignedClient(opts.url ?? server.url, creds);
    const sender = new IngestSender(client, spool, {
      batchMaxEvents: opts.batch ?? 100,
      breaker: opts.breaker,
      backoff: opts.backoff ?? new Backoff(10, 1000, () => 0),
    });
    return { spool, client, sender };
  }

  it('delivers signed, gzipped batches and acknowledges them in the spool', async () => {
    const { spool, client, sender } = await setup({ batch: 40 });
    await spool.append(events(100));
    const r = await sender.drain();
    assert.equal(r.outcome, 'empty');
    assert.equal(server.store.badSignatures, 0);
    assert.equal(server.store.events.length, 100);
    assert.equal(server.store.batches.size, 3);
    assert.deepEqual(
      server.store.events.map((e) => e.id),
      events(100).map((e) => e.id),
    );
    assert.equal(sender.stats.eventsAccepted, 100);
    assert.equal((await spool.stats()).pendingEvents, 0);
    client.close();
    await spool.close();
  });

  it('is rejected by the server when the secret is wrong (the check is real)', async () => {
    const { spool, client, sender } = await setup();
    client.setCredentials({ device_id: 'dev-test', device_secret: 'b'.repeat(64) });
    await spool.append(events(1));
    const r = await sender.deliverOnce();
    assert.equal(r.outcome, 'retry');
    assert.match(r.outcome === 'retry' ? r.reason : '', /401 invalid_signature/);
    assert.equal(server.store.badSignatures, 1);
    assert.equal((await spool.stats()).pendingEvents, 1, 'nothing is lost');
    client.close();
    await spool.close();
  });

  it('resends a batch whose acknowledgement was lost with the same id, and the server stores it once', async () => {
    const { spool, client, sender } = await setup();
    await spool.append(events(5));
    server.store.dropAfterCommit = 1;
    const first = await sender.deliverOnce();
    assert.equal(first.outcome, 'retry');
    const second = await sender.deliverOnce();
    assert.equal(second.outcome, 'delivered');
    const posts = server.store.log.filter((l) => l.url === '/api/v1/ingest');
    assert.equal(posts.length, 2);
    assert.equal(server.store.batches.size, 1, 'one batch id for both attempts');
    assert.equal(server.store.events.length, 5, 'stored once');
    client.close();
    await spool.close();
  });

  it('backs off with growing waits and opens the breaker after consecutive failures', async () => {
    let now = Date.now();
    const breaker = new CircuitBreaker(3, 30_000, () => now);
    const { spool, client, sender } = await setup({ breaker, backoff: new Backoff(100, 10_000, () => 1) });
    server.store.failures.push({ path: '/api/v1/ingest', status: 500, times: 10 });
    await spool.append(events(3));
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sender.deliverOnce();
      assert.equal(r.outcome, 'retry');
      if (r.outcome === 'retry') waits.push(r.waitMs);
    }
    assert.deepEqual(waits.slice(0, 2), [100, 200]);
    assert.ok(waits[2]! >= 30_000 - 1, 'the third failure opened the breaker; the wait covers its cooldown');
    assert.equal(breaker.state, 'open');
    const blocked = await sender.deliverOnce();
    assert.equal(blocked.outcome, 'breaker_open');
    assert.equal(server.store.log.length, 3, 'no request while open');

    now += 30_000; // cooldown over: one trial, which succeeds once the server is well
    server.store.failures.length = 0;
    const r = await sender.drain();
    assert.equal(r.outcome, 'empty');
    assert.equal(breaker.state, 'closed');
    assert.equal(server.store.events.length, 3);
    client.close();
    await spool.close();
  });

  it('backs off while the server is unreachable and delivers when it comes back', async () => {
    const { spool, client } = await setup();
    client.close();
    const port = server.port;
    await server.close();
    const down = new SignedClient(`http://127.0.0.1:${port}`, addDevice(server.store));
    const sender = new IngestSender(down, spool, {
      batchMaxEvents: 100,
      backoff: new Backoff(10, 1000, () => 0),
    });
    await spool.append(events(4));
    const r = await sender.deliverOnce();
    assert.equal(r.outcome, 'retry');
    assert.match(r.outcome === 'retry' ? r.reason : '', /network: .*ECONNREFUSED/);
    server = await startFakeServer(server.store, port);
    assert.equal((await sender.drain()).outcome, 'empty');
    assert.equal(server.store.events.length, 4);
    down.close();
    await spool.close();
  });

  it('honours Retry-After on 429 and 503', async () => {
    const { spool, client, sender } = await setup();
    server.store.failures.push({
      path: '/api/v1/ingest',
      status: 429,
      times: 1,
      headers: { 'retry-after': '7' },
    });
    await spool.append(events(1));
    const r = await sender.deliverOnce();
    assert.ok(r.outcome === 'retry' && r.waitMs >= 7000, JSON.stringify(r));
    assert.equal(sender.breaker.consecutiveFailures, 0, 'a 429 with Retry-After is not a breaker failure');
    server.store.failures.push({
      path: '/api/v1/ingest',
      status: 503,
      times: 1,
      headers: { 'retry-after': '3' },
    });
    const r2 = await sender.deliverOnce();
    assert.ok(r2.outcome === 'retry' && r2.waitMs >= 3000);
    assert.equal((await sender.drain()).outcome, 'empty');
    client.close();
    await spool.close();
  });

  it('re-cuts smaller batches after a 413 and drops a batch the server refuses as invalid', async () => {
    const { spool, client, sender } = await setup({ batch: 50 });
    server.store.maxEventsPerBatch = 20;
    await spool.append(events(50));
    assert.equal((await sender.drain()).outcome, 'empty');
    assert.equal(server.store.events.length, 50);
    assert.ok([...server.store.batches.values()].every((b) => b.events.length <= 20));

    server.store.failures.push({ path: '/api/v1/ingest', status: 400, times: 1, code: 'invalid_body' });
    await spool.append(events(2, 50));
    await sender.drain();
    assert.equal(sender.stats.batchesDiscarded, 1);
    assert.equal(spool.dropped, 2, 'a refused batch is counted as dropped');
    client.close();
    await spool.close();
  });

  it('retries a timestamp rejection once after adopting the server clock', async () => {
    const { spool, client, sender } = await setup();
    server.store.failures.push({
      path: '/api/v1/ingest',
      status: 401,
      times: 1,
      code: 'timestamp_out_of_window',
    });
    await spool.append(events(1));
    const r = await sender.deliverOnce();
    assert.equal(r.outcome, 'delivered');
    client.close();
    await spool.close();
  });
});
