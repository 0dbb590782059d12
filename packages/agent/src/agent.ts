import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionHooks, executeAction } from './action-executor.ts';
import type { AgentEvent } from './agent-event.ts';
import type { EnrollmentRecord } from './agent-state.ts';
import { readJsonFile, writeFileAtomic } from './atomic-file.ts';
import { AuthLogCollector } from './collectors/auth-log-collector.ts';
import type { Collector } from './collectors/collector.ts';
import { ConnectionIocCollector } from './collectors/connection-ioc-collector.ts';
import { FileHasher } from './collectors/file-hasher.ts';
import { FileIntegrityCollector } from './collectors/file-integrity-collector.ts';
import { type HostFacts, readHostFacts } from './collectors/host-facts.ts';
import { JournalAuthCollector } from './collectors/journal-auth-collector.ts';
import { NetworkListenCollector } from './collectors/network-collector.ts';
import { OsFactsCollector } from './collectors/os-facts-collector.ts';
import { PersistenceCollector } from './collectors/persistence-collector.ts';
import { ProcessCollector } from './collectors/process-collector.ts';
import { ResourceSampler } from './collectors/resource-usage.ts';
import { SoftwareCollector } from './collectors/software-collector.ts';
import { UserResolver } from './collectors/user-resolver.ts';
import { Backoff } from './delivery/backoff.ts';
import { CircuitBreaker } from './delivery/circuit-breaker.ts';
import { type HeartbeatResult, sendHeartbeat } from './delivery/heartbeat.ts';
import { type DeliveryResult, IngestSender } from './delivery/ingest-sender.ts';
import { InventoryReporter, type InventoryResult } from './delivery/inventory-reporter.ts';
import { IocPuller, type IocPullResult } from './delivery/ioc-puller.ts';
import {
  type ActionSource,
  type ConfigSource,
  HttpActionSource,
  HttpConfigSource,
} from './delivery/management.ts';
import { SignedClient } from './delivery/signed-client.ts';
import { Spool } from './delivery/spool.ts';
import { hostInventorySnapshot } from './inventory-snapshot.ts';
import type { Logger } from './logger.ts';
import { createLogger } from './logger.ts';
import { Mutex } from './mutex.ts';
import { type AgentPolicy, defaultPolicy, mergePolicy } from './policy.ts';
import { acquireLock } from './process-lock.ts';
import { AGENT_VERSION } from './version.ts';

/**
 * auth.log when the host has one (rsyslog); otherwise the systemd journal when journalctl is
 * there (Debian 12 without rsyslog); otherwise auth.log anyway, which starts when it appears.
 */
function authCollector(root: string, authLogPath = '/var/log/auth.log'): Collector {
  if (existsSync(join(root, authLogPath))) return new AuthLogCollector(root, authLogPath);
  const journalctl = (process.env['PATH'] ?? '/usr/bin:/bin')
    .split(':')
    .some((dir) => dir && existsSync(join(dir, 'journalctl')));
  if (root === '/' && journalctl) return new JournalAuthCollector();
  return new AuthLogCollector(root, authLogPath);
}

/** Collector groups, each on its own interval. */
export const COLLECTOR_GROUPS = {
  process: ['process'],
  fast: ['network', 'auth', 'ioc'],
  files: ['persistence', 'file_integrity'],
  inventory: ['software', 'os_facts'],
} as const;

export interface AgentOptions {
  stateDir: string;
  enrollment: EnrollmentRecord;
  /** Filesystem root the collectors read (`/`; a fixture tree in tests). */
  root?: string;
  /** Path of the auth log below root. */
  authLogPath?: string;
  log?: Logger;
  /** Local policy overrides applied on top of the defaults and below the server's. */
  policy?: Partial<AgentPolicy>;
  configSource?: ConfigSource;
  actionSource?: ActionSource;
  collectors?: Collector[];
  caFile?: string;
  /** Sender tuning (tests use short waits). */
  breaker?: CircuitBreaker;
  backoff?: Backoff;
  /** Inventory snapshot retry backoff and change debounce (tests use short ones). */
  inventoryBackoff?: Backoff;
  inventoryDebounceMs?: number;
  /** Indicator pull retry backoff (tests use a short one). */
  iocBackoff?: Backoff;
  /** Skip the process lock (only for in-process tests that open one agent twice). */
  noLock?: boolean;
}

