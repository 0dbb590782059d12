import type { AgentEvent } from '../agent-event.ts';
import type { CollectContext, Collector } from './collector.ts';
import { fileChangeEvent } from './file-change-event.ts';
import { FileWatch } from './file-watch.ts';
import type { UserResolver } from './user-resolver.ts';

/** File integrity on the policy's paths (`fimPaths`): hash and metadata changes. */
export class FileIntegrityCollector implements Collector {
  readonly name = 'file_integrity';
  private readonly watch: FileWatch;

  constructor(
    root: string,
    private readonly users: UserResolver,
  ) {
    this.watch = new FileWatch(root);
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const changes = await this.watch.scan(ctx.policy.fimPaths);
    const events: AgentEvent[] = [];
    for (const change of changes) {
      events.push(await fileChangeEvent(change, 'file_change', ctx.now, this.users, {}, 'low'));
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
