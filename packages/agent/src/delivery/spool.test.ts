import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgentEvent } from '../agent-event.ts';
import { Spool } from './spool.ts';

function events(n: number, from = 0, pad = 0): AgentEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `e-${from + i}`,
    ts: new Date(0).toISOString(),
    type: 'process_start' as const,
    fields: { Image: '/usr/bin/x', Pad: 'p'.repeat(pad) },
  }));
}

describe('Spool', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harrier-spool-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps appended events across reopen and drains them in order', async () => {
    const d = join(dir, 'reopen');
    let s = await Spool.open(d, { maxBytes: 10 * 1024 * 1024, segmentBytes: 2048 });
    await s.append(events(30));
    await s.append(events(20, 30));
    await s.close();

    s = await Spool.open(d, { maxBytes: 10 * 1024 * 1024, segmentBytes: 2048 });
    assert.equal((await s.stats()).pendingEvents, 50);
    const got: string[] = [];
    for (let b = await s.nextBatch(7); b; b = await s.nextBatch(7)) {
      got.push(...b.events.map((e) => e.id));
      await s.ack(b);
    }
    assert.deepEqual(
      got,
      Array.from({ length: 50 }, (_, i) => `e-${i}`),
    );
    const st = await s.stats();
    assert.equal(st.pendingEvents, 0);
    assert.equal(st.segments, 1, 'acknowledged segments are deleted');
    await s.close();
  });

  it('returns the same unacknowledged batch (same id) after a restart', async () => {
    const d = join(dir, 'inflight');
    let s = await Spool.open(d, { maxBytes: 1e7 });
    await s.append(events(10));
    const b1 = await s.nextBatch(4);
    assert.ok(b1);
    assert.deepEqual(await s.nextBatch(4), b1, 'until acknowledged, the in-flight batch is the next batch');
    await s.close(); // crash before the acknowledgement

    s = await Spool.open(d, { maxBytes: 1e7 });
    const again = await s.nextBatch(100);
    assert.equal(again?.batch_id, b1.batch_id);
    assert.deepEqual(
      again?.events.map((e) => e.id),
      ['e-0', 'e-1', 'e-2', 'e-3'],
    );
    await s.ack(again!);
    const rest = await s.nextBatch(100);
    assert.notEqual(rest?.batch_id, b1.batch_id);
    assert.deepEqual(
      rest?.events.map((e) => e.id),
      ['e-4', 'e-5', 'e-6', 'e-7', 'e-8', 'e-9'],
    );
    await s.ack(rest!);
    assert.equal(await s.nextBatch(100), undefined);
    await s.close();
  });

  it('repairs a torn final line left by a crash mid-append', async () => {
    const d = join(dir, 'torn');
    let s = await Spool.open(d, { maxBytes: 1e7 });
    await s.append(events(3));
    await s.close();
    const seg = (await readdir(d)).find((n) => n.endsWith('.seg'))!;
    await appendFile(join(d, seg), '{"id":"half-writ');
    s = await Spool.open(d, { maxBytes: 1e7 });
    await s.append(events(1, 3));
    const b = await s.nextBatch(100);
    assert.deepEqual(
      b?.events.map((e) => e.id),
      ['e-0', 'e-1', 'e-2', 'e-3'],
    );
    await s.close();
  });

  it('stays within its bound by dropping the oldest segments, and counts what it dropped', async () => {
    const d = join(dir, 'bounded');
    // ~300-byte events, 4 KiB segments, 16 KiB bound.
    let s = await Spool.open(d, { maxBytes: 16 * 1024, segmentBytes: 4096 });
    for (let i = 0; i < 20; i++) await s.append(events(10, i * 10, 200));
    const st = await s.stats();
    assert.ok(st.bytes <= 16 * 1024 + 4096, `bytes ${st.bytes}`);
    assert.ok(st.dropped > 0);
    assert.equal(st.dropped + st.pendingEvents, 200, 'every event is either pending or counted as dropped');
    await s.close();

    s = await Spool.open(d, { maxBytes: 16 * 1024, segmentBytes: 4096 });
    assert.equal(s.dropped, st.dropped, 'the counter survives a restart');
    const b = await s.nextBatch(1000);
    assert.equal(b?.events[0]?.id, `e-${st.dropped}`, 'the oldest events went first');
    assert.equal(b?.events.at(-1)?.id, 'e-199');
    await s.close();
  });

  it('does not count events of the in-flight batch as dropped', async () => {
    const d = join(dir, 'bounded-inflight');
    const s = await Spool.open(d, { maxBytes: 8 * 1024, segmentBytes: 2048 });
    await s.append(events(5, 0, 200));
    const inflight = await s.nextBatch(5);
    for (let i = 1; i < 10; i++) await s.append(events(5, i * 5, 200));
    const st = await s.stats();
    assert.equal(st.dropped + st.pendingEvents, 50);
    assert.equal((await s.nextBatch(5))?.batch_id, inflight?.batch_id);
    await s.close();
  });

  it('writes its files owner-only', async () => {
    const d = join(dir, 'modes');
    const s = await Spool.open(d, { maxBytes: 1e7 });
    await s.append(events(1));
    await s.nextBatch(1);
    for (const name of await readdir(d)) {
      assert.equal((await stat(join(d, name))).mode & 0o077, 0, name);
    }
    await s.close();
  });
});
