import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import type { CollectContext, Collector } from './collector.ts';
import { fileChangeEvent } from './file-change-event.ts';
import { FileWatch } from './file-watch.ts';
import type { UserResolver } from './user-resolver.ts';

/** Where Linux persistence lives, by kind (MITRE T1053.003, T1543.002, T1546.004, T1098.004). */
export const PERSISTENCE_PATTERNS: { kind: string; pattern: string }[] = [
  { kind: 'cron', pattern: '/etc/crontab' },
  { kind: 'cron', pattern: '/etc/cron.d/*' },
  { kind: 'cron', pattern: '/etc/cron.hourly/*' },
  { kind: 'cron', pattern: '/etc/cron.daily/*' },
  { kind: 'cron', pattern: '/etc/cron.weekly/*' },
  { kind: 'cron', pattern: '/etc/cron.monthly/*' },
  { kind: 'cron', pattern: '/etc/anacrontab' },
  { kind: 'cron', pattern: '/var/spool/cron/crontabs/*' },
  { kind: 'cron', pattern: '/var/spool/cron/*' },
  { kind: 'at', pattern: '/var/spool/cron/atjobs/*' },
  { kind: 'systemd', pattern: '/etc/systemd/system/**/*' },
  { kind: 'systemd', pattern: '/usr/lib/systemd/system/*' },
  { kind: 'systemd', pattern: '/lib/systemd/system/*' },
  { kind: 'systemd', pattern: '/etc/systemd/user/**/*' },
  { kind: 'systemd', pattern: '/root/.config/systemd/user/**/*' },
  { kind: 'systemd', pattern: '/home/*/.config/systemd/user/**/*' },
  { kind: 'init', pattern: '/etc/rc.local' },
  { kind: 'init', pattern: '/etc/init.d/*' },
  { kind: 'shell_profile', pattern: '/etc/profile' },
  { kind: 'shell_profile', pattern: '/etc/profile.d/*' },
  { kind: 'shell_profile', pattern: '/etc/bash.bashrc' },
  { kind: 'shell_profile', pattern: '/etc/bashrc' },
  { kind: 'shell_profile', pattern: '/etc/zsh/*' },
  { kind: 'shell_profile', pattern: '/etc/environment' },
  { kind: 'shell_profile', pattern: '/root/.bashrc' },
  { kind: 'shell_profile', pattern: '/root/.profile' },
  { kind: 'shell_profile', pattern: '/root/.bash_profile' },
  { kind: 'shell_profile', pattern: '/root/.bash_login' },
  { kind: 'shell_profile', pattern: '/root/.zshrc' },
  { kind: 'shell_profile', pattern: '/home/*/.bashrc' },
  { kind: 'shell_profile', pattern: '/home/*/.profile' },
  { kind: 'shell_profile', pattern: '/home/*/.bash_profile' },
  { kind: 'shell_profile', pattern: '/home/*/.bash_login' },
  { kind: 'shell_profile', pattern: '/home/*/.zshrc' },
  { kind: 'preload', pattern: '/etc/ld.so.preload' },
  { kind: 'authorized_keys', pattern: '/root/.ssh/authorized_keys' },
  { kind: 'authorized_keys', pattern: '/root/.ssh/authorized_keys2' },
  { kind: 'authorized_keys', pattern: '/home/*/.ssh/authorized_keys' },
  { kind: 'authorized_keys', pattern: '/home/*/.ssh/authorized_keys2' },
];

/** The persistence kind of a root-relative path, by the first pattern that covers it. */
function kindOf(path: string): string {
  if (path.includes('/.ssh/authorized_keys')) return 'authorized_keys';
  if (path.includes('/cron') || path.includes('/anacrontab')) return 'cron';
  if (path.includes('/systemd/')) return 'systemd';
  if (path.startsWith('/etc/init.d/') || path === '/etc/rc.local') return 'init';
  if (path === '/etc/ld.so.preload') return 'preload';
  if (path.includes('/atjobs/')) return 'at';
  return 'shell_profile';
}

/**
 * Persistence locations: cron files, systemd units, shell profiles, `authorized_keys`.
 * Reports created, modified (hash), deleted and metadata (mode/owner) changes.
 */
export class PersistenceCollector implements Collector {
  readonly name = 'persistence';
  private readonly watch: FileWatch;

  private patterns: string[] | undefined;

  constructor(
    private readonly root: string,
    private readonly users: UserResolver,
    patterns?: string[],
  ) {
    this.watch = new FileWatch(root);
    this.patterns = patterns;
  }

  /**
   * The default patterns, without `/lib/...` when `/lib` is a link to `/usr/lib` (merged /usr,
   * every current distribution): the same unit files would be watched, and hashed, twice.
   */
  private async defaultPatterns(): Promise<string[]> {
    const all = PERSISTENCE_PATTERNS.map((p) => p.pattern);
    const merged = await lstat(join(this.root, 'lib')).then(
      (st) => st.isSymbolicLink(),
      () => false,
    );
    return merged ? all.filter((p) => !p.startsWith('/lib/')) : all;
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    this.patterns ??= await this.defaultPatterns();
    const changes = await this.watch.scan(this.patterns);
    const events: AgentEvent[] = [];
    for (const change of changes) {
      const kind = kindOf(change.path);
      const severity = kind === 'authorized_keys' || kind === 'preload' ? 'medium' : 'low';
      events.push(
        await fileChangeEvent(
          change,
          'persistence',
          ctx.now,
          this.users,
          { PersistenceType: kind },
          severity,
        ),
      );
    }
    return events;
  }

  exportState(): unknown {
    return this.watch.exportState();
  }

  importState(state: unknown): void {
    this.watch.importState(state);
  }
}
