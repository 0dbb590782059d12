// npm run bench:overload — memory under overload. Senders flood ingest (retrying refusals after
// 200 ms, as agents do after Retry-After) while downstream cannot keep up:
//  A. scaled out: one ingest process and no detection worker at all, the event stream capped at
//     BENCH_STREAM_MB (64): once it is full, ingest must refuse (503 overloaded), not buffer;
//     then one detection worker starts and drains it.
//  B. one process (PostgreSQL, no NATS) with in-process detection capped by HARRIER_MAX_PENDING_EVENTS.
// Prints accepted events, refusals by status, and the ingest process's RSS (sampled every second).
// Options (env): BENCH_SECONDS (30), BENCH_BATCH (1000), BENCH_DEVICES (16), BENCH_DATABASE_URL,
// BENCH_NATS_URL.
import { dropBusStreams, dropSchema } from '../packages/server/src/test-support/cluster-fixtures.ts';
import { type ServerProcess, startServer } from '../packages/server/src/test-support/server-process.ts';
import { enroll } from '../packages/server/src/test-support/signed-client.ts';
import { currentRssMb, DetectionProbe, runLoad } from './lib/cluster-load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const deviceCount = Number(process.env.BENCH_DEVICES ?? 16);
const streamMb = Number(process.env.BENCH_STREAM_MB ?? 64);
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

async function flood(name: string, ingest: ServerProcess, schema: string, after?: () => Promise<string>) {
  const devices = await Promise.all(
    Array.from({ length: deviceCount }, (_, i) => enroll(ingest.url, ingest.enrollmentKey!, `flood-${i}`)),
  );
  const rss: number[] = [];
  const timer = setInterval(() => rss.push(currentRssMb(ingest)), 1000);
  const probe = new DetectionProbe(pgUrl, schema);
  await probe.start();
  const tally = await runLoad({ ingest: [ingest], devices, batchSize, until: Date.now() + seconds * 1000 });
  clearInterval(timer);
  const note = after ? await after() : '';
  const detected = await probe.detected();
  await probe.stop();
  return {
    scenario: name,
    accepted: tally.acknowledged,
    refused: [...tally.refused].map(([s, c]) => `${s}×${c}`).join(' ') || '-',
    'ingest RSS MB (start → peak → end)': `${rss[0]} → ${Math.max(...rss)} → ${rss.at(-1)}`,
    'detected when done': detected,
    note,
  };
}

const rows: Array<Record<string, unknown>> = [];
const base = {
  DATABASE_URL: pgUrl,
  HARRIER_SECRET: 'bench-overload-secret-0123456789abcdefghij',
  HARRIER_ADMIN_PASSWORD: 'bench-password-123456',
  HARRIER_DECISION_INTERVAL: '0',
  HARRIER_MAX_BATCH_EVENTS: String(Math.max(10_000, batchSize)),
};
{
  const schema = `bench_overload_a_${process.pid}`;
  const env = {
    ...base,
    HARRIER_PG_SCHEMA: schema,
    HARRIER_NATS_URL: natsUrl,
    HARRIER_NATS_STREAM_MAX_BYTES: String(streamMb * 1024 * 1024),
  };
  const procs: ServerProcess[] = [];
  try {
    const ingest = await startServer(env, ['--role', 'ingest']);
    procs.push(ingest);
    rows.push(
      await flood(`A. ingest, no detection, stream ${streamMb} MB`, ingest, schema, async () => {
        const t0 = Date.now();
        procs.push(await startServer(env, ['--role', 'detect']));
        const probe = new DetectionProbe(pgUrl, schema);
        await probe.start();
        const total = await (async () => {
          const { default: pg } = await import('pg');
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          const r = await c.query(`select count(*)::int as n from "${schema}".events`);
          await c.end();
          return r.rows[0].n as number;
        })();
        const at = await probe.waitFor(total, 600_000);
        await probe.stop();
        return at === undefined
          ? 'the started worker did not drain the stream within 10 min'
          : `a detection worker started afterwards drained all ${total} in ${((at - t0) / 1000).toFixed(0)} s`;
      }),
    );
  } finally {
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 30_000)));
    await dropSchema(pgUrl, schema);
    await dropBusStreams(natsUrl, schema);
  }
}
{
  const schema = `bench_overload_b_${process.pid}`;
  const env = { ...base, HARRIER_PG_SCHEMA: schema, HARRIER_MAX_PENDING_EVENTS: '20000' };
  const all = await startServer(env, ['--role', 'all']);
  try {
    rows.push(await flood('B. one process, in-process detection ≤ 20,000 pending', all, schema));
  } finally {
    await all.stop('SIGTERM', 30_000);
    await dropSchema(pgUrl, schema);
  }
}
console.log(`bench:overload (${seconds} s, ${deviceCount} senders × ${batchSize}-event batches, PostgreSQL)`);
console.table(rows);
