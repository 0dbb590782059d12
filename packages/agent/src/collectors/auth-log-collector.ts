import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import { authLineEvent } from './auth-event.ts';
import { parseSyslogLine } from './auth-log-parser.ts';
import { asRecord, type CollectContext, type Collector } from './collector.ts';

/** Most bytes read per scan, so a huge backlog is worked off in bounded steps. */
const MAX_READ = 8 * 1024 * 1024;

interface Cursor {
  inode: number;
  offset: number;
}

/**
 * Authentication outcomes from `/var/log/auth.log` (sshd accepted/failed/invalid user, sudo
 * success/failure). Tails by byte offset and inode: a rotated file (renamed to `.1`) is read
 * to its end before the new one starts at 0; a truncated file (copytruncate) restarts at 0.
 * Without saved state the tail starts at the end of the file, so history is not replayed.
 */
export class AuthLogCollector implements Collector {
  readonly name = 'auth';
  private cursor: Cursor | undefined;

  constructor(
    private readonly root: string,
    private readonly logPath = '/var/log/auth.log',
    private readonly startAtBeginning = false,
  ) {}

  private get path(): string {
    return join(this.root, this.logPath);
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(this.path);
    } catch {
      return [];
    }
    const lines: string[] = [];
    if (this.cursor === undefined) {
      this.cursor = { inode: st.ino, offset: this.startAtBeginning ? 0 : st.size };
    } else if (this.cursor.inode !== st.ino) {
      // Rotated: finish the old file where logrotate put it, then start the new one.
      const rotated = `${this.path}.1`;
      try {
        const old = await stat(rotated);
        if (old.ino === this.cursor.inode) {
          const r = await readLines(rotated, this.cursor.offset, old.size, true);
          lines.push(...r.lines);
        }
      } catch {
        // Rotated away entirely (compressed or deleted): what was not read is gone.
      }
      this.cursor = { inode: st.ino, offset: 0 };
    } else if (st.size < this.cursor.offset) {
      this.cursor = { inode: st.ino, offset: 0 };
    }
    if (st.size > this.cursor.offset) {
      const r = await readLines(this.path, this.cursor.offset, st.size, false);
      lines.push(...r.lines);
      this.cursor.offset += r.consumed;
    }

    const events: AgentEvent[] = [];
    for (const text of lines) {
      const line = parseSyslogLine(text, ctx.now);
      const event = line ? authLineEvent(line, ctx) : undefined;
      if (event) events.push(event);
    }
    return events;
  }

  exportState(): unknown {
    return this.cursor ? { ...this.cursor } : {};
  }

  importState(state: unknown): void {
    const s = asRecord(state);
    if (typeof s['inode'] === 'number' && typeof s['offset'] === 'number') {
      this.cursor = { inode: s['inode'], offset: s['offset'] };
    }
  }
}

/**
 * Reads complete lines between two byte offsets. A trailing partial line is left for the
 * next scan unless the file is finished (`toEnd`, a rotated file that will not grow).
 */
async function readLines(
  path: string,
  from: number,
  to: number,
  toEnd: boolean,
): Promise<{ lines: string[]; consumed: number }> {
  const length = Math.min(to - from, MAX_READ);
  if (length <= 0) return { lines: [], consumed: 0 };
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, from);
    let end = buf.lastIndexOf(0x0a, bytesRead - 1) + 1;
    if (toEnd && bytesRead === to - from) end = bytesRead;
    // A single line longer than the read cap would stall the tail forever; skip past it.
    if (end === 0 && bytesRead === MAX_READ) end = bytesRead;
    const text = buf.subarray(0, end).toString('utf8');
    const lines = text.split('\n').filter((l) => l.length > 0);
    return { lines, consumed: end };
  } finally {
    await fh.close();
  }
}
