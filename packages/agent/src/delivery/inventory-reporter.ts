import { type InventorySnapshot, snapshotDigest } from '../inventory-snapshot.ts';
import type { Logger } from '../logger.ts';
import { Backoff } from './backoff.ts';
import { errorCode, retryAfterMs, type SignedClient } from './signed-client.ts';

export const INVENTORY_PATH = '/api/v1/agents/inventory';

/** What one attempt to send a snapshot came to. */
export type InventoryResult =
  | { outcome: 'sent'; packages: number }
  /** Same inventory as the last one the server took, and not yet time to refresh it. */
  | { outcome: 'unchanged' }
  | { outcome: 'retry'; waitMs: number; reason: string }
  /** The server refused this snapshot (4xx); the next change or refresh tries again. */
  | { outcome: 'refused'; reason: string }
  /** The server has no inventory endpoint (an older server); asked again an hour later. */
  | { outcome: 'unsupported' };

export interface InventoryReporterOptions {
  /** Refresh period: a snapshot goes out this long after the last one even when nothing changed. */
  intervalMs: () => number;
  /** Quiet time after a package change before the snapshot (an apt upgrade is many changes). */
  debounceMs?: number;
  backoff?: Backoff;
  log?: Logger;
}

const UNSUPPORTED_PAUSE_MS = 3600_000;

/**
 * Decides when the agent sends its full inventory snapshot and sends it, signed and gzipped:
 * once at start, after the software list changed and then stayed quiet for the debounce time,
 * and every interval. Failures back off with jitter (the sender's {@link Backoff}); a 429 or
 * 503 waits at least as long as the server's Retry-After. Checking whether one is due costs
 * nothing; building one is the caller's, and only when {@link due} says so.
 */
export class InventoryReporter {
  readonly backoff: Backoff;
  private readonly debounceMs: number;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastDigest = '';
  /** When the software list last changed and no snapshot has covered it yet. */
  private changedAt: number | undefined;
  /** The earliest the next attempt may go after a failure (or an unsupported server). */
  private notBefore = 0;
  private started = false;
  readonly stats = {
    sent: 0,
    failures: 0,
    lastSentAt: null as number | null,
    lastError: null as string | null,
  };

  constructor(
    private readonly client: SignedClient,
    private readonly opts: InventoryReporterOptions,
  ) {
    this.backoff = opts.backoff ?? new Backoff(30_000, 30 * 60_000);
    this.debounceMs = opts.debounceMs ?? 60_000;
  }

  /** The software list changed at `now` (a package installed, upgraded or removed). */
  markChanged(now: number): void {
    this.changedAt = now;
  }

  /** Milliseconds until a snapshot is due (0: now). */
  msUntilDue(now: number): number {
    const at = Math.max(this.notBefore, this.dueAt());
    return Math.max(0, at - now);
  }

  /** True when a snapshot should be built and sent now. */
  due(now: number): boolean {
    return this.msUntilDue(now) === 0;
  }

  private dueAt(): number {
    if (!this.started) return 0;
    const refresh = this.lastSentAt + this.opts.intervalMs();
    return this.changedAt === undefined ? refresh : Math.min(refresh, this.changedAt + this.debounceMs);
  }

  /**
   * Sends `snapshot` unless it equals the last one the server took and the refresh interval
   * has not passed (a package upgraded and downgraded again).
   */
  async send(snapshot: InventorySnapshot, now: number): Promise<InventoryResult> {
    this.started = true;
    const digest = snapshotDigest(snapshot);
    const changedAt = this.changedAt;
    if (digest === this.lastDigest && now - this.lastSentAt < this.opts.intervalMs()) {
      this.changedAt = undefined;
      return { outcome: 'unchanged' };
    }
    let res: Awaited<ReturnType<SignedClient['sendSigned']>>;
    try {
      res = await this.client.sendSigned({
        method: 'POST',
        path: INVENTORY_PATH,
        body: snapshot,
        gzip: true,
        timeoutMs: 120_000,
      });
    } catch (err) {
      return this.fail(now, `network: ${(err as Error).message}`);
    }
    const reason = `HTTP ${res.status}${errorCode(res) ? ` ${errorCode(res)}` : ''}`;
    if (res.status >= 200 && res.status < 300) {
      this.lastSentAt = now;
      this.lastDigest = digest;
      // A change seen while this one was in flight still needs its own snapshot.
      if (this.changedAt === changedAt) this.changedAt = undefined;
      this.notBefore = 0;
      this.backoff.reset();
      this.stats.sent++;
      this.stats.lastSentAt = now;
      this.stats.lastError = null;
      const packages = (res.json as { packages?: unknown } | undefined)?.packages;
      return {
        outcome: 'sent',
        packages: typeof packages === 'number' ? packages : snapshot.software.length,
      };
    }
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      this.notBefore = now + UNSUPPORTED_PAUSE_MS;
      return { outcome: 'unsupported' };
    }
    if (res.status === 429 || res.status === 503) return this.fail(now, reason, retryAfterMs(res));
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408) {
      // Sending the same snapshot again would be refused again: wait for a change or the refresh.
      this.lastSentAt = now;
      this.lastDigest = digest;
      this.changedAt = undefined;
      this.stats.failures++;
      this.stats.lastError = reason;
      this.opts.log?.error('inventory snapshot refused by the server', { reason, error: res.json });
      return { outcome: 'refused', reason };
    }
    return this.fail(now, reason);
  }

  private fail(now: number, reason: string, retryAfter?: number): InventoryResult {
    const waitMs = Math.max(retryAfter ?? 0, this.backoff.next());
    this.notBefore = now + waitMs;
    this.stats.failures++;
    this.stats.lastError = reason;
    this.opts.log?.warn('inventory snapshot failed', { reason, wait_ms: waitMs });
    return { outcome: 'retry', waitMs, reason };
  }
}
