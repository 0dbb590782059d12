import { readJson } from '../db/json-column.ts';
import { HarrierError } from '../errors.ts';
import type {
  DeliveryRow,
  NotificationDeliveriesRepository,
} from '../repositories/notification-deliveries-repository.ts';
import type { NotificationDestinationsRepository } from '../repositories/notification-destinations-repository.ts';
import { type NotificationPayload, renderEmail, TEST_EVENT_TYPE } from './notification-events.ts';
import type { Mailer } from './smtp-mailer.ts';
import type { AddressResolver } from './webhook-address-guard.ts';
import { postWebhook } from './webhook-sender.ts';
import { deriveWebhookSecret } from './webhook-signature.ts';

export interface RetryPolicy {
  /** Delay before the second attempt; doubled for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
};

/** Delay after the `attempts`-th failed attempt: exponential, capped. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

// An attempt in progress holds its delivery this long; a crashed process's claim expires after it.
const LEASE_MS = 120_000;
const BATCH = 50;
/** The delivery log keeps finished deliveries this long. */
export const DELIVERY_LOG_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;
const PARALLEL = 4;

export interface DeliveryWorkerDeps {
  deliveries: NotificationDeliveriesRepository;
  destinations: NotificationDestinationsRepository;
  mailer: Mailer;
  serverSecret: string;
  allowPrivate: boolean;
  retry?: RetryPolicy;
  resolver?: AddressResolver;
  onError?: (error: unknown) => void;
  /** Told the outcome of every attempt (metrics). */
  onAttempt?: (channel: string, outcome: 'delivered' | 'retry' | 'failed') => void;
}

/**
 * Sends pending deliveries from the durable queue: webhooks (signed POST) and
 * e-mail (through the mailer). A failed attempt is retried with exponential
 * backoff until `maxAttempts`; a "send test" delivery is attempted once.
 * Runs on a timer and whenever new deliveries are queued.
 */
export class NotificationDeliveryWorker {
  private readonly retry: RetryPolicy;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastPrune = 0;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY;
  }

  start(intervalMs = 5_000): void {
    if (this.timer || this.stopped) return;
    this.wake();
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
  }

  /** Runs a pass soon (new deliveries were queued); passes never overlap. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .then(() => undefined)
      .catch((error) => this.deps.onError?.(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Waits for the pass in progress, if any (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Attempts every delivery due at `now`; returns how many were attempted. */
  async runDue(now = Date.now()): Promise<number> {
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.deps.deliveries.pruneFinished(now - DELIVERY_LOG_DAYS * 86_400_000);
    }
    let attempted = 0;
    for (;;) {
      const due = await this.deps.deliveries.listDue(now, BATCH);
      if (due.length === 0) return attempted;
      let progressed = 0;
      for (let i = 0; i < due.length; i += PARALLEL) {
        const results = await Promise.all(
          due.slice(i, i + PARALLEL).map((d) => this.claimAndAttempt(d, now)),
        );
        progressed += results.filter(Boolean).length;
      }
      attempted += progressed;
      if (progressed === 0 || due.length < BATCH) return attempted;
    }
  }

  private async claimAndAttempt(row: DeliveryRow, now: number): Promise<boolean> {
    if (!(await this.deps.deliveries.claim(row.id, Number(row.next_attempt_at), now + LEASE_MS)))
      return false;
    await this.attempt(row, now);
    return true;
  }

  /** One attempt of one delivery, recorded in the log; returns the updated row. */
  async attempt(row: DeliveryRow, now = Date.now()): Promise<DeliveryRow> {
    const outcome = await this.send(row, now);
    const attempts = row.attempts + 1;
    const finalAttempt =
      outcome.permanent || row.event_type === TEST_EVENT_TYPE || attempts >= this.retry.maxAttempts;
    const changes = {
      attempts,
      last_attempt_at: now,
      response_status: outcome.status ?? null,
      last_error: outcome.ok ? null : (outcome.error ?? 'failed').slice(0, 1000),
      status: outcome.ok ? 'delivered' : finalAttempt ? 'failed' : 'pending',
      next_attempt_at: outcome.ok || finalAttempt ? null : now + retryDelay(this.retry, attempts),
      delivered_at: outcome.ok ? now : null,
    };
    await this.deps.deliveries.recordAttempt(row.id, changes);
    this.deps.onAttempt?.(row.channel, outcome.ok ? 'delivered' : finalAttempt ? 'failed' : 'retry');
    return { ...row, ...changes };
  }

  private async send(
    row: DeliveryRow,
    now: number,
  ): Promise<{ ok: boolean; status?: number | undefined; error?: string | undefined; permanent?: boolean }> {
    const destination =
      row.destination_id === null
        ? undefined
        : await this.deps.destinations.getById(row.org_id, row.destination_id);
    if (row.destination_id !== null && !destination)
      return { ok: false, error: 'the destination was deleted', permanent: true };
    if (row.channel === 'webhook') {
      if (!destination?.url) return { ok: false, error: 'the destination has no URL', permanent: true };
      return postWebhook(
        {
          url: destination.url,
          secret: deriveWebhookSecret(this.deps.serverSecret, destination.id, destination.secret_generation),
          body: typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload),
          eventType: row.event_type,
          deliveryId: row.id,
          now,
        },
        {
          allowPrivate: this.deps.allowPrivate,
          timeoutMs: this.retry.timeoutMs,
          ...(this.deps.resolver ? { resolver: this.deps.resolver } : {}),
        },
      );
    }
    const payload = readJson<NotificationPayload | null>(row.payload, null);
    if (!payload) return { ok: false, error: 'unreadable payload', permanent: true };
    try {
      await this.deps.mailer.send({
        to: readJson<string[]>(row.recipients, []),
        ...renderEmail(payload, row.destination_id === null),
      });
      return { ok: true };
    } catch (error) {
      // No SMTP configured will not fix itself by retrying.
      const permanent = error instanceof HarrierError && error.code === 'smtp_not_configured';
      return { ok: false, error: (error as Error).message, permanent };
    }
  }
}
