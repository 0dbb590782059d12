import type { MaintenanceResult, RetentionService } from '../services/retention-service.ts';

/** One maintenance pass an hour: partitions ahead, and retention when it is on. */
export const MAINTENANCE_INTERVAL_MS = 3_600_000;

/**
 * Runs the store's maintenance at start and then hourly: PostgreSQL's day partitions for the
 * coming week, and removal of data older than HARRIER_RETENTION_DAYS (0 keeps everything).
 * Passes never overlap; failures are reported and retried at the next tick.
 */
export class MaintenanceJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly retention: RetentionService,
    private readonly days: number,
    private readonly onPass: (result: MaintenanceResult) => void,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = MAINTENANCE_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.retention
      .run(this.days)
      .then(this.onPass, this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Stops ticking and waits for a pass in progress (before the store closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
