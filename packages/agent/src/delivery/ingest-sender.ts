import type { Logger } from '../logger.ts';
import { Backoff } from './backoff.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { errorCode, type HttpResponse, retryAfterMs, type SignedClient } from './signed-client.ts';
import type { Spool, SpoolBatch } from './spool.ts';

export const INGEST_PATH = '/api/v1/ingest';

/** What one delivery attempt came to. */
export type DeliveryResult =
  | { outcome: 'delivered'; batchId: string; accepted: number; rejected: number }
  | { outcome: 'empty' }
  | { outcome: 'retry'; waitMs: number; reason: string }
  | { outcome: 'breaker_open'; waitMs: number };

export interface SenderStats {
  batchesDelivered: number;
  eventsAccepted: number;
  eventsRejected: number;
  batchesDiscarded: number;
  failures: number;
  lastDeliveryAt: number | null;
  lastError: string | null;
}

export interface SenderOptions {
  batchMaxEvents: number;
  gzip?: boolean;
  breaker?: CircuitBreaker;
  backoff?: Backoff;
  log?: Logger;
}

/**
 * Moves batches from the spool to `POST /api/v1/ingest`: signed, gzipped, one batch at a
 * time, the same batch id on every retry. Failures back off exponentially with jitter, and
 * enough of them in a row open the circuit breaker. Only the server's 200 advances the spool.
 */
export class IngestSender {
  readonly breaker: CircuitBreaker;
  readonly backoff: Backoff;
  readonly stats: SenderStats = {
    batchesDelivered: 0,
    eventsAccepted: 0,
    eventsRejected: 0,
    batchesDiscarded: 0,
    failures: 0,
    lastDeliveryAt: null,
    lastError: null,
  };
  private maxEvents: number;
  private readonly gzip: boolean;

  constructor(
    private readonly client: SignedClient,
    private readonly spool: Spool,
    private readonly opts: SenderOptions,
  ) {
    this.breaker = opts.breaker ?? new CircuitBreaker();
    this.backoff = opts.backoff ?? new Backoff();
    this.maxEvents = opts.batchMaxEvents;
    this.gzip = opts.gzip ?? true;
  }

  /** Changes the batch size (policy update); a pending in-flight batch keeps its size. */
  setBatchMaxEvents(n: number): void {
    this.maxEvents = n;
  }

  /** Sends the next batch, if any, and reports what happened. */
  async deliverOnce(): Promise<DeliveryResult> {
    if (!this.breaker.allow()) return { outcome: 'breaker_open', waitMs: this.breaker.remainingMs() };
    const batch = await this.spool.nextBatch(this.maxEvents);
    if (!batch) return { outcome: 'empty' };

    let res: HttpResponse;
    try {
      res = await this.client.sendSigned({
        method: 'POST',
        path: INGEST_PATH,
        body: { batch_id: batch.batch_id, events: batch.events },
        gzip: this.gzip,
      });
    } catch (err) {
      return this.fail(`network: ${(err as Error).message}`);
    }
    return this.handle(batch, res);
  }

  private async handle(batch: SpoolBatch, res: HttpResponse): Promise<DeliveryResult> {
    if (res.status >= 200 && res.status < 300) {
      const body = (res.json ?? {}) as { accepted?: unknown; rejected?: unknown };
      const accepted = typeof body.accepted === 'number' ? body.accepted : batch.events.length;
      const rejected = Array.isArray(body.rejected) ? body.rejected : [];
      await this.spool.ack(batch);
      this.breaker.success();
      this.backoff.reset();
      this.stats.batchesDelivered++;
      this.stats.eventsAccepted += accepted;
      this.stats.eventsRejected += rejected.length;
      this.stats.lastDeliveryAt = Date.now();
      this.stats.lastError = null;
      if (rejected.length > 0) {
        this.opts.log?.warn('server rejected events', {
          batch_id: batch.batch_id,
          rejected: rejected.length,
          first: rejected[0],
        });
      }
      // The batch went through: grow back towards the configured size after a 413.
      if (this.maxEvents < this.opts.batchMaxEvents) {
        this.maxEvents = Math.min(this.opts.batchMaxEvents, this.maxEvents * 2);
      }
      return { outcome: 'delivered', batchId: batch.batch_id, accepted, rejected: rejected.length };
    }
    const code = errorCode(res) ?? '';
    const reason = `HTTP ${res.status}${code ? ` ${code}` : ''}`;
    if (res.status === 413) {
      if (batch.events.length > 1) {
        // Too big for this server: re-cut smaller. The server stored nothing, so a new id is right.
        this.maxEvents = Math.max(1, Math.floor(batch.events.length / 2));
        await this.spool.releaseInflight(batch);
        return { outcome: 'retry', waitMs: 0, reason };
      }
      return this.discard(batch, reason);
    }
    if (res.status === 400 || res.status === 422 || res.status === 415) {
      // The server will never take this batch; retrying forever would block everything behind it.
      return this.discard(batch, reason);
    }
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res);
      if (res.status === 503) this.breaker.failure();
      return this.fail(reason, wait);
    }
    return this.fail(reason);
  }

  private async discard(batch: SpoolBatch, reason: string): Promise<DeliveryResult> {
    await this.spool.discard(batch);
    this.stats.batchesDiscarded++;
    this.stats.lastError = reason;
    this.opts.log?.error('batch refused by the server; dropped', {
      batch_id: batch.batch_id,
      events: batch.events.length,
      reason,
    });
    return { outcome: 'retry', waitMs: 0, reason };
  }

  private fail(reason: string, retryAfter?: number): DeliveryResult {
    this.stats.failures++;
    this.stats.lastError = reason;
    if (retryAfter === undefined) this.breaker.failure();
    const waitMs = Math.max(retryAfter ?? 0, this.backoff.next(), this.breaker.remainingMs());
    this.opts.log?.warn('delivery failed', { reason, wait_ms: waitMs, breaker: this.breaker.state });
    return { outcome: 'retry', waitMs, reason };
  }

  /**
   * Delivers until the spool is empty, an attempt fails, or `deadline` (epoch ms) passes.
   * Returns the last result (`empty` when everything went out).
   */
  async drain(deadline = Number.POSITIVE_INFINITY): Promise<DeliveryResult> {
    let last: DeliveryResult = { outcome: 'empty' };
    while (Date.now() < deadline) {
      last = await this.deliverOnce();
      if (last.outcome === 'delivered') continue;
      if (last.outcome === 'retry' && last.waitMs === 0) continue;
      return last;
    }
    return last;
  }
}
