// npm run soak [-- --minutes N] — sustained ingest and detection at 50 % of the measured maximum
// (not part of npm test). One API, one ingest and one detection process over PostgreSQL and
// NATS JetStream (BENCH_DATABASE_URL, BENCH_NATS_URL as for bench:cluster). First BENCH_PROBE_SECONDS
// (15) at full speed measure the maximum; then --minutes (10) at half of it, sampling every 10 s:
// RSS of each process, event-loop delay p99 (from /metrics), acknowledgement and end-to-end
// (accepted → alert stored) latency of the interval, and the detection backlog. Ends with the RSS
// trend (MB per minute, least squares over the second half) of each process.
import { parseArgs } from 'node:util';
import { dropBusStreams, dropSchema } from '../packages/server/src/test-support/cluster-fixtures.ts';
import { type ServerProcess, startServer } from '../packages/server/src/test-support/server-process.ts';
import { enroll } from '../packages/server/src/test-support/signed-client.ts';
import {
  currentRssMb,
  DetectionProbe,
  eventLoopP99Ms,
  newTally,
  percentile,
  runLoad,
} from './lib/cluster-load.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error('--minutes takes a positive number');
const probeSeconds = Number(process.env.BENCH_PROBE_SECONDS ?? 15);
const batchSize = Number(process.env.BENCH_BATCH ?? 200);
const deviceCount = Number(process.env.BENCH_DEVICES ?? 8);
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const schema = `soak_${process.pid}`;
const env = {
  DATABASE_URL: pgUrl,
  HARRIER_PG_SCHEMA: schema,
  HARRIER_NATS_URL: natsUrl,
  HARRIER_SECRET: 'soak-secret-0123456789abcdefghijklmnopqrstu',
  HARRIER_ADMIN_PASSWORD: 'soak-password-123456',
  HARRIER_DECISION_INTERVAL: '0',
};

const procs: Array<{ role: string; p: ServerProcess }> = [];
const probe = new DetectionProbe(pgUrl, schema);
try {
  const api = await startServer(env, ['--role', 'api']);
  procs.push({ role: 'api', p: api });
  const ingest = await startServer(env, ['--role', 'ingest']);
  procs.push({ role: 'ingest', p: ingest });
  procs.push({ role: 'detect', p: await startServer(env, ['--role', 'detect']) });
  const devices = await Promise.all(
    Array.from({ length: deviceCount }, (_, i) => enroll(api.url, api.enrollmentKey!, `soak-${i}`)),
  );
  await probe.start();

  // The maximum: accepted and detected at full speed.
  let t0 = Date.now();
  const burst = await runLoad({ ingest: [ingest], devices, batchSize, until: t0 + probeSeconds * 1000 });
  const detectedAt = (await probe.waitFor(burst.acknowledged)) ?? Date.now();
  const max = burst.acknowledged / ((detectedAt - t0) / 1000);
  const rate = Math.max(1, Math.round(max / 2));
  console.log(`soak: measured maximum ${Math.round(max)} events/s end to end; sustaining ${rate} events/s`);

  // Sustained load at half of it, sampled every 10 s.
  const tally = newTally();
  tally.acknowledged = burst.acknowledged;
  t0 = Date.now();
  const until = t0 + minutes * 60_000;
  const load = runLoad({ ingest: [ingest], devices, batchSize, until, rate }, tally);
  const samples: Array<Record<string, number | string>> = [];
  let from = tally.acks.length;
  let detectedFrom = from;
  const sample = async () => {
    const acks = tally.acks.slice(from);
    from = tally.acks.length;
    const ackMs = acks.map((a) => a.ackMs).sort((a, b) => a - b);
    // End to end for the batches whose alerts were stored since the last sample.
    const e2e = probe.endToEnd(tally.acks.slice(detectedFrom));
    detectedFrom += e2e.length;
    e2e.sort((a, b) => a - b);
    const row: Record<string, number | string> = {
      't (s)': Math.round((Date.now() - t0) / 1000),
      'events/s': Math.round((acks.length * batchSize) / 10),
      'ack p50 ms': Math.round(percentile(ackMs, 50)),
      'ack p99 ms': Math.round(percentile(ackMs, 99)),
      'e2e p99 ms': Math.round(percentile(e2e, 99)),
      backlog: tally.acknowledged - (probe.series.at(-1)?.detected ?? 0),
    };
    for (const { role, p } of procs) {
      row[`${role} RSS MB`] = currentRssMb(p);
      row[`${role} loop p99 ms`] = await eventLoopP99Ms(p);
    }
    samples.push(row);
    console.log(JSON.stringify(row));
  };
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, Math.min(10_000, Math.max(0, until - Date.now()))));
    await sample();
  }
  await load;
  const drainedAt = await probe.waitFor(tally.acknowledged, 120_000);
  console.table(samples);
  console.log(
    drainedAt === undefined
      ? `NOT DRAINED: ${tally.acknowledged - (await probe.detected())} acknowledged events without their alert match`
      : `every acknowledged event (${tally.acknowledged}) detected ${((drainedAt - until) / 1000).toFixed(1)} s after the load stopped`,
  );
  // The trend over the second half (after warm-up): least-squares slope of RSS per minute.
  const half = samples.slice(Math.floor(samples.length / 2));
  for (const { role } of procs) {
    const key = `${role} RSS MB`;
    const xs = half.map((s) => Number(s['t (s)']) / 60);
    const ys = half.map((s) => Number(s[key]));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
    const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    console.log(`${role}: RSS trend ${den > 0 ? (num / den).toFixed(1) : 'n/a'} MB/min over the second half`);
  }
} finally {
  await probe.stop().catch(() => undefined);
  await Promise.all(procs.map(({ p }) => p.stop('SIGTERM', 30_000)));
  await dropSchema(pgUrl, schema);
  await dropBusStreams(natsUrl, schema);
}
