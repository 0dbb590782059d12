import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventPipeline } from '../services/event-pipeline.ts';
import type { DetectWorker } from './detect-worker.ts';
import type { JetStreamTransport } from './jetstream-transport.ts';

/**
 * The back-pressure and bus figures on `/metrics`, read at scrape time: in-process detection
 * backlog, and when scaled out the NATS connection, the outbox backlog, and the detection
 * worker's partitions and acknowledged or failed batches.
 */
export function registerBusMetrics(
  registry: Registry,
  pipeline: EventPipeline,
  cluster?: { transport: JetStreamTransport; worker: DetectWorker | undefined },
): void {
  new Gauge({
    name: 'harrier_detection_pending_events',
    help: 'Committed events handed to in-process detection and not yet handled (bounded by HARRIER_MAX_PENDING_EVENTS).',
    registers: [registry],
    collect() {
      this.set(pipeline.backlog());
    },
  });
  if (!cluster) return;
  new Gauge({
    name: 'harrier_bus_connected',
    help: '1 while the NATS connection is up.',
    registers: [registry],
    collect() {
      this.set(cluster.transport.connected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'harrier_bus_outbox_backlog',
    help: 'Committed batches not yet acknowledged by JetStream, as the relay last counted them.',
    registers: [registry],
    collect() {
      this.set(cluster.transport.outboxBacklog);
    },
  });
  const worker = cluster.worker;
  if (!worker) return;
  new Gauge({
    name: 'harrier_detect_partitions',
    help: 'Event stream partitions this detection worker consumes.',
    registers: [registry],
    collect() {
      this.set(worker.partitions().length);
    },
  });
  new Counter({
    name: 'harrier_detect_batches_total',
    help: 'Bus batches handled by this detection worker, by outcome (acked, failed and redelivered).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ outcome: 'acked' }, worker.stats.acked);
      this.inc({ outcome: 'failed' }, worker.stats.failed);
    },
  });
}
