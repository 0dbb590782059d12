// node --import tsx bench/pipeline.bench.ts — detection through the platform's pipeline: every
// corpus rule stored in the organization, corpus Windows records sent as signed ingest batches
// (in-process), each committed batch detected by the detection service and turned into alerts.
// Prints end-to-end events/s (ingest + commit + detection + alert writes), detection-only
// events/s (time the detection service was busy), matches, alerts created/updated, peak RSS.
// Options (env): BENCH_SECONDS (15), BENCH_BATCH (1000), BENCH_CONCURRENCY (4), DATABASE_URL
// (PostgreSQL; SQLite in a temp dir otherwise), HARRIER_CORPUS_DIR.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedHeaders } from '../packages/schema/src/index.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { startRuntime } from '../packages/server/src/runtime.ts';
import { corpusDir, loadWindowsRecords } from './lib/corpus.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

function ruleFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) ruleFiles(p, out);
    else if (/\.ya?ml$/i.test(name)) out.push(p);
  }
  return out;
}

let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const dataDir = mkdtempSync(join(tmpdir(), 'harrier-pipeline-bench-'));
const runtime = await startRuntime(
  loadConfig({
    HARRIER_DATA_DIR: dataDir,
    ...(process.env.DATABASE_URL
      ? { DATABASE_URL: process.env.DATABASE_URL, HARRIER_PG_SCHEMA: `bench_${Date.now().toString(36)}` }
      : {}),
    HARRIER_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    HARRIER_ADMIN_PASSWORD: 'bench-password-123456',
    HARRIER_LOG_LEVEL: 'silent',
    HARRIER_MAX_BATCH_EVENTS: String(Math.max(10_000, batchSize)),
  }),
  { logger: false },
);
try {
  const ctx = runtime.ctx;
  const org = (await ctx.organizations.findBySlug('default'))!;
  const sources = ruleFiles(join(corpusDir(), 'rules')).map((path) => ({
    path,
    text: readFileSync(path, 'utf8'),
  }));
  let t0 = performance.now();
  const imported = await ctx.detection.rules.importSources(org.id, null, sources);
  const importMs = performance.now() - t0;
  t0 = performance.now();
  await ctx.detection.engine.detectorFor(org.id);
  const compileMs = performance.now() - t0;
  sample();

  const enrolled = await runtime.app.inject({
    method: 'POST',
    url: '/api/v1/agents/enroll',
    payload: {
      enrollment_key: runtime.firstRun!.enrollmentKey,
      hostname: 'bench',
      os: { name: 'Windows', version: '11', platform: 'windows' },
    },
  });
  const device = enrolled.json() as { device_id: string; device_secret: string };
  const records = loadWindowsRecords(50_000) as Array<{ Event: { System: { EventRecordID?: number } } }>;

  let seq = 0;
  let pass = 0;
  let sent = 0;
  async function worker(w: number, more: () => boolean) {
    while (more()) {
      const from = (seq * batchSize) % records.length;
      if (from + batchSize >= records.length) pass++;
      const n = seq++;
      // A new record id per pass: the event log's identity would otherwise make resends duplicates.
      const events = records.slice(from, from + batchSize).map((r) => ({
        Event: {
          ...r.Event,
          System: { ...r.Event.System, EventRecordID: `${pass}-${n}-${r.Event.System.EventRecordID ?? 0}` },
        },
      }));
      const body = Buffer.from(JSON.stringify({ batch_id: `b-${w}-${n}`, events }));
      const res = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: {
          'content-type': 'application/json',
          ...signedHeaders({
            method: 'POST',
            path: '/api/v1/ingest',
            body,
            secret: device.device_secret,
            deviceId: device.device_id,
          }),
        },
        payload: body,
      });
      if (res.statusCode !== 200) throw new Error(`ingest ${res.statusCode}: ${res.body.slice(0, 200)}`);
      sent += (res.json() as { accepted: number }).accepted;
      sample();
    }
  }
  // Warm-up (not measured): one pass over the records builds every logsource bucket of the engine.
  await worker(0, () => sent < records.length);
  await ctx.pipeline.idle();
  sent = 0;
  const statsBefore = { ...ctx.detection.engine.stats };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, (_, w) => worker(w, () => performance.now() < deadline)),
  );
  await ctx.pipeline.idle();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const s = ctx.detection.engine.stats;
  const detected = s.events - statsBefore.events;
  const busy = (s.busyMs - statsBefore.busyMs) / 1000;
  const evaluating = (s.evaluateMs - statsBefore.evaluateMs) / 1000;
  console.log(`pipeline bench (${ctx.database.dialect}, corpus ${corpusDir()})`);
  console.log(
    `  rules stored      ${imported.created} (${imported.invalid} refused) in ${(importMs / 1000).toFixed(1)} s; engine built in ${(compileMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  events            ${sent} ingested, ${detected} detected in ${elapsed.toFixed(1)} s (batches of ${batchSize}, ${concurrency} concurrent)`,
  );
  console.log(
    `  end to end        ${Math.round(detected / elapsed).toLocaleString('en-US')} events/s (ingest + commit + detection + alerts, one process)`,
  );
  console.log(
    `  detection         ${Math.round(detected / busy).toLocaleString('en-US')} events/s while the detection service was busy (${busy.toFixed(1)} s, alert writes included)`,
  );
  console.log(
    `  evaluation        ${Math.round(detected / evaluating).toLocaleString('en-US')} events/s evaluating (${evaluating.toFixed(1)} s: engine, promotion, IOC lists, suppressions)`,
  );
  console.log(
    `  matches           ${s.matches - statsBefore.matches}; alerts created ${s.alertsCreated - statsBefore.alertsCreated}, updated ${s.alertsUpdated - statsBefore.alertsUpdated}`,
  );
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `  per CPU-second    ${Math.round(detected / cpuSeconds).toLocaleString('en-US')} events/s end to end (${cpuSeconds.toFixed(1)} s CPU: main thread + SQLite writer thread)`,
  );
  console.log(`  peak RSS          ${(peakRss / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
