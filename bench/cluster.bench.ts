// npm run bench:cluster — the roles in separate processes over PostgreSQL and NATS JetStream:
// 1 vs 2 ingest processes and 1 vs 2 detection workers (plus one API process). Signed batches
// from BENCH_DEVICES devices for BENCH_SECONDS; every event raises a severity-promotion match, so
// the sum of alert counts is the number of events detected. Prints events/s accepted and end to
// end (accepted → alert stored, until the last one is stored), p99 of the acknowledgement and of
// the end-to-end latency per batch, and the peak RSS of each process.
// Options (env): BENCH_SECONDS (20), BENCH_BATCH (500), BENCH_DEVICES (8), BENCH_CONFIGS
// ("1x1,2x1,1x2,2x2" = ingest x detect), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
// BENCH_NATS_URL (nats://127.0.0.1:4222).
import { dropBusStreams, dropSchema } from '../packages/server/src/test-support/cluster-fixtures.ts';
import { type ServerProcess, startServer } from '../packages/server/src/test-support/server-process.ts';
import { enroll } from '../packages/server/src/test-support/signed-client.ts';
import { DetectionProbe, newTally, percentile, rssMb, runLoad } from './lib/cluster-load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const deviceCount = Number(process.env.BENCH_DEVICES ?? 8);
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const configs = (process.env.BENCH_CONFIGS ?? '1x1,2x1,1x2,2x2').split(',').map((c) => {
  const [i, d] = c.split('x').map(Number);
  return { ingest: i!, detect: d! };
});

interface Row {
  config: string;
  accepted: number;
  acceptedPerS: number;
  endToEndPerS: number;
  ackP99: number;
  e2eP99: number;
  rss: string;
  refused: string;
}

async function runConfig(ingestCount: number, detectCount: number, n: number): Promise<Row> {
  const schema = `bench_cluster_${process.pid}_${n}`;
  const env = {
    DATABASE_URL: pgUrl,
    HARRIER_PG_SCHEMA: schema,
    HARRIER_NATS_URL: natsUrl,
    HARRIER_SECRET: 'bench-cluster-secret-0123456789abcdefghijkl',
    HARRIER_ADMIN_PASSWORD: 'bench-password-123456',
    HARRIER_DECISION_INTERVAL: '0',
    HARRIER_PG_POOL_MAX: '8',
  };
  const procs: Array<{ role: string; p: ServerProcess }> = [];
  const probe = new DetectionProbe(pgUrl, schema);
  try {
    // The API process first: it migrates and bootstraps the schema the others share.
    const api = await startServer(env, ['--role', 'api']);
    procs.push({ role: 'api', p: api });
    const started = await Promise.all([
      ...Array.from({ length: ingestCount }, () => startServer(env, ['--role', 'ingest'])),
      ...Array.from({ length: detectCount }, () => startServer(env, ['--role', 'detect'])),
    ]);
    for (const [i, p] of started.entries()) procs.push({ role: i < ingestCount ? 'ingest' : 'detect', p });
    const ingest = started.slice(0, ingestCount);
    const devices = await Promise.all(
      Array.from({ length: deviceCount }, (_, i) => enroll(api.url, api.enrollmentKey!, `bench-${i}`)),
    );
    // Let the detection workers share out the partitions before the clock starts.
    await new Promise((r) => setTimeout(r, 5_000));
    await probe.start();
    const t0 = Date.now();
    const tally = await runLoad({ ingest, devices, batchSize, until: t0 + seconds * 1000 }, newTally());
    const sentAt = Date.now();
    const doneAt = (await probe.waitFor(tally.acknowledged)) ?? Number.NaN;
    const acks = tally.acks.map((a) => a.ackMs).sort((a, b) => a - b);
    const e2e = probe.endToEnd(tally.acks).sort((a, b) => a - b);
    const rss = procs.map(({ role, p }) => `${role} ${rssMb(p)}`).join(', ');
    return {
      config: `${ingestCount} ingest × ${detectCount} detect`,
      accepted: tally.acknowledged,
      acceptedPerS: Math.round(tally.acknowledged / ((sentAt - t0) / 1000)),
      endToEndPerS: Math.round(tally.acknowledged / ((doneAt - t0) / 1000)),
      ackP99: Math.round(percentile(acks, 99)),
      e2eP99: Math.round(percentile(e2e, 99)),
      rss,
      refused: [...tally.refused].map(([s, c]) => `${s}×${c}`).join(' ') || '-',
    };
  } finally {
    await probe.stop().catch(() => undefined);
    await Promise.all(procs.map(({ p }) => p.stop('SIGTERM', 30_000)));
    await dropSchema(pgUrl, schema);
    await dropBusStreams(natsUrl, schema);
  }
}

const rows: Row[] = [];
for (const [i, c] of configs.entries()) {
  rows.push(await runConfig(c.ingest, c.detect, i));
  console.error(`done: ${rows.at(-1)!.config}`);
}
console.log(
  `bench:cluster (${seconds} s, ${deviceCount} devices × ${batchSize}-event batches, PostgreSQL + JetStream)`,
);
console.table(
  rows.map((r) => ({
    processes: r.config,
    'events accepted': r.accepted,
    'accepted/s': r.acceptedPerS,
    'end-to-end/s': r.endToEndPerS,
    'ack p99 ms': r.ackP99,
    'accepted→alert p99 ms': r.e2eP99,
    'peak RSS MB': r.rss,
    refused: r.refused,
  })),
);