/** Figures the daemon writes to `status.json` for `harrier-agent status`. */
export interface AgentStatus {
  pid: number;
  started_at: string;
  updated_at: string;
  device_id: string;
  server_url: string;
  collected: Record<string, number>;
  last_heartbeat_at: string | null;
  last_heartbeat_ok: boolean | null;
  delivery: IngestSender['stats'] & { breaker: string };
  inventory: InventoryReporter['stats'];
  iocs: IocPuller['stats'];
  policy_etag: string | null;
}

/**
 * The agent: collectors feed the durable spool; the sender drains it to the server;
 * heartbeats, configuration and actions run beside. `runOnce` does one pass of everything;
 * `runDaemon` keeps doing it on the policy's intervals until its signal aborts.
 */
export class Agent {
  readonly log: Logger;
  readonly root: string;
  readonly client: SignedClient;
  readonly spool: Spool;
  readonly sender: IngestSender;
  readonly collectors: Collector[];
  readonly inventory: InventoryReporter;
  readonly iocs: IocPuller;
  policy: AgentPolicy;
  private policyEtag: string | undefined;
  private readonly localPolicy: Partial<AgentPolicy>;
  private readonly configSource: ConfigSource;
  private readonly actionSource: ActionSource;
  private readonly sampler: ResourceSampler;
  private readonly collectMutex = new Mutex();
  private facts: HostFacts | undefined;
  private factsAt = 0;
  private readonly collected: Record<string, number> = {};
  private lastHeartbeat: { at: string; ok: boolean } | undefined;
  private readonly startedAt = new Date().toISOString();
  /** Action ids whose result is still to be reported (executed, report failed). */
  private readonly unreported = new Map<string, Awaited<ReturnType<typeof executeAction>>>();
  private readonly executed = new Set<string>();
  private configUnsupportedUntil = 0;
  /** Last persisted state text per collector, to skip unchanged writes. */
  private readonly savedState = new Map<string, string>();
  private actionsUnsupportedUntil = 0;
  /** The software collector's revision the inventory reporter has been told about. */
  private softwareRevision = 0;

  private constructor(
    readonly opts: AgentOptions,
    spool: Spool,
    private readonly releaseLock: () => Promise<void>,
  ) {
    this.log = opts.log ?? createLogger('info');
    this.root = opts.root ?? '/';
    this.localPolicy = opts.policy ?? {};
    this.policy = { ...defaultPolicy(), ...this.localPolicy };
    this.spool = spool;
    this.client = new SignedClient(opts.enrollment.server_url, opts.enrollment, {
      caFile: opts.caFile,
      userAgent: `harrier-agent/${AGENT_VERSION}`,
    });
    this.sender = new IngestSender(this.client, spool, {
      batchMaxEvents: this.policy.batchMaxEvents,
      breaker: opts.breaker ?? new CircuitBreaker(5, 60_000),
      backoff: opts.backoff ?? new Backoff(1000, 5 * 60_000),
      log: this.log,
    });
    this.inventory = new InventoryReporter(this.client, {
      intervalMs: () => this.policy.intervals.inventoryS * 1000,
      debounceMs: opts.inventoryDebounceMs,
      backoff: opts.inventoryBackoff,
      log: this.log,
    });
    this.iocs = new IocPuller(this.client, {
      intervalMs: () => this.policy.intervals.iocsS * 1000,
      statePath: join(opts.stateDir, 'iocs.json'),
      backoff: opts.iocBackoff,
      log: this.log,
    });
    this.configSource = opts.configSource ?? new HttpConfigSource(this.client);
    this.actionSource = opts.actionSource ?? new HttpActionSource(this.client);
    this.sampler = new ResourceSampler(this.root);
    const hasher = new FileHasher();
    const users = new UserResolver(this.root);
    this.collectors = opts.collectors ?? [
      new ProcessCollector(this.root, hasher, users),
      new NetworkListenCollector(this.root, users),
      new ConnectionIocCollector(this.root, users, (now) => this.iocs.matcher(now)),
      authCollector(this.root, opts.authLogPath),
      new PersistenceCollector(this.root, users),
      new FileIntegrityCollector(this.root, users),
      new SoftwareCollector(this.root),
      new OsFactsCollector(this.root),
    ];
  }

  /** Opens the agent's state (lock, spool, saved collector baselines and policy). */
  static async open(opts: AgentOptions): Promise<Agent> {
    const release = opts.noLock ? async () => {} : await acquireLock(opts.stateDir);
    try {
      const cached = (await readJsonFile(join(opts.stateDir, 'policy.json'))) as
        | { etag?: string; document?: unknown }
        | undefined;
      const base = { ...defaultPolicy(), ...opts.policy };
      const maxBytes = cached?.document
        ? mergePolicy(base, cached.document).spoolMaxBytes
        : base.spoolMaxBytes;
      const spool = await Spool.open(join(opts.stateDir, 'spool'), { maxBytes });
      const agent = new Agent(opts, spool, release);
      if (cached?.document !== undefined) {
        agent.policy = mergePolicy(base, cached.document);
        agent.policyEtag = cached.etag;
        agent.sender.setBatchMaxEvents(agent.policy.batchMaxEvents);
      }
      await agent.loadCollectorState();
      await agent.iocs.load();
      return agent;
    } catch (err) {
      await release();
      throw err;
    }
  }

