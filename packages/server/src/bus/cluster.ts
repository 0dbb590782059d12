import { hostname } from 'node:os';
import type { HarrierEvent } from '@harrier/schema';
import { ConfigError } from '../config.ts';
import type { AppContext } from '../context.ts';
import { registerBusMetrics } from './bus-metrics.ts';
import { DetectWorker } from './detect-worker.ts';
import { bridgeDomainEvents } from './domain-event-bridge.ts';
import { JetStreamTransport } from './jetstream-transport.ts';
import { NatsBus } from './nats-bus.ts';
import { OutboxRelay } from './outbox-relay.ts';

/** What one `harrier serve` process runs. */
export const SERVE_ROLES = ['all', 'ingest', 'detect', 'api'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

/** Scheduled work (scheduled queries, decision engine) runs in API processes. */
export function runsScheduledJobs(role: ServeRole): boolean {
  return role === 'all' || role === 'api';
}

/** The NATS side of a process: the bus, its detection worker (detect, all) and the relays. */
export interface Cluster {
  bus: NatsBus;
  transport: JetStreamTransport;
  worker: DetectWorker | undefined;
  close(): Promise<void>;
}

type Log = { error(obj: object, msg: string): void };

/**
 * Connects a process to the others when `HARRIER_NATS_URL` is set: ingest
 * publishes committed batches to JetStream (every role serves ingest routes),
 * detect and all consume them, and domain events fan out to every process.
 * Without NATS only `all` exists, and nothing is started here.
 */
export async function startCluster(ctx: AppContext, role: ServeRole, log: Log): Promise<Cluster | undefined> {
  const config = ctx.config;
  if (config.natsUrl === undefined) {
    if (role !== 'all') throw new ConfigError('HARRIER_NATS_URL', `--role ${role} needs HARRIER_NATS_URL`);
    registerBusMetrics(ctx.metrics.registry, ctx.pipeline);
    return undefined;
  }
  const onError = (msg: string) => (error: unknown) => log.error({ err: error }, msg);
  const bus = await NatsBus.connect({
    url: config.natsUrl,
    partitions: config.natsPartitions,
    streamMaxBytes: config.natsStreamMaxBytes,
    name: `harrier-${role}@${hostname()}:${process.pid}`,
    namespace: config.pgSchema,
  });
  const transport = new JetStreamTransport(bus, { maxInFlight: 256, maxOutboxBacklog: 1_000 });
  ctx.pipeline.useTransport(transport);
  const relay = new OutboxRelay(ctx.database, transport, onError('bus outbox relay failed'));
  relay.start();
  const stopBridge = bridgeDomainEvents(
    bus.nc,
    bus.names.domainPrefix,
    ctx.domainEvents,
    onError('domain event bridge failed'),
  );
  let worker: DetectWorker | undefined;
  if (role === 'all' || role === 'detect') {
    // Every local listener of committed events (detection, insights, inventory) runs on the
    // consumed batch, not detection alone: with a bus, ingest processes run none of them.
    const sink = { submit: (events: HarrierEvent[]) => ctx.pipeline.deliverLocally(events) };
    worker = new DetectWorker(bus, sink, onError('detection of a bus batch failed'));
    await worker.start();
  }
  registerBusMetrics(ctx.metrics.registry, ctx.pipeline, { transport, worker });
  return {
    bus,
    transport,
    worker,
    async close() {
      // In-flight detection finishes and is acknowledged; the rest is redelivered to another worker.
      await worker?.stop();
      await relay.stop();
      stopBridge();
      await bus.close();
    },
  };
}
