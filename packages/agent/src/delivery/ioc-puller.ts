import { IocMatcher, type IocSpec, normalizeIoc } from '@harrier/schema';
import { readJsonFile, writeFileAtomic } from '../atomic-file.ts';
import type { Logger } from '../logger.ts';
import { Backoff } from './backoff.ts';
import { errorCode, retryAfterMs, type SignedClient } from './signed-client.ts';

export const IOCS_PATH = '/api/v1/agents/iocs';

/** The indicator kinds an agent can observe (addresses, ranges, names). */
const NETWORK_TYPES = new Set(['ip', 'cidr', 'domain', 'url']);

/** One indicator as the agent keeps it. */
export interface AgentIndicator extends IocSpec {
  /** Epoch ms after which it no longer applies, or null. */
  expiresAt: number | null;
}

export type IocPullResult =
  | { outcome: 'pulled'; indicators: number }
  | { outcome: 'retry'; waitMs: number; reason: string }
  /** The server has no indicator endpoint (an older server); asked again an hour later. */
  | { outcome: 'unsupported' };

export interface IocPullerOptions {
  /** Pull period (the policy's `intervals.iocs_s`). */
  intervalMs: () => number;
  /** Where the last good list is kept, so a restart without network still matches. */
  statePath: string;
  backoff?: Backoff;
  log?: Logger;
}

const UNSUPPORTED_PAUSE_MS = 3600_000;

/** Reads the server's (or a saved) indicator list, keeping only well-formed network indicators. */
export function parseIndicators(body: unknown): AgentIndicator[] {
  const list = (body as { indicators?: unknown } | null)?.indicators;
  if (!Array.isArray(list)) return [];
  const out: AgentIndicator[] = [];
  for (const raw of list) {
    const r = raw as Record<string, unknown> | null;
    if (!r || typeof r.id !== 'string' || typeof r.type !== 'string' || typeof r.value !== 'string') continue;
    if (!NETWORK_TYPES.has(r.type)) continue;
    const type = r.type as IocSpec['type'];
    const value = normalizeIoc(type, r.value);
    if (value === undefined) continue;
    const expires = typeof r.expires_at === 'string' ? Date.parse(r.expires_at) : Number.NaN;
    out.push({
      id: r.id,
      type,
      value,
      severity: typeof r.severity === 'string' ? r.severity : 'high',
      source: null,
      expiresAt: Number.isFinite(expires) ? expires : null,
    });
  }
  return out;
}

/**
 * Pulls the organization's active network indicators (signed `GET /api/v1/agents/iocs`) at
 * start and every interval, keeps the last good list in memory and in the state directory,
 * and serves a matcher over the ones not yet expired. A failed pull keeps the previous list
 * and backs off with jitter; a 429 or 503 waits at least the server's Retry-After.
 */
export class IocPuller {
  readonly backoff: Backoff;
  private indicators: AgentIndicator[] = [];
  private current: IocMatcher = new IocMatcher([]);
  /** When the earliest indicator in {@link current} expires (the matcher is rebuilt then). */
  private rebuildAt = Number.POSITIVE_INFINITY;
  private lastPulledAt = Number.NEGATIVE_INFINITY;
  private notBefore = 0;
  readonly stats = {
    pulls: 0,
    failures: 0,
    indicators: 0,
    lastPulledAt: null as number | null,
    lastError: null as string | null,
  };

  constructor(
    private readonly client: SignedClient,
    private readonly opts: IocPullerOptions,
  ) {
    this.backoff = opts.backoff ?? new Backoff(30_000, 30 * 60_000);
  }

  /** Loads the list saved by the last successful pull (an absent or damaged file: none). */
  async load(now = Date.now()): Promise<void> {
    const saved = await readJsonFile(this.opts.statePath);
    this.use(parseIndicators(saved), now);
  }

  /** Milliseconds until a pull is due (0: now). */
  msUntilDue(now: number): number {
    return Math.max(0, Math.max(this.notBefore, this.lastPulledAt + this.opts.intervalMs()) - now);
  }

  due(now: number): boolean {
    return this.msUntilDue(now) === 0;
  }

  /** The matcher over the indicators that have not expired at `now`. */
  matcher(now = Date.now()): IocMatcher {
    if (now >= this.rebuildAt) this.rebuild(now);
    return this.current;
  }

  /** The indicators currently held (expired ones included until the next pull). */
  list(): readonly AgentIndicator[] {
    return this.indicators;
  }

  async pull(now: number): Promise<IocPullResult> {
    let res: Awaited<ReturnType<SignedClient['sendSigned']>>;
    try {
      res = await this.client.sendSigned({ method: 'GET', path: IOCS_PATH, timeoutMs: 60_000 });
    } catch (err) {
      return this.fail(now, `network: ${(err as Error).message}`);
    }
    if (res.status === 200 && Array.isArray((res.json as { indicators?: unknown } | undefined)?.indicators)) {
      const indicators = parseIndicators(res.json);
      this.use(indicators, now);
      this.lastPulledAt = now;
      this.notBefore = 0;
      this.backoff.reset();
      this.stats.pulls++;
      this.stats.lastPulledAt = now;
      this.stats.lastError = null;
      await writeFileAtomic(
        this.opts.statePath,
        JSON.stringify({ pulled_at: new Date(now).toISOString(), indicators: this.saved() }),
      );
      return { outcome: 'pulled', indicators: indicators.length };
    }
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      this.notBefore = now + UNSUPPORTED_PAUSE_MS;
      return { outcome: 'unsupported' };
    }
    const reason = `HTTP ${res.status}${errorCode(res) ? ` ${errorCode(res)}` : ''}`;
    if (res.status === 429 || res.status === 503) return this.fail(now, reason, retryAfterMs(res));
    return this.fail(now, reason);
  }

  private saved() {
    return this.indicators.map((i) => ({
      id: i.id,
      type: i.type,
      value: i.value,
      severity: i.severity,
      expires_at: i.expiresAt === null ? null : new Date(i.expiresAt).toISOString(),
    }));
  }

  private use(indicators: AgentIndicator[], now: number): void {
    this.indicators = indicators;
    this.stats.indicators = indicators.length;
    this.rebuild(now);
  }

  private rebuild(now: number): void {
    const live = this.indicators.filter((i) => i.expiresAt === null || i.expiresAt > now);
    this.current = new IocMatcher(live);
    // A loop, not Math.min(...list): a feed can hold more indicators than call arguments fit.
    let next = Number.POSITIVE_INFINITY;
    for (const i of live) if (i.expiresAt !== null && i.expiresAt < next) next = i.expiresAt;
    this.rebuildAt = next;
  }

  private fail(now: number, reason: string, retryAfter?: number): IocPullResult {
    const waitMs = Math.max(retryAfter ?? 0, this.backoff.next());
    this.notBefore = now + waitMs;
    this.stats.failures++;
    this.stats.lastError = reason;
    this.opts.log?.warn('indicator pull failed', { reason, wait_ms: waitMs });
    return { outcome: 'retry', waitMs, reason };
  }
}