  private stateFile(name: string): string {
    return join(this.opts.stateDir, 'collectors', `${name}.json`);
  }

  private async loadCollectorState(): Promise<void> {
    for (const c of this.collectors) {
      const saved = await readJsonFile(this.stateFile(c.name));
      if (saved === undefined) continue;
      c.importState(saved);
      this.savedState.set(c.name, JSON.stringify(saved));
    }
  }

  /**
   * Persists the baselines of the given collectors (all by default) whose state changed since
   * the last save, one file each, so a process scan does not rewrite the software inventory.
   * Called after the events a baseline implies are in the spool.
   */
  async saveCollectorState(names?: readonly string[]): Promise<void> {
    for (const c of this.collectors) {
      if (names && !names.includes(c.name)) continue;
      const text = JSON.stringify(c.exportState());
      if (this.savedState.get(c.name) === text) continue;
      await writeFileAtomic(this.stateFile(c.name), text);
      this.savedState.set(c.name, text);
    }
  }

  private enabled(name: string): boolean {
    const c = this.policy.collectors;
    switch (name) {
      case 'process':
        return c.process;
      case 'network':
      case 'ioc':
        return c.network;
      case 'auth':
        return c.auth;
      case 'persistence':
        return c.persistence;
      case 'file_integrity':
        return c.fileIntegrity;
      case 'software':
        return c.software;
      case 'os_facts':
        return c.osFacts;
      default:
        return true;
    }
  }

  /**
   * Runs the named collectors (all when omitted), spools what they found, and then saves
   * their baselines: in that order, so a crash in between repeats events but loses none.
   * Returns the number of events spooled.
   */
  collect(names?: readonly string[]): Promise<number> {
    return this.collectMutex.run(async () => {
      const ctx = { now: new Date(), policy: this.policy };
      const events: AgentEvent[] = [];
      for (const c of this.collectors) {
        if (names && !names.includes(c.name)) continue;
        if (!this.enabled(c.name)) continue;
        try {
          const found = await c.collect(ctx);
          events.push(...found);
          this.collected[c.name] = (this.collected[c.name] ?? 0) + found.length;
        } catch (err) {
          this.log.warn('collector failed', { collector: c.name, error: (err as Error).message });
        }
      }
      const intel = this.collectors.find(
        (c): c is ConnectionIocCollector => c instanceof ConnectionIocCollector,
      );
      if (intel && this.enabled(intel.name)) events.push(...intel.fromProcessEvents(events, ctx.now));
      const software = this.software();
      if (software && software.revision !== this.softwareRevision) {
        // The first revision is the baseline itself (read or loaded), not a change.
        if (this.softwareRevision !== 0) this.inventory.markChanged(ctx.now.getTime());
        this.softwareRevision = software.revision;
      }
      if (events.length > 0) {
        await this.spool.append(events);
        // Only baselines that produced events must be durable now; quiet changes (a process
        // exited) are saved at shutdown, and losing them costs nothing but a re-check.
        await this.saveCollectorState(names);
      }
      return events.length;
    });
  }

  private software(): SoftwareCollector | undefined {
    return this.collectors.find((c): c is SoftwareCollector => c instanceof SoftwareCollector);
  }

  /**
   * Sends the full inventory snapshot (packages and hardware facts) when one is due: at start,
   * after a debounced software change, and every `intervals.inventoryS`. Returns `undefined`
   * when none was due, or when the software collector is off or absent. `force` ignores the
   * schedule (not a failure's backoff).
   */
  async reportInventory(force = false): Promise<InventoryResult | undefined> {
    const software = this.software();
    if (!software || !this.enabled('software')) return undefined;
    if (!force && !this.inventory.due(Date.now())) return undefined;
    // Re-check the package databases first (two stat calls when unchanged), so the snapshot is
    // never older than the events already sent.
    await this.collect([software.name]);
    const { snapshot, truncated } = await hostInventorySnapshot(this.root, software.list());
    if (truncated > 0) this.log.warn('inventory snapshot truncated', { left_out: truncated });
    const result = await this.inventory.send(snapshot, Date.now());
    if (result.outcome === 'sent') this.log.info('inventory snapshot sent', { packages: result.packages });
    return result;
  }

