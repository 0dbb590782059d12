import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { type ShipperItem, type ShipperItemResult, SyslogFramer } from '@harrier/schema';
import type { SyslogConfig } from '../syslog-config.ts';
import type { Authenticator } from './authenticator.ts';
import type { ShipperIngestService, ShipperTarget } from './shipper-ingest-service.ts';

/** What the listener needs from the rest of the server. */
export interface SyslogListenerDeps {
  config: SyslogConfig;
  ingest: ShipperIngestService;
  /** Organization id of a slug, or undefined. */
  orgIdForSlug(slug: string): Promise<string | undefined>;
  authenticator: Pick<Authenticator, 'fromBearer'>;
  log(level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>): void;
}

/** Counters for tests and logs. */
export interface SyslogListenerStats {
  received: number;
  stored: number;
  rejected: number;
  dropped: number;
}

interface Pending {
  text: string;
  sender: string;
}

/** Messages are written in batches of this many, or after FLUSH_MS. */
const BATCH_MAX = 1000;
const FLUSH_MS = 100;
/** Beyond this many waiting messages new ones are dropped (and counted) instead of buffered. */
const PENDING_MAX = 100_000;
/** TCP connections are paused while this many messages wait. */
const PAUSE_AT = 20_000;
/** How long a structured-data token's organization is remembered. */
const TOKEN_CACHE_MS = 60_000;

/** The structured-data element that carries a token: `[harrier token="hat_…"]` (any `harrier@PEN`). */
function sdToken(sd: unknown): { id: string; token: string } | undefined {
  if (typeof sd !== 'object' || sd === null) return undefined;
  for (const [id, params] of Object.entries(sd as Record<string, Record<string, string>>)) {
    if ((id === 'harrier' || id.startsWith('harrier@')) && typeof params?.['token'] === 'string') {
      return { id, token: params['token'] };
    }
  }
  return undefined;
}

/**
 * Syslog over TCP (octet counting or newline framing, RFC 6587) and UDP (one message per
 * datagram). Messages are batched and stored through the shipper ingest; the organization is
 * the one a `[harrier token="…"]` element's API token belongs to, else the first
 * `HARRIER_SYSLOG_ORG_MAP` rule matching the HOSTNAME or the sender's address, else the default
 * organization. Syslog has no acknowledgement: a message is stored unless the store refuses
 * the batch, which is logged and counted as dropped.
 */
export class SyslogListener {
  readonly stats: SyslogListenerStats = { received: 0, stored: 0, rejected: 0, dropped: 0 };
  private tcp: Server | undefined;
  private udp: UdpSocket | undefined;
  private readonly sockets = new Set<Socket>();
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private paused = false;
  private closed = false;
  private readonly slugs = new Map<string, string | undefined>();
  private readonly tokens = new Map<string, { orgId: string | undefined; until: number }>();

  constructor(private readonly deps: SyslogListenerDeps) {}

