// npm run bench:agent — the endpoint agent's budgets (issue 8 item 4, DESIGN.md §8):
//   1. idle CPU and RSS of the daemon (`harrier-agent daemon`, real /, default intervals)
//      over a window after its first full pass (default 60 s; `--seconds N` or BENCH_SECONDS);
//   2. the cost of one full scan of this machine by every collector: cold (first pass:
//      baselines, hashing, full software inventory) and steady (the pass after);
//   3. a burst: the process scan that finds `--burst N` (default 200) freshly started processes;
//   4. the full inventory snapshot: building it (hardware facts, package list) and its size.
// The daemon ships to an in-process stand-in server (signature-checking) so only the agent is measured.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { AuthLogCollector } from '../packages/agent/src/collectors/auth-log-collector.ts';
import type { Collector } from '../packages/agent/src/collectors/collector.ts';
import { FileHasher } from '../packages/agent/src/collectors/file-hasher.ts';
import { FileIntegrityCollector } from '../packages/agent/src/collectors/file-integrity-collector.ts';
import { NetworkListenCollector } from '../packages/agent/src/collectors/network-collector.ts';
import { OsFactsCollector } from '../packages/agent/src/collectors/os-facts-collector.ts';
import { PersistenceCollector } from '../packages/agent/src/collectors/persistence-collector.ts';
import { ProcessCollector } from '../packages/agent/src/collectors/process-collector.ts';
import { ResourceSampler } from '../packages/agent/src/collectors/resource-usage.ts';
import { SoftwareCollector } from '../packages/agent/src/collectors/software-collector.ts';
import { UserResolver } from '../packages/agent/src/collectors/user-resolver.ts';
import { enroll } from '../packages/agent/src/enroll.ts';
import { hostInventorySnapshot } from '../packages/agent/src/inventory-snapshot.ts';
import { defaultPolicy } from '../packages/agent/src/policy.ts';
import { newFakeStore, startFakeServer } from '../packages/agent/src/test-support/fake-server.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, burst: { type: 'string' } },
  allowPositionals: true,
});
const seconds = Number(values.seconds ?? process.env.BENCH_SECONDS ?? 60);
const burst = Number(values.burst ?? process.env.BENCH_BURST ?? 200);
const CLK_TCK = 100;
const BIN = new URL('../packages/agent/bin/harrier-agent.js', import.meta.url).pathname;
const UNIT = new URL('../packages/agent/deploy/harrier-agent.service', import.meta.url).pathname;
const UNIT_NODE_OPTIONS = /NODE_OPTIONS=([^"\n]*)/.exec(await readFile(UNIT, 'utf8'))?.[1] ?? '';

const rows: [string, string, string][] = [];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
}

async function processCount(): Promise<number> {
  return (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).length;
}

/** Runs each collector once and returns wall ms, CPU ms and events per collector. */
async function scan(
  collectors: Collector[],
): Promise<{ name: string; wall: number; cpu: number; events: number }[]> {
  const out = [];
  for (const c of collectors) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const events = await c.collect({ now: new Date(), policy: defaultPolicy() });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    out.push({ name: c.name, wall, cpu: (cpu.user + cpu.system) / 1000, events: events.length });
  }
  return out;
}

// --- 2. Full scan of this machine -------------------------------------------------------
const users = new UserResolver('/');
const hasher = new FileHasher();
const processCollector = new ProcessCollector('/', hasher, users);
const collectors: Collector[] = [
  processCollector,
  new NetworkListenCollector('/', users),
  new AuthLogCollector('/'),
  new PersistenceCollector('/', users),
  new FileIntegrityCollector('/', users),
  new SoftwareCollector('/'),
  new OsFactsCollector('/'),
];
const procs = await processCount();
const cold = await scan(collectors);
const steady = await scan(collectors);

// --- 4. Inventory snapshot (from the software list the scans read) ------------------------
const snap0 = performance.now();
const software = collectors.find((c): c is SoftwareCollector => c instanceof SoftwareCollector)!;
const { snapshot } = await hostInventorySnapshot('/', software.list());
const snapshotMs = performance.now() - snap0;
const snapshotJson = JSON.stringify(snapshot);
const snapshotGzip = gzipSync(snapshotJson).length;
const sampler = new ResourceSampler('/');
const s0 = performance.now();
await sampler.sample();
const sampleMs = performance.now() - s0;

const sum = (xs: { wall: number; cpu: number }[]) => ({
  wall: xs.reduce((a, x) => a + x.wall, 0),
  cpu: xs.reduce((a, x) => a + x.cpu, 0),
});
const coldSum = sum(cold);
const steadySum = sum(steady);

// --- 3. Burst of new processes ----------------------------------------------------------
// Started by a shell, not by this process: the collector ignores the agent's own children.
const burstShell = spawn('sh', ['-c', `for i in $(seq ${burst}); do sleep 120 & done; wait`], {
  stdio: 'ignore',
  detached: true,
});
await new Promise((r) => setTimeout(r, 500));
const [burstScan] = await scan([processCollector]);
// With the burst still running: a machine with a few hundred processes, cold and steady.
const busyProcs = await processCount();
const busyCollectors = [
  new ProcessCollector('/', new FileHasher(), users),
  new NetworkListenCollector('/', users),
  new AuthLogCollector('/'),
  new PersistenceCollector('/', users),
  new FileIntegrityCollector('/', users),
  new SoftwareCollector('/'),
  new OsFactsCollector('/'),
];
const busyCold = sum(await scan(busyCollectors));
const busySteady = sum(await scan(busyCollectors));
process.kill(-burstShell.pid!, 'SIGKILL');

