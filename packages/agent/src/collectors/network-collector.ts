import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import { asRecord, type CollectContext, type Collector, makeEvent } from './collector.ts';
import { findSocketOwners, isListener, readSockets, type SocketEntry } from './proc-net.ts';
import { readImage } from './proc-process.ts';
import type { UserResolver } from './user-resolver.ts';

/**
 * Listening sockets from `/proc/net/{tcp,tcp6,udp,udp6}`. A listener is keyed by protocol,
 * address and port; a new key is an event. The first scan reports every listener once (a
 * short, useful inventory); saved state keeps restarts from repeating it.
 * Fields follow Sysmon's inbound convention: the local side is the destination.
 */
export class NetworkListenCollector implements Collector {
  readonly name = 'network';
  private known = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly users: UserResolver,
  ) {}

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const procDir = join(this.root, 'proc');
    const listeners = (await readSockets(procDir)).filter(isListener);
    const current = new Set<string>();
    const fresh: SocketEntry[] = [];
    for (const s of listeners) {
      const key = `${s.protocol}|${s.localIp}|${s.localPort}`;
      if (current.has(key)) continue; // SO_REUSEPORT: several sockets, one listener
      current.add(key);
      if (!this.known.has(key)) fresh.push(s);
    }
    this.known = current;
    if (fresh.length === 0) return [];

    const owners = await findSocketOwners(procDir, new Set(fresh.map((s) => s.inode)));
    const events: AgentEvent[] = [];
    for (const s of fresh) {
      const pid = owners.get(s.inode);
      const image = pid === undefined ? undefined : await readImage(procDir, pid, this.root);
      events.push(
        makeEvent({
          type: 'network_listen',
          ts: ctx.now,
          logsource: { product: 'linux', category: 'network_connection' },
          title: `New listener ${s.protocol.replace('6', '')} ${s.localIp}:${s.localPort}${image ? ` (${image})` : ''}`,
          fields: {
            Protocol: s.protocol.startsWith('tcp') ? 'tcp' : 'udp',
            DestinationIp: s.localIp,
            DestinationPort: s.localPort,
            DestinationIsIpv6: s.protocol.endsWith('6'),
            Initiated: 'false',
            Image: image,
            ProcessId: pid,
            User: await this.users.name(s.uid),
            SocketState: s.protocol.startsWith('tcp') ? 'LISTEN' : 'BOUND',
          },
        }),
      );
    }
    return events;
  }

  exportState(): unknown {
    return { known: [...this.known] };
  }

  importState(state: unknown): void {
    const known = asRecord(state)['known'];
    this.known = new Set(Array.isArray(known) ? known.filter((k): k is string => typeof k === 'string') : []);
  }
}
