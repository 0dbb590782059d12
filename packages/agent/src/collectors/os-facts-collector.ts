import { createHash } from 'node:crypto';
import type { AgentEvent } from '../agent-event.ts';
import { asRecord, type CollectContext, type Collector, makeEvent } from './collector.ts';
import { readHostFacts } from './host-facts.ts';

/** Facts are re-sent at least this often even when unchanged, so the server's view stays fresh. */
const RESEND_MS = 24 * 3600 * 1000;

/** OS and hardware facts: an `os_facts` event at first run, on change, and daily. */
export class OsFactsCollector implements Collector {
  readonly name = 'os_facts';
  private digest = '';
  private sentAt = 0;

  constructor(private readonly root: string) {}

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const f = await readHostFacts(this.root);
    const digest = createHash('sha256').update(JSON.stringify(f)).digest('hex');
    if (digest === this.digest && ctx.now.getTime() - this.sentAt < RESEND_MS) return [];
    this.digest = digest;
    this.sentAt = ctx.now.getTime();
    return [
      makeEvent({
        type: 'os_facts',
        ts: ctx.now,
        logsource: { product: 'linux', category: 'host_inventory' },
        title: `Host facts: ${f.hostname} ${f.osPrettyName}`,
        fields: {
          Computer: f.hostname,
          OsName: f.os.name,
          OsVersion: f.os.version,
          OsPrettyName: f.osPrettyName,
          OsId: f.osId,
          Platform: f.os.platform,
          KernelVersion: f.kernel,
          Architecture: f.arch,
          CpuModel: f.cpuModel,
          CpuCount: f.cpuCount,
          MemTotalBytes: f.memTotalBytes,
        },
      }),
    ];
  }

  exportState(): unknown {
    return { digest: this.digest, sentAt: this.sentAt };
  }

  importState(state: unknown): void {
    const s = asRecord(state);
    if (typeof s['digest'] === 'string') this.digest = s['digest'];
    if (typeof s['sentAt'] === 'number') this.sentAt = s['sentAt'];
  }
}
