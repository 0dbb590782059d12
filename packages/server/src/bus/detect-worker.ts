import { randomUUID } from 'node:crypto';
import type { HarrierEvent } from '@harrier/schema';
import type { ConsumerMessages, JsMsg, KV } from 'nats';
import { decodeEvents } from './event-messages.ts';
import { consumerName, type NatsBus } from './nats-bus.ts';

/** A claim not renewed for this long is free for another worker (a killed worker's partitions). */
export const CLAIM_TTL_MS = 10_000;
const RENEW_MS = 2_000;
/** Messages of one partition handed to detection and not yet acknowledged. */
const MAX_IN_FLIGHT = 64;

/** What the worker feeds: resolves once the alerts of the events are stored. */
export interface DetectionSink {
  submit(events: HarrierEvent[]): Promise<void>;
}

interface Claim {
  revision: number;
  messages: ConsumerMessages;
  done: Promise<void>;
}

/**
 * A detection worker: claims a fair share of the event stream's partitions
 * (leases in a JetStream key-value bucket, renewed every 2 s, free after 10 s
 * without renewal), consumes each claimed partition's durable consumer and
 * acknowledges a message only after its alerts are stored. A killed worker's
 * unacknowledged messages are redelivered to whoever claims the partition next.
 */
export class DetectWorker {
  readonly id = randomUUID();
  private kv: KV | undefined;
  private readonly claims = new Map<number, Claim>();
  private timer: NodeJS.Timeout | undefined;
  private balancing: Promise<void> | undefined;
  private stopped = false;
  /** Counters for metrics and tests. */
  readonly stats = { acked: 0, failed: 0 };

  constructor(
    private readonly bus: NatsBus,
    private readonly sink: DetectionSink,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.kv = await this.bus.js.views.kv(this.bus.names.claimsBucket, { ttl: CLAIM_TTL_MS, history: 1 });
    await this.balance();
    this.timer = setInterval(() => {
      if (this.balancing || this.stopped) return;
      this.balancing = this.balance()
        .catch(this.onError)
        .finally(() => {
          this.balancing = undefined;
        });
    }, RENEW_MS);
  }

  /** Partitions this worker consumes now. */
  partitions(): number[] {
    return [...this.claims.keys()].sort((a, b) => a - b);
  }

  /** Renews its claims and takes or gives back partitions to hold a fair share. */
  private async balance(): Promise<void> {
    const kv = this.kv!;
    const enc = new TextEncoder();
    await kv.put(`worker.${this.id}`, enc.encode(String(Date.now())));
    for (const [p, claim] of this.claims) {
      try {
        claim.revision = await kv.update(`partition.${p}`, enc.encode(this.id), claim.revision);
      } catch {
        // Lost the lease (we stalled past its lifetime and another worker took it).
        await this.release(p, false);
      }
    }
    const workers = new Set<string>();
    const owners = new Map<number, string>();
    for await (const key of await kv.keys()) {
      if (key.startsWith('worker.')) workers.add(key.slice(7));
      else if (key.startsWith('partition.')) {
        const e = await kv.get(key);
        if (e && e.operation === 'PUT') owners.set(Number(key.slice(10)), e.string());
      }
    }
    workers.add(this.id);
    const total = this.bus.options.partitions;
    const fair = Math.ceil(total / workers.size);
    // Give back partitions above the fair share (a worker joined): highest first.
    while (this.claims.size > fair) {
      await this.release(Math.max(...this.claims.keys()), true);
    }
    for (let p = 0; p < total && this.claims.size < fair; p++) {
      if (this.claims.has(p) || (owners.has(p) && workers.has(owners.get(p)!))) continue;
      if (this.stopped) return;
      let revision: number;
      try {
        revision = owners.has(p)
          ? await kv.update(`partition.${p}`, enc.encode(this.id), (await kv.get(`partition.${p}`))!.revision)
          : await kv.create(`partition.${p}`, enc.encode(this.id));
      } catch {
        continue; // Another worker was quicker.
      }
      await this.consume(p, revision);
    }
  }

  private async consume(partition: number, revision: number): Promise<void> {
    const consumer = await this.bus.js.consumers.get(this.bus.names.stream, consumerName(partition));
    const messages = await consumer.consume({ max_messages: MAX_IN_FLIGHT });
    const done = this.handle(messages);
    this.claims.set(partition, { revision, messages, done });
  }

  private async handle(messages: ConsumerMessages): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for await (const msg of messages) {
      const work = this.process(msg).finally(() => inFlight.delete(work));
      inFlight.add(work);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  private async process(msg: JsMsg): Promise<void> {
    let events: HarrierEvent[];
    try {
      events = decodeEvents(msg.data);
    } catch (error) {
      // A body no worker can read would be redelivered forever.
      this.onError(error);
      msg.term();
      return;
    }
    try {
      // Detection coalesces queued batches into one run; the ack waits for the stored alerts.
      await this.sink.submit(events);
      msg.ack();
      this.stats.acked++;
    } catch (error) {
      this.stats.failed++;
      this.onError(error);
      msg.nak(2_000);
    }
  }

  private async release(partition: number, deleteClaim: boolean): Promise<void> {
    const claim = this.claims.get(partition);
    if (!claim) return;
    this.claims.delete(partition);
    claim.messages.stop();
    await claim.done;
    if (deleteClaim) await this.kv!.delete(`partition.${partition}`).catch(() => undefined);
  }

  /** Stops consuming, lets handled messages be acknowledged, and frees its partitions. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.balancing;
    for (const p of [...this.claims.keys()]) await this.release(p, true);
    await this.kv?.delete(`worker.${this.id}`).catch(() => undefined);
  }
}
