import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { kib } from './host-facts.ts';
import { parseColonLines, readText } from './read-file.ts';

/** Resource figures sent with each heartbeat. */
export interface ResourceFigures {
  uptime_s: number;
  cpu_pct: number;
  mem_used_bytes: number;
  mem_total_bytes: number;
  disk_used_bytes: number;
  disk_total_bytes: number;
}

/** Parses the aggregate `cpu` line of `/proc/stat` into busy and total jiffies. */
export function parseCpuLine(text: string): { busy: number; total: number } | undefined {
  const m = /^cpu\s+(.+)$/m.exec(text);
  if (!m) return undefined;
  const v = m[1]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already inside user).
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { busy: total - idle, total };
}

/**
 * CPU % as the busy share of jiffies since the previous sample (the first sample compares
 * with boot), memory from MemTotal − MemAvailable, disk from statfs of the root filesystem.
 */
export class ResourceSampler {
  private last: { busy: number; total: number } | undefined;

  constructor(
    private readonly root: string,
    private readonly diskPath = '/',
  ) {}

  async sample(): Promise<ResourceFigures> {
    const procDir = join(this.root, 'proc');
    const cpu = parseCpuLine((await readText(join(procDir, 'stat'))) ?? '');
    let cpuPct = 0;
    if (cpu) {
      const prev = this.last ?? { busy: 0, total: 0 };
      const dTotal = cpu.total - prev.total;
      cpuPct = dTotal > 0 ? Math.round(((cpu.busy - prev.busy) / dTotal) * 10000) / 100 : 0;
      this.last = cpu;
    }
    const mem = parseColonLines((await readText(join(procDir, 'meminfo'))) ?? '');
    const memTotal = kib(mem.get('MemTotal'));
    const memAvail = mem.has('MemAvailable') ? kib(mem.get('MemAvailable')) : kib(mem.get('MemFree'));
    const uptime = Number.parseFloat((await readText(join(procDir, 'uptime'))) ?? '0');
    let diskTotal = 0;
    let diskUsed = 0;
    try {
      const fs = await statfs(this.root === '/' ? this.diskPath : this.root);
      diskTotal = fs.blocks * fs.bsize;
      diskUsed = (fs.blocks - fs.bfree) * fs.bsize;
    } catch {
      // statfs unsupported: report zeros rather than fail the heartbeat.
    }
    return {
      uptime_s: Number.isFinite(uptime) ? Math.floor(uptime) : 0,
      cpu_pct: Math.max(0, Math.min(100, cpuPct)),
      mem_used_bytes: Math.max(0, memTotal - memAvail),
      mem_total_bytes: memTotal,
      disk_used_bytes: diskUsed,
      disk_total_bytes: diskTotal,
    };
  }
}
