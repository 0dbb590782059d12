import { mkdir, open, readdir, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import { readJsonFile, removeFile, syncDir, writeFileAtomic } from '../atomic-file.ts';
import { randomHex } from '../event-id.ts';
import { Mutex } from '../mutex.ts';

/** A position in the spool: segment number and byte offset inside it. */
export interface SpoolPosition {
  seq: number;
  offset: number;
}

/** A batch taken from the spool; its id is kept until the server acknowledges it. */
export interface SpoolBatch {
  batch_id: string;
  events: AgentEvent[];
  end: SpoolPosition;
}

export interface SpoolOptions {
  /** Bound on the bytes of all segments; beyond it the oldest segments are dropped. */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  segmentBytes?: number;
}

export interface SpoolStats {
  segments: number;
  bytes: number;
  pendingEvents: number;
  dropped: number;
  inflight: boolean;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

const SEGMENT = /^(\d{12})\.seg$/;
const segName = (seq: number) => `${String(seq).padStart(12, '0')}.seg`;

function before(a: SpoolPosition, b: SpoolPosition): boolean {
  return a.seq < b.seq || (a.seq === b.seq && a.offset < b.offset);
}

function countLines(buf: Buffer, from: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Durable on-disk spool: append-only NDJSON segment files, each append fsynced before it
 * returns, so an event the collectors handed over survives a crash or restart.
 *
 * Delivery is at-least-once with idempotent retries: the next batch is written to
 * `inflight.json` (with its batch id) before it is sent, and only the server's
 * acknowledgement advances `cursor.json`. After a crash the same batch, with the same id, is
 * sent again, and the server answers it from its first result.
 *
 * The spool is bounded: past `maxBytes` whole segments are dropped oldest-first and the
 * events lost are counted (persisted in `meta.json`, reported in heartbeats).
 */
export class Spool {
  private readonly mutex = new Mutex();
  private segments: number[] = [];
  /** Sizes of the sealed segments (all but the active one), so the bound check costs no I/O. */
  private readonly sealedSizes = new Map<number, number>();
  private active: FileHandle | undefined;
  private activeSize = 0;
  private cursor: SpoolPosition = { seq: 1, offset: 0 };
  private inflight: SpoolBatch | undefined;
  private droppedCount = 0;
  private readonly segmentBytes: number;

  private constructor(
    readonly dir: string,
    private readonly opts: SpoolOptions,
  ) {
    this.segmentBytes =
      opts.segmentBytes ?? Math.max(64 * 1024, Math.min(4 * 1024 * 1024, opts.maxBytes / 16));
  }

  /** Opens (creating if needed) the spool in `dir`, repairing a torn final write. */
  static async open(dir: string, opts: SpoolOptions): Promise<Spool> {
    const spool = new Spool(dir, opts);
    await spool.load();
    return spool;
  }

  private async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = await readdir(this.dir);
    this.segments = names
      .map((n) => SEGMENT.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const cur = (await readJsonFile(join(this.dir, 'cursor.json'))) as SpoolPosition | undefined;
    if (cur && Number.isInteger(cur.seq) && Number.isInteger(cur.offset)) this.cursor = cur;
    const meta = (await readJsonFile(join(this.dir, 'meta.json'))) as { dropped?: number } | undefined;
    this.droppedCount = typeof meta?.dropped === 'number' ? meta.dropped : 0;
    const inflight = (await readJsonFile(join(this.dir, 'inflight.json'))) as SpoolBatch | undefined;
    if (inflight && typeof inflight.batch_id === 'string' && Array.isArray(inflight.events)) {
      this.inflight = inflight;
    }

    for (const seq of this.segments.slice(0, -1)) {
      this.sealedSizes.set(
        seq,
        await stat(join(this.dir, segName(seq))).then(
          (st) => st.size,
          () => 0,
        ),
      );
    }
    const last = this.segments.at(-1);
    if (last === undefined) {
      await this.openSegment(Math.max(1, this.cursor.seq));
      return;
    }
    // A crash in the middle of an append can leave a partial last line; cut it off.
    const path = join(this.dir, segName(last));
    const buf = await readFile(path);
    const end = buf.lastIndexOf(0x0a) + 1;
    if (end !== buf.length) await truncate(path, end);
    this.active = await open(path, 'a', 0o600);
    this.activeSize = end;
  }

  private async openSegment(seq: number): Promise<void> {
    if (this.active && this.segments.length > 0) this.sealedSizes.set(this.activeSeq, this.activeSize);
    await this.active?.close();
    this.active = await open(join(this.dir, segName(seq)), 'a', 0o600);
    this.activeSize = 0;
    this.segments.push(seq);
    await syncDir(this.dir);
  }

  private get activeSeq(): number {
    return this.segments.at(-1)!;
  }

  /** Appends events durably (fsync before returning), then enforces the size bound. */
  append(events: AgentEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.mutex.run(async () => {
      let text = '';
      for (const e of events) text += `${JSON.stringify(e)}\n`;
      const data = Buffer.from(text);
      await this.active!.write(data);
      await this.active!.datasync();
      this.activeSize += data.length;
      if (this.activeSize >= this.segmentBytes) await this.openSegment(this.activeSeq + 1);
      await this.enforceBound();
    });
  }

  private totalBytes(): number {
    let total = this.activeSize;
    for (const size of this.sealedSizes.values()) total += size;
    return total;
  }

  /** Drops whole segments, oldest first, until the spool fits; the lost events are counted. */
  private async enforceBound(): Promise<void> {
    let total = this.totalBytes();
    let dropped = 0;
    while (total > this.opts.maxBytes && this.segments.length > 1) {
      const seq = this.segments[0]!;
      const path = join(this.dir, segName(seq));
      const buf = await readFile(path).catch(() => Buffer.alloc(0));
      // Events already acknowledged or already copied into the in-flight batch are not lost.
      let from = 0;
      if (this.inflight && this.inflight.end.seq > seq) from = buf.length;
      else if (this.inflight && this.inflight.end.seq === seq) from = this.inflight.end.offset;
      else if (this.cursor.seq > seq) from = buf.length;
      else if (this.cursor.seq === seq) from = this.cursor.offset;
      dropped += countLines(buf, from);
      await unlink(path).catch(() => undefined);
      this.segments.shift();
      this.sealedSizes.delete(seq);
      total -= buf.length;
      if (this.cursor.seq <= seq) this.cursor = { seq: seq + 1, offset: 0 };
    }
    if (dropped > 0) {
      this.droppedCount += dropped;
      await writeFileAtomic(join(this.dir, 'cursor.json'), JSON.stringify(this.cursor));
      await writeFileAtomic(join(this.dir, 'meta.json'), JSON.stringify({ dropped: this.droppedCount }));
    }
  }

  /**
   * The batch to send next: the unacknowledged in-flight batch if there is one (same id, same
   * events), otherwise up to `maxEvents` / `maxBytes` from the head, recorded as in flight
   * before it is returned. `undefined` when nothing is pending.
   */
  nextBatch(maxEvents: number, maxBytes = 4 * 1024 * 1024): Promise<SpoolBatch | undefined> {
    return this.mutex.run(async () => {
      if (this.inflight) return this.inflight;
      const events: AgentEvent[] = [];
      let pos = { ...this.cursor };
      let bytes = 0;
      let skipped = 0;
      for (const seq of this.segments) {
        if (seq < pos.seq) continue;
        if (seq > pos.seq) pos = { seq, offset: 0 };
        const buf =
          seq === this.activeSeq
            ? await readRange(join(this.dir, segName(seq)), pos.offset, this.activeSize)
            : await readFile(join(this.dir, segName(seq))).then((b) => b.subarray(pos.offset));
        let start = 0;
        while (events.length < maxEvents && bytes < maxBytes) {
          const nl = buf.indexOf(0x0a, start);
          if (nl < 0) break;
          const line = buf.subarray(start, nl);
          try {
            events.push(JSON.parse(line.toString('utf8')) as AgentEvent);
            bytes += line.length;
          } catch {
            skipped++; // a corrupt line (disk damage) is dropped, not retried forever
          }
          start = nl + 1;
        }
        pos = { seq, offset: pos.offset + start };
        if (events.length >= maxEvents || bytes >= maxBytes) break;
      }
      if (skipped > 0) {
        this.droppedCount += skipped;
        await writeFileAtomic(join(this.dir, 'meta.json'), JSON.stringify({ dropped: this.droppedCount }));
      }
      if (events.length === 0) {
        if (before(this.cursor, pos)) await this.advance(pos);
        return undefined;
      }
      const batch: SpoolBatch = {
        batch_id: `b-${Date.now().toString(36)}-${randomHex(12)}`,
        events,
        end: pos,
      };
      await writeFileAtomic(join(this.dir, 'inflight.json'), JSON.stringify(batch));
      this.inflight = batch;
      return batch;
    });
  }

  /** The server acknowledged the batch: advance past it and release its segments. */
  ack(batch: SpoolBatch): Promise<void> {
    return this.mutex.run(async () => {
      if (before(this.cursor, batch.end)) await this.advance(batch.end);
      if (this.inflight?.batch_id === batch.batch_id) {
        this.inflight = undefined;
        await removeFile(join(this.dir, 'inflight.json'));
      }
    });
  }

  /** Gives up on a batch the server will never take (a permanent 4xx): counted as dropped. */
  async discard(batch: SpoolBatch): Promise<void> {
    await this.ack(batch);
    await this.mutex.run(async () => {
      this.droppedCount += batch.events.length;
      await writeFileAtomic(join(this.dir, 'meta.json'), JSON.stringify({ dropped: this.droppedCount }));
    });
  }

  /** Forgets the in-flight batch so the next one is re-cut (after a 413: smaller batches). */
  releaseInflight(batch: SpoolBatch): Promise<void> {
    return this.mutex.run(async () => {
      if (this.inflight?.batch_id !== batch.batch_id) return;
      this.inflight = undefined;
      await removeFile(join(this.dir, 'inflight.json'));
    });
  }

  private async advance(pos: SpoolPosition): Promise<void> {
    this.cursor = pos;
    await writeFileAtomic(join(this.dir, 'cursor.json'), JSON.stringify(pos));
    // Segments wholly behind the cursor are done.
    while (this.segments.length > 1 && this.segments[0]! < pos.seq) {
      await unlink(join(this.dir, segName(this.segments[0]!))).catch(() => undefined);
      this.sealedSizes.delete(this.segments[0]!);
      this.segments.shift();
    }
  }

  /** Events lost to the size bound (or to corruption) since the spool was created. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Sizes and counts for `status` and the benchmark (reads the segments: not for hot paths). */
  stats(): Promise<SpoolStats> {
    return this.mutex.run(async () => {
      let pending = this.inflight?.events.length ?? 0;
      const from = this.inflight ? this.inflight.end : this.cursor;
      for (const seq of this.segments) {
        if (seq < from.seq) continue;
        const buf = await readFile(join(this.dir, segName(seq))).catch(() => Buffer.alloc(0));
        pending += countLines(buf, seq === from.seq ? from.offset : 0);
      }
      return {
        segments: this.segments.length,
        bytes: this.totalBytes(),
        pendingEvents: pending,
        dropped: this.droppedCount,
        inflight: this.inflight !== undefined,
      };
    });
  }

  /** Closes the active segment. */
  close(): Promise<void> {
    return this.mutex.run(async () => {
      await this.active?.close();
      this.active = undefined;
    });
  }
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  if (to <= from) return Buffer.alloc(0);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await fh.read(buf, 0, to - from, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
