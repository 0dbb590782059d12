// Load for the scale-out benchmarks (bench:cluster, soak): signed batches from several devices
// spread over the ingest processes, and a probe of stored alert matches giving end-to-end latency
// (acknowledged → its alert stored).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ServerProcess } from '../../packages/server/src/test-support/server-process.ts';
import { type Device, postSigned } from '../../packages/server/src/test-support/signed-client.ts';

let batches = 0;

/**
 * A batch body: high-severity process events, one title per device (one growing alert each).
 * Batch ids are unique per process: a repeated id would be answered from the stored result.
 */
export function loadBatch(device: string, seq: number, size: number): Buffer {
  const batchId = `${device}-${process.pid}-${batches++}`;
  const now = Date.now();
  const events = Array.from({ length: size }, (_, i) => ({
    ts: now,
    type: 'process_start',
    severity: 'high',
    title: `load on ${device}`,
    fields: {
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: `cmd.exe /c echo ${seq}-${i} ${'x'.repeat(300)}`,
      ParentImage: 'C:\\Windows\\explorer.exe',
      User: 'CORP\\alice',
    },
  }));
  return Buffer.from(JSON.stringify({ batch_id: batchId, events }));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Acknowledged batches: when, how many events acknowledged in total then, and the ack latency. */
export interface AckRecord {
  at: number;
  cumulative: number;
  ackMs: number;
}

export interface LoadOptions {
  ingest: ServerProcess[];
  devices: Device[];
  batchSize: number;
  /** Stop sending at this time (epoch ms). */
  until: number;
  /** Target events/s over all senders; unset: as fast as acknowledged. */
  rate?: number;
}

export interface LoadTally {
  acknowledged: number;
  refused: Map<number, number>;
  acks: AckRecord[];
}

/** One sender per device, round-robin over the ingest processes; refused batches are retried. */
export async function runLoad(o: LoadOptions, tally: LoadTally = newTally()): Promise<LoadTally> {
  const interval = o.rate ? (o.batchSize * o.devices.length * 1000) / o.rate : 0;
  await Promise.all(
    o.devices.map(async (device, d) => {
      let seq = 0;
      let next = Date.now() + (interval * d) / o.devices.length;
      while (Date.now() < o.until) {
        if (interval > 0) {
          const wait = next - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          next += interval;
        }
        const server = o.ingest[(d + seq) % o.ingest.length]!;
        const body = loadBatch(device.deviceId, seq++, o.batchSize);
        for (;;) {
          const t0 = performance.now();
          let status = 0;
          try {
            status = (await postSigned(server.url, '/api/v1/ingest', device, body)).status;
          } catch {
            status = -1;
          }
          if (status === 200) {
            tally.acknowledged += o.batchSize;
            tally.acks.push({
              at: Date.now(),
              cumulative: tally.acknowledged,
              ackMs: performance.now() - t0,
            });
            break;
          }
          tally.refused.set(status, (tally.refused.get(status) ?? 0) + 1);
          if (Date.now() > o.until + 60_000) break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }),
  );
  return tally;
}

export function newTally(): LoadTally {
  return { acknowledged: 0, refused: new Map(), acks: [] };
}

/** Polls the sum of alert counts (= events detected, every load event matches once). */
export class DetectionProbe {
  readonly series: Array<{ at: number; detected: number }> = [];
  private readonly client: pg.Client;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(url: string, schema: string) {
    this.client = new pg.Client({ connectionString: url });
    this.schema = schema;
  }
  private readonly schema: string;

  async start(): Promise<void> {
    await this.client.connect();
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.detected()
        .then((detected) => this.series.push({ at: Date.now(), detected }))
        .catch(() => undefined)
        .finally(() => {
          this.busy = false;
        });
    }, 100);
  }

  async detected(): Promise<number> {
    const r = await this.client.query(
      `select coalesce(sum(count), 0)::int as n from "${this.schema}".alerts`,
    );
    return r.rows[0].n as number;
  }

  /** Waits until `n` events are detected (or the timeout); returns the time it happened. */
  async waitFor(n: number, timeoutMs = 300_000): Promise<number | undefined> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const last = this.series.at(-1);
      if (last && last.detected >= n) return last.at;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  }

  /** Latency acknowledged → alert stored of each acknowledged batch (ms), in order of acknowledgement. */
  endToEnd(acks: AckRecord[]): number[] {
    const out: number[] = [];
    let i = 0;
    for (const a of acks) {
      while (i < this.series.length && this.series[i]!.detected < a.cumulative) i++;
      if (i >= this.series.length) break;
      out.push(Math.max(0, this.series[i]!.at - a.at));
    }
    return out;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client.end();
  }
}

/** Peak RSS in MB of a server process. */
export function rssMb(p: ServerProcess): number {
  return Math.round(p.peakRss() / 1024 / 1024);
}

/** Current RSS in MB of a server process (VmRSS). */
export function currentRssMb(p: ServerProcess): number {
  try {
    const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** The p99 event-loop delay (ms) a server reports on /metrics (prom-client's default metrics). */
export async function eventLoopP99Ms(p: ServerProcess): Promise<number> {
  try {
    const text = await (await fetch(`${p.url}/metrics`)).text();
    const m = /^harrier_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
    return m ? Math.round(Number(m[1]) * 1000) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
