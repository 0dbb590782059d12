import {
  AckPolicy,
  connect,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { type BusNames, busNames, partitionFilter } from './event-messages.ts';

export interface NatsBusOptions {
  url: string;
  /** Partitions of the event stream; the same in every process of a deployment. */
  partitions: number;
  /** Largest backlog the stream holds; beyond it publishes fail and ingest answers `overloaded`. */
  streamMaxBytes: number;
  /** A name for this process in NATS monitoring. */
  name: string;
  /** Keeps deployments sharing a NATS server apart (the PostgreSQL schema). */
  namespace: string;
}

/** How long a detection worker has to acknowledge a batch before JetStream redelivers it. */
export const ACK_WAIT_MS = 30_000;

/** The durable consumer of one partition. */
export function consumerName(partition: number): string {
  return `detect-p${partition}`;
}

/**
 * One NATS connection of a process: reconnects forever (ingest refuses while
 * it is down) and declares the event stream and its per-partition consumers.
 */
export class NatsBus {
  connected = true;
  readonly names: BusNames;
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly options: NatsBusOptions,
  ) {
    this.names = busNames(options.namespace);
    void this.watch();
  }

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const nc = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsBus(nc, nc.jetstream(), jsm, options);
      await bus.declare();
      return bus;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /** Creates (or updates) the stream and the consumers; idempotent, every process runs it. */
  private async declare(): Promise<void> {
    const stream = {
      name: this.names.stream,
      subjects: [`${this.names.subjectPrefix}.>`],
      // Work queue: an acknowledged batch leaves the stream, so its size is the detection backlog.
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.New,
      max_bytes: this.options.streamMaxBytes,
      duplicate_window: nanos(120_000),
    };
    try {
      await this.jsm.streams.info(this.names.stream);
      const { retention: _r, storage: _s, ...changeable } = stream;
      await this.jsm.streams.update(this.names.stream, changeable);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.streams.add(stream).catch(async (e) => {
        // Another process created it meanwhile.
        if (!String(e).includes('already in use')) throw e;
      });
    }
    for (let p = 0; p < this.options.partitions; p++) {
      await this.jsm.consumers.add(this.names.stream, {
        durable_name: consumerName(p),
        filter_subject: partitionFilter(this.names.subjectPrefix, p),
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ACK_WAIT_MS),
        max_ack_pending: 1000,
      });
    }
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'staleConnection') this.connected = false;
      else if (s.type === 'reconnect') this.connected = true;
    }
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain().catch(() => this.nc.close());
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: string; api_error?: { err_code?: number } };
  return e.api_error?.err_code === 10059 || /not found/i.test(String(error));
}
