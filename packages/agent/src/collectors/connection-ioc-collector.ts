import { isIP } from 'node:net';
import { join } from 'node:path';
import type { IocHit, IocMatcher } from '@harrier/schema';
import type { AgentEvent } from '../agent-event.ts';
import { HitLimiter } from '../intel/hit-limiter.ts';
import { asRecord, type CollectContext, type Collector, makeEvent } from './collector.ts';
import { findSocketOwners, isListener, readSockets, type SocketEntry } from './proc-net.ts';
import { readImage } from './proc-process.ts';
import type { UserResolver } from './user-resolver.ts';

const SEVERITIES = new Set(['informational', 'low', 'medium', 'high', 'critical']);

/** What the agent observed that an indicator may name. */
export interface Observation {
  /** Remote address of a connection (IPv4-mapped IPv6 is matched as IPv4). */
  ip?: string;
  port?: number;
  /** A DNS query name or a host name. */
  domain?: string;
  url?: string;
}

/** URLs written out in a command line (`curl https://…`, `wget http://…`), at most 16. */
export function urlsIn(commandLine: string): string[] {
  const out: string[] = [];
  for (const m of commandLine.matchAll(/\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s'"<>`|;]+/gi)) {
    out.push(m[0]);
    if (out.length === 16) break;
  }
  return out;
}

/** A URL and its host, which is an address observation when it is one. */
function urlObservation(url: string): Observation & { host?: string } {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return {};
  }
  return isIP(host) ? { url, ip: host } : { url, host };
}

/** The hits of one observation (domains cover their subdomains; CIDR ranges their addresses). */
export function matchObservation(matcher: IocMatcher, o: Observation): IocHit[] {
  const fields: Record<string, string> = {};
  if (o.ip !== undefined) fields['DestinationIp'] = o.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (o.domain !== undefined) fields['QueryName'] = o.domain;
  if (o.url !== undefined) fields['url'] = o.url;
  return matcher.match(fields);
}

/** The `ioc_hit` event of one hit (seed 004: category `threat-intel`, the indicator's severity). */
export function iocHitEvent(
  hit: IocHit,
  now: Date,
  context: Record<string, string | number | boolean | undefined>,
): AgentEvent {
  const i = hit.indicator;
  const severity = SEVERITIES.has(i.severity) ? (i.severity as AgentEvent['severity']) : 'high';
  return makeEvent({
    type: 'ioc_hit',
    ts: now,
    logsource: { product: 'linux', category: 'threat-intel' },
    severity,
    title: `Threat-intel indicator ${i.value} seen: ${hit.observed}`,
    fields: {
      ...context,
      IocId: i.id,
      IocType: i.type,
      IocValue: i.value,
      IocSeverity: i.severity,
      IocField: hit.field,
      IocObserved: hit.observed,
    },
  });
}

/**
 * Connections (any socket with a peer) from `/proc/net/{tcp,tcp6,udp,udp6}` whose remote
 * address an active network indicator names. Each (indicator, remote address) is reported at
 * most once an hour; the scan costs nothing while there are no indicators. Connections that
 * open and close between two scans are not seen (the server still matches network sensor
 * records and events at ingest).
 */
export class ConnectionIocCollector implements Collector {
  readonly name = 'ioc';
  readonly limiter: HitLimiter;

  constructor(
    private readonly root: string,
    private readonly users: UserResolver,
    private readonly matcher: (now: number) => IocMatcher,
    limiter?: HitLimiter,
  ) {
    this.limiter = limiter ?? new HitLimiter();
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const now = ctx.now.getTime();
    const matcher = this.matcher(now);
    if (matcher.size === 0) return [];
    const procDir = join(this.root, 'proc');
    const found: { socket: SocketEntry; hit: IocHit }[] = [];
    for (const s of await readSockets(procDir)) {
      if (isListener(s) || s.remotePort === 0) continue;
      for (const hit of matchObservation(matcher, { ip: s.remoteIp })) {
        if (this.limiter.allow(`${hit.indicator.id}|${hit.observed}`, now)) found.push({ socket: s, hit });
      }
    }
    if (found.length === 0) return [];
    const owners = await findSocketOwners(procDir, new Set(found.map((f) => f.socket.inode)));
    const events: AgentEvent[] = [];
    for (const { socket: s, hit } of found) {
      const pid = owners.get(s.inode);
      events.push(
        iocHitEvent(hit, ctx.now, {
          Protocol: s.protocol.startsWith('tcp') ? 'tcp' : 'udp',
          SourceIp: s.localIp,
          SourcePort: s.localPort,
          DestinationIp: hit.observed,
          DestinationPort: s.remotePort,
          DestinationIsIpv6: hit.observed.includes(':'),
          Image: pid === undefined ? undefined : await readImage(procDir, pid, this.root),
          ProcessId: pid,
          User: await this.users.name(s.uid),
        }),
      );
    }
    return events;
  }

  /**
   * `ioc_hit` events for the URLs (and their hosts) in the command lines of new processes:
   * the agent sees no DNS, but it sees `curl http://…` before the connection is made.
   */
  fromProcessEvents(events: readonly AgentEvent[], now: Date): AgentEvent[] {
    const matcher = this.matcher(now.getTime());
    if (matcher.size === 0) return [];
    const out: AgentEvent[] = [];
    for (const e of events) {
      const cmd = e.type === 'process_start' ? e.fields['CommandLine'] : undefined;
      if (typeof cmd !== 'string' || !cmd.includes('://')) continue;
      for (const url of urlsIn(cmd)) {
        const o = urlObservation(url);
        for (const hit of matchObservation(matcher, o)) {
          if (!this.limiter.allow(`${hit.indicator.id}|${hit.observed}`, now.getTime())) continue;
          const f = e.fields;
          out.push(
            iocHitEvent(hit, now, {
              Url: url,
              DestinationHostname: o.host,
              DestinationIp: o.ip,
              Image: str(f['Image']),
              ProcessId: typeof f['ProcessId'] === 'number' ? f['ProcessId'] : undefined,
              CommandLine: cmd,
              ParentImage: str(f['ParentImage']),
              User: str(f['User']),
            }),
          );
        }
      }
    }
    return out;
  }

  exportState(): unknown {
    return { reported: this.limiter.exportState() };
  }

  importState(state: unknown): void {
    this.limiter.importState(asRecord(state)['reported']);
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
