import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one running app (its own registry, so tests can build many apps). */
export interface HarrierMetrics {
  registry: Registry;
  ingestRequests: Counter<'route' | 'outcome'>;
  ingestEvents: Counter<'route' | 'outcome'>;
  batchLatency: Histogram<'route'>;
  writerQueueDepth: Gauge;
}

/** Creates the registry; `writerDepth` is read at scrape time. */
export function createMetrics(writerDepth: () => number): HarrierMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'harrier_' });
  return {
    registry,
    ingestRequests: new Counter({
      name: 'harrier_ingest_requests_total',
      help: 'Ingest requests by route and outcome (accepted, or the error code).',
      labelNames: ['route', 'outcome'],
      registers: [registry],
    }),
    ingestEvents: new Counter({
      name: 'harrier_ingest_events_total',
      help: 'Ingested events by route and outcome (accepted, rejected).',
      labelNames: ['route', 'outcome'],
      registers: [registry],
    }),
    batchLatency: new Histogram({
      name: 'harrier_ingest_batch_seconds',
      help: 'Time from request received to acknowledgement after commit.',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    writerQueueDepth: new Gauge({
      name: 'harrier_writer_queue_depth',
      help: 'Write jobs waiting for or inside the current commit.',
      registers: [registry],
      collect() {
        this.set(writerDepth());
      },
    }),
  };
}