  /**
   * Pulls the active network indicators when due: at start and every `intervals.iocsS`
   * (sooner after a failure's backoff). Returns `undefined` when none was due.
   */
  async pullIocs(force = false): Promise<IocPullResult | undefined> {
    // Only connections are matched on the agent: no network collection, nothing to match.
    if (!this.enabled('ioc')) return undefined;
    if (!force && !this.iocs.due(Date.now())) return undefined;
    const result = await this.iocs.pull(Date.now());
    if (result.outcome === 'pulled') this.log.info('indicators pulled', { indicators: result.indicators });
    return result;
  }

  /** Delivers spooled batches until the spool is empty or the server fails. */
  deliver(deadline?: number): Promise<DeliveryResult> {
    return this.sender.drain(deadline);
  }

  /** One signed heartbeat with the current resource figures. */
  async heartbeat(): Promise<HeartbeatResult> {
    // Hostname and OS version rarely change; re-read them hourly rather than every 30 s.
    if (!this.facts || Date.now() - this.factsAt > 3600_000) {
      this.facts = await readHostFacts(this.root);
      this.factsAt = Date.now();
    }
    const figures = await this.sampler.sample();
    const result = await sendHeartbeat(this.client, {
      agent_version: AGENT_VERSION,
      hostname: this.facts.hostname,
      os: this.facts.os,
      ...figures,
      spool_dropped: this.spool.dropped,
    });
    this.lastHeartbeat = { at: new Date().toISOString(), ok: result.ok };
    if (!result.ok) this.log.warn('heartbeat failed', { ...result });
    return result;
  }

  /** Pulls the effective configuration; a 404 (older server) pauses polling for 10 minutes. */
  async pollConfig(): Promise<void> {
    if (Date.now() < this.configUnsupportedUntil) return;
    const r = await this.configSource.fetch(this.policyEtag);
    if (r.status === 'unsupported') {
      this.configUnsupportedUntil = Date.now() + 10 * 60_000;
      return;
    }
    if (r.status === 'error') {
      this.log.debug('config poll failed', { error: r.error });
      return;
    }
    if (r.status === 'unchanged') return;
    this.policy = mergePolicy({ ...defaultPolicy(), ...this.localPolicy }, r.document);
    this.policyEtag = r.etag;
    this.sender.setBatchMaxEvents(this.policy.batchMaxEvents);
    await writeFileAtomic(
      join(this.opts.stateDir, 'policy.json'),
      JSON.stringify({ etag: r.etag, document: r.document }),
    );
    this.log.info('policy updated', { etag: r.etag });
  }

  /** Pulls pending response actions, executes what the policy allows, and reports results. */
  async pollActions(): Promise<number> {
    if (Date.now() < this.actionsUnsupportedUntil) return 0;
    for (const [id, result] of this.unreported) {
      if (await this.actionSource.report(id, result).catch(() => false)) this.unreported.delete(id);
    }
    let pending: Awaited<ReturnType<ActionSource['pending']>>;
    try {
      pending = await this.actionSource.pending();
    } catch (err) {
      this.log.debug('actions poll failed', { error: (err as Error).message });
      return 0;
    }
    if (pending === 'unsupported') {
      this.actionsUnsupportedUntil = Date.now() + 10 * 60_000;
      return 0;
    }
    const hooks: ActionHooks = { triage: () => this.triage() };
    let n = 0;
    for (const action of pending) {
      // An action already run (its report may have been lost) is never run twice.
      if (this.executed.has(action.id)) continue;
      this.executed.add(action.id);
      const result = await executeAction(action, this.policy, hooks);
      this.log.info('action executed', { id: action.id, type: action.type, status: result.status });
      n++;
      if (!(await this.actionSource.report(action.id, result).catch(() => false))) {
        this.unreported.set(action.id, result);
      }
    }
    return n;
  }

  private async triage(): Promise<Record<string, unknown>> {
    const spooled = await this.collect();
    const facts = await readHostFacts(this.root);
    return {
      spooled_events: spooled,
      hostname: facts.hostname,
      os: facts.osPrettyName,
      kernel: facts.kernel,
    };
  }

