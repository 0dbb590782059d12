// node --import tsx bench/insights.bench.ts — the insight engine's cost in the platform:
// committed events folded into per device-day aggregates (InsightService.onCommitted, through
// the store's writer), first when every process/listener key is new, then in steady state
// (an agent reporting the same processes again), and the per-device computation of risk, brief
// and insights from those aggregates. Prints events/s of each phase, compute ms per device
// (p50/p99) and peak RSS. Options (env): BENCH_EVENTS (100000), BENCH_DEVICES (100),
// BENCH_BATCH (1000), DATABASE_URL (PostgreSQL; SQLite in a temp dir otherwise).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HarrierEvent, uuidv7 } from '../packages/schema/src/index.ts';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { migrateToLatest } from '../packages/server/src/db/migrator.ts';
import { InsightService } from '../packages/server/src/services/insight-service.ts';

const total = Number(process.env.BENCH_EVENTS ?? 100_000);
const deviceCount = Number(process.env.BENCH_DEVICES ?? 100);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const DAY = 86_400_000;

let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const dataDir = mkdtempSync(join(tmpdir(), 'harrier-insights-bench-'));
const database = await openDatabase(
  process.env.DATABASE_URL
    ? { databaseUrl: process.env.DATABASE_URL, pgSchema: `bench_${Date.now().toString(36)}` }
    : { dataDir },
);
await migrateToLatest(database.db, database.dialect, database.schema);
const insights = new InsightService(database);
const now = Date.now();
const devices = Array.from({ length: deviceCount }, () => uuidv7());

/** Events as an endpoint produces them: a few hundred distinct processes, some listeners, logons. */
function event(i: number, day: number): HarrierEvent {
  const kind = i % 10;
  const base = {
    id: uuidv7(),
    org_id: 'bench',
    device_id: devices[i % deviceCount]!,
    ts: now - day * DAY - (i % 3600) * 1000,
    received_at: now,
  };
  if (kind < 7) {
    return {
      ...base,
      source: 'native',
      logsource: { product: 'linux', category: 'process_creation' },
      severity: i % 97 === 0 ? 'high' : 'informational',
      title: 'process',
      fields: { Image: `/usr/bin/tool-${i % 300}`, ProcessId: i, User: 'root' },
    };
  }
  if (kind < 9) {
    return {
      ...base,
      source: 'native',
      logsource: { product: 'linux', category: 'network_connection' },
      severity: 'informational',
      title: 'listener',
      fields: {
        DestinationIp: '0.0.0.0',
        DestinationPort: 8000 + (i % 20),
        Initiated: 'false',
        SocketState: 'LISTEN',
      },
    };
  }
  return {
    ...base,
    source: 'native',
    logsource: { product: 'linux', category: 'authentication', service: 'sshd' },
    severity: 'low',
    title: 'ssh login (password) failed for root',
    fields: { Outcome: 'failure', User: 'root' },
  };
}

/** Batches built before timing, so only the aggregation and its commits are measured. */
function batches(day: number): HarrierEvent[][] {
  const out: HarrierEvent[][] = [];
  for (let i = 0; i < total; i += batchSize) {
    const batch: HarrierEvent[] = [];
    for (let j = i; j < Math.min(total, i + batchSize); j++) batch.push(event(j, day));
    out.push(batch);
  }
  return out;
}

async function feed(day: number): Promise<number> {
  const input = batches(day);
  sample();
  const t0 = performance.now();
  for (const batch of input) await insights.onCommitted(batch, now);
  const seconds = (performance.now() - t0) / 1000;
  sample();
  return total / seconds;
}

try {
  const firstPass = await feed(1);
  const steady = await feed(1);
  await feed(0);
  const times: number[] = [];
  for (const d of devices) {
    const t0 = performance.now();
    await insights.computeDevice('bench', d, now);
    times.push(performance.now() - t0);
    sample();
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  console.log(
    JSON.stringify({
      store: database.dialect,
      events: total,
      devices: deviceCount,
      batch: batchSize,
      aggregate_events_per_s_new_keys: Math.round(firstPass),
      aggregate_events_per_s_steady: Math.round(steady),
      compute_ms_per_device_p50: +pct(50).toFixed(2),
      compute_ms_per_device_p99: +pct(99).toFixed(2),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    }),
  );
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