// --- 1. Idle daemon ---------------------------------------------------------------------
const server = await startFakeServer(newFakeStore());
const stateDir = await mkdtemp(join(tmpdir(), 'harrier-agent-bench-'));
let idle:
  | {
      cpuPct: number;
      rssAvg: number;
      rssPeak: number;
      startupRss: number;
      warmupS: number;
      events: number;
      processStarts: number;
    }
  | undefined;
try {
  await enroll({ serverUrl: server.url, key: server.store.enrollmentKey, stateDir });
  const t0 = Date.now();
  // The heap flags of deploy/harrier-agent.service, so the figures are those of the service.
  const daemon = spawn(process.execPath, [BIN, 'daemon', '--state-dir', stateDir, '--log-level', 'error'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: `${UNIT_NODE_OPTIONS} ${process.env.NODE_OPTIONS ?? ''}`.trim() },
  });
  const pid = daemon.pid!;
  // Warm-up: the first full pass (inventory, baselines) is delivered and a heartbeat went out.
  while (
    server.store.heartbeats.length === 0 ||
    !server.store.events.some((e) => e.type === 'software') ||
    server.store.inventories.length === 0 ||
    Date.now() - t0 < 5000
  ) {
    await new Promise((r) => setTimeout(r, 200));
    if (Date.now() - t0 > 120_000) throw new Error('daemon did not finish its first pass in 120 s');
  }
  const warmupS = (Date.now() - t0) / 1000;
  const startupRss = await rssBytes(pid);
  const events0 = server.store.events.length;
  const ticks0 = await cpuTicks(pid);
  const w0 = Date.now();
  const rss: number[] = [];
  while (Date.now() - w0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(await rssBytes(pid));
  }
  const ticks1 = await cpuTicks(pid);
  const elapsed = (Date.now() - w0) / 1000;
  const windowEvents = server.store.events.slice(events0);
  idle = {
    cpuPct: ((ticks1 - ticks0) / CLK_TCK / elapsed) * 100,
    rssAvg: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssPeak: Math.max(...rss),
    startupRss,
    warmupS,
    events: windowEvents.length,
    processStarts: windowEvents.filter((e) => e.type === 'process_start').length,
  };
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.on('exit', r));
} finally {
  await server.close();
  await rm(stateDir, { recursive: true, force: true });
}

// --- Report -----------------------------------------------------------------------------
rows.push([
  'machine',
  `${procs} processes, ${(await readFile('/proc/cpuinfo', 'utf8')).match(/^processor/gm)?.length ?? '?'} CPUs`,
  '',
]);
for (let i = 0; i < cold.length; i++) {
  const c = cold[i]!;
  const s = steady[i]!;
  rows.push([
    `scan: ${c.name}`,
    `cold ${c.wall.toFixed(1)} ms wall / ${c.cpu.toFixed(1)} ms CPU (${c.events} events)`,
    `steady ${s.wall.toFixed(1)} ms / ${s.cpu.toFixed(1)} ms CPU (${s.events} events)`,
  ]);
}
rows.push([
  'scan: all collectors',
  `cold ${coldSum.wall.toFixed(0)} ms wall / ${coldSum.cpu.toFixed(0)} ms CPU`,
  `steady ${steadySum.wall.toFixed(1)} ms / ${steadySum.cpu.toFixed(1)} ms CPU`,
]);
rows.push([
  `scan: all, ${busyProcs} processes`,
  `cold ${busyCold.wall.toFixed(0)} ms wall / ${busyCold.cpu.toFixed(0)} ms CPU`,
  `steady ${busySteady.wall.toFixed(1)} ms / ${busySteady.cpu.toFixed(1)} ms CPU`,
]);
rows.push(['heartbeat figures', `${sampleMs.toFixed(2)} ms`, '']);
rows.push([
  'inventory snapshot',
  `${snapshotMs.toFixed(1)} ms to build (${snapshot.software.length} packages, hardware facts)`,
  `${(snapshotJson.length / 1024).toFixed(0)} KB JSON, ${(snapshotGzip / 1024).toFixed(0)} KB gzipped`,
]);
rows.push([
  `burst: ${burst} new processes`,
  `${burstScan!.wall.toFixed(0)} ms wall / ${burstScan!.cpu.toFixed(0)} ms CPU`,
  `${burstScan!.events} events (${(burstScan!.wall / Math.max(1, burstScan!.events)).toFixed(2)} ms each)`,
]);
if (idle) {
  rows.push([
    'daemon first pass',
    `${idle.warmupS.toFixed(1)} s to inventory, snapshot and heartbeat`,
    `RSS ${mb(idle.startupRss)}`,
  ]);
  rows.push([
    `daemon idle (${seconds} s, NODE_OPTIONS of the unit)`,
    `CPU ${idle.cpuPct.toFixed(2)} % of one core`,
    `RSS avg ${mb(idle.rssAvg)}, peak ${mb(idle.rssPeak)}`,
  ]);
  // The machine is shared: what the daemon had to report during the "idle" window.
  rows.push([
    'daemon activity in window',
    `${idle.events} events sent`,
    `${idle.processStarts} of them process starts`,
  ]);
}
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
console.log(line(['measure', 'value', '']));
console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
