import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import { asRecord, type CollectContext, type Collector, makeEvent } from './collector.ts';
import type { FileHasher } from './file-hasher.ts';
import {
  type ProcStat,
  readBootTime,
  readCmdline,
  readCwd,
  readExe,
  readProcStat,
  readUid,
} from './proc-process.ts';
import type { UserResolver } from './user-resolver.ts';

/** Clock ticks per second; 100 on every mainstream Linux build (`getconf CLK_TCK`). */
const CLK_TCK = 100;

/**
 * Process starts: PIDs that appeared between two scans of `/proc`, identified by pid plus
 * start time so a reused PID still counts as new. The first scan without saved state is a
 * silent baseline; with saved state (a restart) processes started meanwhile are reported.
 * A process that starts and exits between two scans is not seen: that is the price of
 * polling instead of a kernel audit hook.
 */
export class ProcessCollector implements Collector {
  readonly name = 'process';
  private known = new Map<number, number>();
  private initialized = false;
  /** After a restart every saved pid is checked once against its start time. */
  private verifyAll = false;

  constructor(
    private readonly root: string,
    private readonly hasher: FileHasher,
    private readonly users: UserResolver,
  ) {}

  private get procDir(): string {
    return join(this.root, 'proc');
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const names = readdirSync(this.procDir);
    const next = new Map<number, number>();
    const fresh: ProcStat[] = [];
    for (const name of names) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const known = this.known.get(pid);
      if (known !== undefined && !this.verifyAll) {
        next.set(pid, known);
        continue;
      }
      const st = await readProcStat(this.procDir, pid);
      if (!st) continue;
      next.set(pid, st.startTicks);
      if (known === st.startTicks) continue;
      fresh.push(st);
    }
    const baseline = !this.initialized;
    this.known = next;
    this.initialized = true;
    this.verifyAll = false;
    if (baseline || fresh.length === 0) return [];

    // Parents first, so a burst reads in the order it happened.
    fresh.sort((a, b) => a.startTicks - b.startTicks);
    const bootTime = await readBootTime(this.procDir);
    const events: AgentEvent[] = [];
    for (const st of fresh) {
      const event = await this.describe(st, bootTime, ctx);
      if (event) events.push(event);
    }
    return events;
  }

  private async describe(
    st: ProcStat,
    bootTime: number | undefined,
    ctx: CollectContext,
  ): Promise<AgentEvent | undefined> {
    // Kernel threads (children of kthreadd) have no executable and no command line.
    if (st.pid === 2 || st.ppid === 2) return undefined;
    // The agent's own helpers (journalctl, rpm) would otherwise report themselves.
    if (this.root === '/' && st.ppid === process.pid) return undefined;
    const procDir = this.procDir;
    const [exe, cmdline, uid, cwd] = await Promise.all([
      readExe(procDir, st.pid, this.root),
      readCmdline(procDir, st.pid),
      readUid(procDir, st.pid),
      readCwd(procDir, st.pid, this.root),
    ]);
    if (cmdline === undefined && exe === undefined) return undefined; // exited meanwhile
    if (exe === undefined && cmdline === '') return undefined;
    // Without permission to read the exe link (another user's process, agent not root) the
    // first argument is the best available image.
    const image = exe?.path ?? (cmdline?.split(' ')[0] || st.comm);
    const sha256 = await this.hasher.hash(join(procDir, String(st.pid), 'exe'), image);

    const parent = st.ppid > 0 ? await this.parentInfo(st.ppid) : undefined;
    const full = ctx.policy.collectCommandLines;
    const ts =
      bootTime !== undefined
        ? new Date((bootTime + st.startTicks / CLK_TCK) * 1000)
        : new Date(ctx.now.getTime());
    return makeEvent({
      type: 'process_start',
      ts,
      logsource: { product: 'linux', category: 'process_creation' },
      title: `Process started: ${image}`,
      fields: {
        Image: image,
        CommandLine: full ? cmdline : undefined,
        ProcessId: st.pid,
        ParentProcessId: st.ppid,
        ParentImage: parent?.image,
        ParentCommandLine: full ? parent?.cmdline : undefined,
        User: uid === undefined ? undefined : await this.users.name(uid),
        CurrentDirectory: cwd,
        Hashes: sha256 ? `SHA256=${sha256.toUpperCase()}` : undefined,
        ImageDeleted: exe?.deleted ? true : undefined,
        ProcessName: st.comm,
      },
    });
  }

  private async parentInfo(ppid: number): Promise<{ image?: string; cmdline?: string }> {
    const [exe, cmdline] = await Promise.all([
      readExe(this.procDir, ppid, this.root),
      readCmdline(this.procDir, ppid),
    ]);
    return { image: exe?.path ?? cmdline?.split(' ')[0], cmdline };
  }

  exportState(): unknown {
    return { known: Object.fromEntries(this.known) };
  }

  importState(state: unknown): void {
    const known = asRecord(asRecord(state)['known']);
    this.known = new Map();
    for (const [pid, ticks] of Object.entries(known)) {
      if (typeof ticks === 'number') this.known.set(Number(pid), ticks);
    }
    this.initialized = true;
    this.verifyAll = true;
  }

  /** Number of processes currently known (for status and the benchmark). */
  get knownCount(): number {
    return this.known.size;
  }
}
