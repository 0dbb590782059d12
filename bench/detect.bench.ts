// npm run bench:detect — every corpus rule loaded, every corpus event normalized, all of them run
// through the detection engine on one core repeatedly for BENCH_SECONDS (default 5).
// Prints events/s, rules loaded/unsupported (by reason), matches, peak RSS.
// Corpus: $HARRIER_CORPUS_DIR or ../shared/corpus relative to the repo root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalizedEvent } from '@harrier/schema';
import {
  corpusDir,
  corpusPresent,
  corpusRuleSources,
  listYamlFiles,
} from '../packages/detect/src/corpus-fixtures.ts';
import { DetectionEngine, normalizeRecord, parseEventText } from '../packages/detect/src/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const dir = corpusDir();
if (!corpusPresent(dir)) {
  console.error(`corpus not found at ${dir}; set HARRIER_CORPUS_DIR`);
  process.exit(2);
}

let peakRss = process.memoryUsage().rss;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const t0 = performance.now();
const sources = corpusRuleSources(dir);
const engine = DetectionEngine.fromSources(sources);
const compileMs = performance.now() - t0;
sampleRss();

// Every event file of the manifest (JSONL variant), normalized once up front.
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  entries: Array<{ file: string; jsonl?: string }>;
};
const events: NormalizedEvent[] = [];
for (const entry of manifest.entries) {
  for (const record of parseEventText(readFileSync(join(dir, entry.jsonl ?? entry.file), 'utf8'))) {
    const e = normalizeRecord(record);
    if (e !== undefined) events.push(e);
  }
}
sampleRss();

// Warm-up pass (fills the per-logsource bucket cache and lets V8 optimise), counted separately.
let matchesPerPass = 0;
for (const e of events) matchesPerPass += engine.match(e).length;

let processed = 0;
let matches = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const deadline = start + seconds * 1000;
// Fastest single pass: on a shared machine it estimates the uncontended rate.
let bestPassMs = Number.POSITIVE_INFINITY;
let bestPassCpuUs = Number.POSITIVE_INFINITY;
while (performance.now() < deadline) {
  const passStart = performance.now();
  const passCpu = process.cpuUsage();
  for (let i = 0; i < events.length; i++) matches += engine.match(events[i]!).length;
  bestPassMs = Math.min(bestPassMs, performance.now() - passStart);
  const used = process.cpuUsage(passCpu);
  bestPassCpuUs = Math.min(bestPassCpuUs, used.user + used.system);
  processed += events.length;
  sampleRss();
}
const elapsed = (performance.now() - start) / 1000;
// CPU time of this process: on a shared machine wall time also counts other processes' turns.
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

const reasons = new Map<string, number>();
for (const e of engine.errors) reasons.set(e.code, (reasons.get(e.code) ?? 0) + 1);

console.log(`detect bench (${dir})`);
console.log(`  rule files        ${listYamlFiles(join(dir, 'rules')).length}`);
console.log(
  `  rules loaded      ${engine.rules.length} (+${engine.correlations.length} correlation) in ${compileMs.toFixed(0)} ms`,
);
console.log(
  `  rules unsupported ${engine.errors.length}${[...reasons].map(([k, v]) => `\n    ${k}: ${v}`).join('')}`,
);
console.log(
  `  events            ${events.length} per pass, ${processed} processed in ${elapsed.toFixed(2)} s`,
);
console.log(`  matches           ${matchesPerPass} per pass, ${matches} total`);
console.log(
  `  throughput        ${Math.round(processed / elapsed).toLocaleString('en-US')} events/s wall clock (one core)`,
);
console.log(
  `                    ${Math.round(processed / cpuSeconds).toLocaleString('en-US')} events/s per CPU-second (${cpuSeconds.toFixed(2)} s CPU)`,
);
console.log(
  `                    ${Math.round(events.length / (bestPassMs / 1000)).toLocaleString('en-US')} events/s in the fastest pass (wall), ${Math.round(events.length / (bestPassCpuUs / 1e6)).toLocaleString('en-US')} by CPU time`,
);
console.log(`  peak RSS          ${(peakRss / 1024 / 1024).toFixed(1)} MiB`);
