import type { HarrierEvent } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import type { JetStreamTransport } from './jetstream-transport.ts';

/** A row younger than this may still be being published by the request that wrote it. */
const GRACE_MS = 5_000;
const INTERVAL_MS = 2_000;
const ROWS_PER_PASS = 50;

/**
 * Publishes what ingest committed but could not hand to JetStream (NATS
 * failed between the commit and the publish) and deletes the outbox rows of
 * published batches. Several processes may relay the same row: the message
 * ids make JetStream drop the copy, and detection is idempotent by event id.
 */
export class OutboxRelay {
  private readonly published = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly transport: JetStreamTransport,
    private readonly onError: (error: unknown) => void,
  ) {
    transport.onPublished = (id) => this.markPublished(id);
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pass()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
        });
    }, INTERVAL_MS);
    this.timer.unref();
  }

  private markPublished(id: string): void {
    this.published.add(id);
    // Deletes are batched: one statement for the batches of ~100 ms.
    if (this.flushTimer === undefined && !this.stopped) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flush().catch(this.onError);
      }, 100);
      this.flushTimer.unref();
    }
  }

  private async flush(): Promise<void> {
    if (this.published.size === 0) return;
    const ids = [...this.published];
    await this.database.db.deleteFrom('bus_outbox').where('id', 'in', ids).execute();
    for (const id of ids) this.published.delete(id);
  }

  /** One relay pass (exposed for tests). */
  async pass(): Promise<void> {
    await this.flush();
    const db = this.database.db;
    const count = await db
      .selectFrom('bus_outbox')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    this.transport.outboxBacklog = Number(count?.n ?? 0);
    if (this.transport.outboxBacklog === 0) return;
    const rows = await db
      .selectFrom('bus_outbox')
      .select(['id', 'events'])
      .where('created_at', '<', Date.now() - GRACE_MS)
      .orderBy('created_at')
      .limit(ROWS_PER_PASS)
      .execute();
    for (const row of rows) {
      if (this.stopped) return;
      await this.transport.publish(row.id, JSON.parse(row.events) as HarrierEvent[]);
    }
    await this.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.running;
    await this.flush().catch(this.onError);
  }
}
