import { execFile } from 'node:child_process';
import type { AgentEvent } from '../agent-event.ts';
import { authLineEvent } from './auth-event.ts';
import { asRecord, type CollectContext, type Collector } from './collector.ts';

/** Runs journalctl with the given arguments and returns its stdout. */
export type JournalReader = (args: string[]) => Promise<string>;

/** The real `journalctl`; at most 20 MB of output per call. */
export const runJournalctl: JournalReader = (args) =>
  new Promise((resolve, reject) => {
    execFile('journalctl', args, { timeout: 30_000, maxBuffer: 20 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });

/** Identifiers whose messages carry login outcomes (OpenSSH ≥ 9.8 logs as sshd-session) or notable lines. */
const IDENTIFIERS = ['sshd', 'sshd-session', 'sudo', 'su', 'pkexec', 'polkitd'];

/** A journal field value: a string, or an array of bytes when it is not valid UTF-8. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) {
    return Buffer.from(value as number[]).toString('utf8');
  }
  return undefined;
}

/**
 * Authentication outcomes from the systemd journal, for hosts without `/var/log/auth.log`
 * (Debian 12 and others without rsyslog). Follows the journal by cursor, saved as state, so
 * a restart continues where it stopped; the first run starts at that moment.
 */
export class JournalAuthCollector implements Collector {
  readonly name = 'auth';
  private cursor: string | undefined;
  private since: number | undefined;

  constructor(private readonly read: JournalReader = runJournalctl) {}

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    this.since ??= Math.floor(ctx.now.getTime() / 1000);
    const args = ['--output=json', '--no-pager', '--quiet'];
    for (const id of IDENTIFIERS) args.push(`--identifier=${id}`);
    if (this.cursor) args.push(`--after-cursor=${this.cursor}`);
    else args.push(`--since=@${this.since}`);
    const out = await this.read(args);
    const events: AgentEvent[] = [];
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const cursor = text(entry['__CURSOR']);
      if (cursor) this.cursor = cursor;
      const message = text(entry['MESSAGE']);
      const program = text(entry['SYSLOG_IDENTIFIER']);
      if (!message || !program) continue;
      const micros = Number(text(entry['__REALTIME_TIMESTAMP']));
      const pid = Number(text(entry['_PID']) ?? text(entry['SYSLOG_PID']));
      const event = authLineEvent(
        {
          ts: Number.isFinite(micros) ? new Date(micros / 1000) : ctx.now,
          host: text(entry['_HOSTNAME']) ?? '',
          program,
          pid: Number.isInteger(pid) ? pid : undefined,
          message,
        },
        ctx,
      );
      if (event) events.push(event);
    }
    return events;
  }

  exportState(): unknown {
    return { cursor: this.cursor, since: this.since };
  }

  importState(state: unknown): void {
    const s = asRecord(state);
    if (typeof s['cursor'] === 'string') this.cursor = s['cursor'];
    if (typeof s['since'] === 'number') this.since = s['since'];
  }
}