  /** The status record `harrier-agent status` prints. */
  status(): AgentStatus {
    return {
      pid: process.pid,
      started_at: this.startedAt,
      updated_at: new Date().toISOString(),
      device_id: this.opts.enrollment.device_id,
      server_url: this.opts.enrollment.server_url,
      collected: { ...this.collected },
      last_heartbeat_at: this.lastHeartbeat?.at ?? null,
      last_heartbeat_ok: this.lastHeartbeat?.ok ?? null,
      delivery: { ...this.sender.stats, breaker: this.sender.breaker.state },
      inventory: { ...this.inventory.stats },
      iocs: { ...this.iocs.stats },
      policy_etag: this.policyEtag ?? null,
    };
  }

  private async writeStatus(): Promise<void> {
    await writeFileAtomic(
      join(this.opts.stateDir, 'status.json'),
      JSON.stringify(this.status(), null, 2),
    ).catch(() => undefined);
  }

  /**
   * One pass: configuration, every collector, delivery until empty (or `deadlineMs`), a
   * heartbeat, and pending actions. Returns the last delivery result.
   */
  async runOnce(deadlineMs = 60_000): Promise<DeliveryResult> {
    await this.pollConfig();
    await this.pullIocs();
    await this.collect();
    const result = await this.deliver(Date.now() + deadlineMs);
    await this.heartbeat();
    await this.reportInventory();
    await this.pollActions();
    await this.saveCollectorState();
    await this.writeStatus();
    return result;
  }

  /** Runs until `signal` aborts, then finishes the current step and returns. */
  async runDaemon(signal: AbortSignal): Promise<void> {
    const p = () => this.policy.intervals;
    let wakeSender: (() => void) | undefined;
    const sleep = (ms: number, wakeable = false) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          if (wakeSender === done) wakeSender = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        if (wakeable) wakeSender = done;
      });

    const every = async (name: string, intervalMs: () => number, fn: () => Promise<unknown>) => {
      while (!signal.aborted) {
        const t0 = performance.now();
        try {
          await fn();
          this.log.debug('task done', { task: name, ms: Math.round((performance.now() - t0) * 10) / 10 });
        } catch (err) {
          this.log.warn('task failed', { task: name, error: (err as Error).message });
        }
        await sleep(intervalMs());
      }
    };

    const collectGroup = async (names: readonly string[]) => {
      const n = await this.collect(names);
      if (n > 0) wakeSender?.();
    };

    const senderLoop = async () => {
      while (!signal.aborted) {
        let r: DeliveryResult;
        try {
          r = await this.sender.deliverOnce();
        } catch (err) {
          this.log.warn('delivery error', { error: (err as Error).message });
          await sleep(5000);
          continue;
        }
        if (r.outcome === 'delivered' || (r.outcome === 'retry' && r.waitMs === 0)) continue;
        if (r.outcome === 'empty') await sleep(30_000, true);
        else await sleep(r.waitMs);
      }
    };

    this.log.info('agent started', { device_id: this.opts.enrollment.device_id, version: AGENT_VERSION });
    await this.pollConfig().catch(() => undefined);
    await Promise.all([
      every(
        'process',
        () => p().processS * 1000,
        () => collectGroup(COLLECTOR_GROUPS.process),
      ),
      every(
        'fast',
        () => p().fastS * 1000,
        () => collectGroup(COLLECTOR_GROUPS.fast),
      ),
      every(
        'files',
        () => p().filesS * 1000,
        () => collectGroup(COLLECTOR_GROUPS.files),
      ),
      every(
        'inventory',
        () => p().softwareS * 1000,
        () => collectGroup(COLLECTOR_GROUPS.inventory),
      ),
      every(
        'inventory_snapshot',
        // Changes show up on the software interval, so look at least that often (and every minute).
        () => Math.max(1000, Math.min(this.inventory.msUntilDue(Date.now()), p().softwareS * 1000, 60_000)),
        () => this.reportInventory(),
      ),
      every(
        'iocs',
        () => Math.max(1000, Math.min(this.iocs.msUntilDue(Date.now()), 60_000)),
        () => this.pullIocs(),
      ),
      every(
        'heartbeat',
        () => p().heartbeatS * 1000,
        async () => {
          await this.heartbeat();
          await this.writeStatus();
        },
      ),
      every(
        'config',
        () => p().configS * 1000,
        () => this.pollConfig(),
      ),
      every(
        'actions',
        () => p().actionsS * 1000,
        () => this.pollActions(),
      ),
      senderLoop(),
    ]);
    await this.saveCollectorState();
    await this.writeStatus();
    this.log.info('agent stopped');
  }

  /** Releases the lock, the spool and the connections. */
  async close(): Promise<void> {
    await this.collectMutex.run(async () => undefined);
    await this.spool.close();
    this.client.close();
    await this.releaseLock();
  }
}
