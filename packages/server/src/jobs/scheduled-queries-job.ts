import { HarrierError } from '../errors.ts';
import type { SavedQueriesRepository, SavedQueryRow } from '../repositories/saved-queries-repository.ts';
import type { HuntService } from '../services/hunt-service.ts';
import type { ScheduledQueryAlerts } from '../services/scheduled-query-alerts.ts';

/** What one scheduled run did, for logs and tests. */
export interface ScheduledRunOutcome {
  savedQueryId: string;
  status: 'ok' | 'alert' | 'error';
  rowCount: number | null;
  alertId: string | null;
  error: string | null;
}

export interface ScheduledQueriesJobOptions {
  /** How often due queries are looked for. */
  tickMs: number;
  /** Most queries run per tick (the rest wait for the next tick). */
  batch: number;
  onError?: (error: unknown) => void;
}

/**
 * Runs scheduled saved queries as detections: every tick, each due query is claimed (so
 * several servers never run one twice), run over its look-back ending now in its own
 * organization, and when it returns more rows than its threshold an alert is raised through
 * the alert pipeline with the rows as evidence. Started by the runtime, stopped on close.
 */
export class ScheduledQueriesJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly saved: SavedQueriesRepository,
    private readonly hunts: HuntService,
    private readonly alerts: ScheduledQueryAlerts,
    private readonly options: ScheduledQueriesJobOptions = { tickMs: 15_000, batch: 20 },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runDue()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.tickMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs every query due at `now`; returns what each run did. */
  async runDue(now: number = Date.now()): Promise<ScheduledRunOutcome[]> {
    const out: ScheduledRunOutcome[] = [];
    for (const row of await this.saved.due(now, this.options.batch)) {
      const interval = row.schedule_interval_ms ?? 3_600_000;
      // Skip missed runs instead of replaying them: the next run's look-back covers the gap.
      const next = Math.max(now + 1, (row.next_run_at ?? now) + interval);
      if (!(await this.saved.claim(row.id, row.next_run_at ?? now, next))) continue;
      out.push(await this.runOne(row, now));
    }
    return out;
  }

  private async runOne(row: SavedQueryRow, now: number): Promise<ScheduledRunOutcome> {
    const lookback = row.lookback_ms ?? row.schedule_interval_ms ?? 3_600_000;
    try {
      const result = await this.hunts.hunt(
        { orgId: row.org_id, userId: null },
        { query: row.query, from: now - lookback, to: now, histogram: false },
      );
      const crossed = result.rows.length > row.alert_threshold;
      const alertId = crossed ? await this.alerts.raise(row, result, now) : null;
      await this.saved.update(row.org_id, row.id, {
        last_run_at: now,
        last_status: crossed ? 'alert' : 'ok',
        last_error: null,
        last_row_count: result.rows.length,
        ...(alertId ? { last_alert_id: alertId } : {}),
      });
      return {
        savedQueryId: row.id,
        status: crossed ? 'alert' : 'ok',
        rowCount: result.rows.length,
        alertId,
        error: null,
      };
    } catch (error) {
      const message = error instanceof HarrierError || error instanceof Error ? error.message : String(error);
      await this.saved.update(row.org_id, row.id, {
        last_run_at: now,
        last_status: 'error',
        last_error: message.slice(0, 1000),
      });
      if (!(error instanceof HarrierError)) this.options.onError?.(error);
      return { savedQueryId: row.id, status: 'error', rowCount: null, alertId: null, error: message };
    }
  }
}
