// npm run bench:ingest — concurrent signed batches of corpus events over HTTP into
// embedded SQLite (or PostgreSQL); events/s acknowledged after commit, p50/p99 latency, peak RSS.
// Options (env): BENCH_SECONDS (20), BENCH_BATCH (1000), BENCH_CONCURRENCY (8),
// BENCH_DATABASE_URL (postgres://…: PostgreSQL, in a schema of its own dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer } from '../packages/server/src/test-support/server-process.ts';
import { enroll, postSigned } from '../packages/server/src/test-support/signed-client.ts';
import { loadWindowsRecords } from './lib/corpus.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const records = loadWindowsRecords(20_000);
const batches: string[] = [];
for (let i = 0; i + batchSize <= records.length || batches.length === 0; i += batchSize) {
  batches.push(JSON.stringify(records.slice(i, i + batchSize)));
  if (batches.length >= 16) break;
}
const avgBytes = Math.round(batches.reduce((n, b) => n + b.length, 0) / batches.length / batchSize);

const dataDir = mkdtempSync(join(tmpdir(), 'harrier-bench-'));
const pgUrl = process.env.BENCH_DATABASE_URL;
const pgSchema = `bench_ingest_${process.pid}`;
const store = pgUrl ? 'PostgreSQL' : 'embedded SQLite';
const server = await startServer({
  ...(pgUrl ? { DATABASE_URL: pgUrl, HARRIER_PG_SCHEMA: pgSchema } : {}),
  HARRIER_DATA_DIR: dataDir,
  HARRIER_ADMIN_PASSWORD: 'bench-password-123456',
  HARRIER_MAX_BATCH_EVENTS: String(Math.max(10_000, batchSize)),
});
try {
  const devices = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => enroll(server.url, server.enrollmentKey!, `bench-${i}`)),
  );
  const latencies: number[] = [];
  let accepted = 0;
  let failures = 0;
  let seq = 0;
  const deadline = Date.now() + seconds * 1000;
  const warmupUntil = Date.now() + 2000;
  let measuredFrom = 0;
  let measuredAccepted = 0;

  async function worker(w: number) {
    const device = devices[w]!;
    while (Date.now() < deadline) {
      const events = batches[seq % batches.length]!;
      const body = Buffer.from(`{"batch_id":"b-${w}-${seq++}","events":${events}}`);
      const t0 = performance.now();
      const res = await postSigned(server.url, '/api/v1/ingest', device, body);
      const dt = performance.now() - t0;
      if (res.status !== 200) {
        failures++;
        if (failures < 5) console.error(`status ${res.status}: ${res.body.slice(0, 200)}`);
        continue;
      }
      const n = (JSON.parse(res.body) as { accepted: number }).accepted;
      accepted += n;
      if (Date.now() >= warmupUntil) {
        if (measuredFrom === 0) measuredFrom = performance.now();
        measuredAccepted += n;
        latencies.push(dt);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const result = {
    events_per_second: Math.round(measuredAccepted / elapsed),
    events_acknowledged: accepted,
    batches: latencies.length,
    batch_size: batchSize,
    concurrency,
    avg_event_bytes: avgBytes,
    p50_ms: Number(pct(50).toFixed(1)),
    p99_ms: Number(pct(99).toFixed(1)),
    failures,
    server_peak_rss_mb: Math.round(server.peakRss() / 1024 / 1024),
    client_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    client_cpu_s: Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)),
    server_cpu_s: server.cpuSeconds(),
  };
  console.log(`bench:ingest (signed HTTP batches → ${store}, acknowledged after commit)`);
  console.table(result);
  console.log(JSON.stringify(result));
} finally {
  await server.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
    await c.end();
  }
}