  /** Starts the configured listeners; resolves when they are bound. */
  async start(): Promise<void> {
    const { host, tcpPort, udpPort } = this.deps.config;
    if (tcpPort !== undefined) {
      const server = createServer((socket) => this.onConnection(socket));
      this.tcp = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(tcpPort, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
    if (udpPort !== undefined) {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      this.udp = socket;
      socket.on('message', (msg, rinfo) => this.accept(msg.toString('utf8'), rinfo.address));
      socket.on('error', (error) => this.deps.log('error', 'syslog udp error', { err: String(error) }));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(udpPort, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
  }

  /** Bound ports (the configured ones, or what port 0 became). */
  ports(): { tcp: number | undefined; udp: number | undefined } {
    const t = this.tcp?.address();
    return {
      tcp: typeof t === 'object' && t ? t.port : undefined,
      udp: this.udp ? this.udp.address().port : undefined,
    };
  }

  /** Stops accepting, stores what was received, and resolves when it is committed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const tcp = this.tcp;
    for (const s of this.sockets) s.end();
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (this.udp) await new Promise<void>((resolve) => this.udp!.close(() => resolve()));
    if (this.timer) clearTimeout(this.timer);
    while (this.pending.length > 0 || this.flushing) await this.flush();
  }

  /** Resolves when everything received so far has been stored (tests). */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.flushing) await this.flush();
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    const framer = new SyslogFramer(this.deps.config.maxMessageBytes);
    const sender = socket.remoteAddress ?? 'unknown';
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const text of framer.push(chunk)) this.accept(text, sender);
      } catch (error) {
        // A corrupt stream cannot be resynchronised: drop the connection, the sender reconnects.
        this.stats.rejected++;
        this.deps.log('warn', 'syslog tcp stream rejected', { sender, err: (error as Error).message });
        socket.destroy();
      }
    });
    socket.on('end', () => {
      for (const text of framer.end()) this.accept(text, sender);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    if (this.paused) socket.pause();
  }

  private accept(text: string, sender: string): void {
    this.stats.received++;
    if (Buffer.byteLength(text) > this.deps.config.maxMessageBytes) {
      this.stats.rejected++;
      return;
    }
    if (this.pending.length >= PENDING_MAX) {
      this.stats.dropped++;
      return;
    }
    this.pending.push({ text, sender });
    if (this.pending.length >= PAUSE_AT && !this.paused) {
      this.paused = true;
      for (const s of this.sockets) s.pause();
    }
    if (this.pending.length >= BATCH_MAX) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Stores one batch at a time; batches queue behind the one being written. */
  private flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0) return Promise.resolve();
    const batch = this.pending.splice(0, Math.min(BATCH_MAX, this.deps.ingest.maxBatchEvents));
    this.flushing = this.store(batch)
      .catch((error) => {
        this.stats.dropped += batch.length;
        this.deps.log('error', 'syslog batch not stored', { messages: batch.length, err: String(error) });
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.paused && this.pending.length < PAUSE_AT / 2) {
          this.paused = false;
          for (const s of this.sockets) s.resume();
        }
        if (this.pending.length > 0) {
          if (this.pending.length >= BATCH_MAX || this.closed) void this.flush();
          else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
        }
      });
    return this.flushing;
  }

  private async store(batch: Pending[]): Promise<void> {
    const now = Date.now();
    const items: ShipperItem[] = batch.map((p) => ({ kind: 'line', text: p.text }));
    const results = this.deps.ingest.normalize(items, now);
    const tokenOrgs = await this.tokenOrgs(results);
    const defaultOrg = this.deps.config.defaultOrg
      ? await this.orgId(this.deps.config.defaultOrg)
      : undefined;
    const ruleOrgs = new Map<string, string | undefined>();
    for (const rule of this.deps.config.orgMap) ruleOrgs.set(rule.orgSlug, await this.orgId(rule.orgSlug));
    const router = (host: string | undefined, item: number): ShipperTarget | undefined => {
      const sender = batch[item]!.sender;
      const name = host ?? sender;
      const byToken = tokenOrgs[item];
      if (byToken !== undefined) return byToken === null ? undefined : { orgId: byToken, host: name };
      for (const rule of this.deps.config.orgMap) {
        if (rule.match.test(name) || rule.match.test(sender)) {
          const orgId = ruleOrgs.get(rule.orgSlug);
          return orgId ? { orgId, host: name } : undefined;
        }
      }
      return defaultOrg ? { orgId: defaultOrg, host: name } : undefined;
    };
    const result = await this.deps.ingest.store(results, router, now);
    this.stats.stored += result.accepted;
    this.stats.rejected += result.items.filter((i) => !i.ok).length;
  }

  /**
   * The organization of each item's `[harrier token=…]`, null for a token that is not valid
   * (its messages are dropped), undefined for items without one. The token is removed from
   * the stored structured data: it is a credential.
   */
  private async tokenOrgs(results: ShipperItemResult[]): Promise<Array<string | null | undefined>> {
    const out: Array<string | null | undefined> = [];
    for (const r of results) {
      let org: string | null | undefined;
      if (r.ok) {
        for (const e of r.events) {
          const found = sdToken(e.event.fields['StructuredData']);
          if (!found) continue;
          const sd = e.event.fields['StructuredData'] as Record<string, Record<string, string>>;
          const { token: _secret, ...rest } = sd[found.id]!;
          sd[found.id] = rest;
          // The raw line kept for display carries it too.
          if (typeof e.event.raw === 'string')
            e.event.raw = e.event.raw.split(found.token).join('[redacted]');
          org = (await this.tokenOrg(found.token)) ?? null;
        }
      }
      out.push(org);
    }
    return out;
  }

  private async tokenOrg(token: string): Promise<string | undefined> {
    const now = Date.now();
    const hit = this.tokens.get(token);
    if (hit && hit.until > now) return hit.orgId;
    let orgId: string | undefined;
    try {
      const principal = await this.deps.authenticator.fromBearer(token, 'bearer');
      orgId = principal.permissions.includes('ingest:write') ? principal.orgId : undefined;
    } catch {
      orgId = undefined;
    }
    if (this.tokens.size > 1000) this.tokens.clear();
    this.tokens.set(token, { orgId, until: now + TOKEN_CACHE_MS });
    return orgId;
  }

  private async orgId(slug: string): Promise<string | undefined> {
    if (this.slugs.has(slug)) return this.slugs.get(slug);
    const id = await this.deps.orgIdForSlug(slug);
    // Only found ids are remembered: an organization created later is picked up.
    if (id) this.slugs.set(slug, id);
    return id;
  }
}
