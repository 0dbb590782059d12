import type { MaintenanceResult, RetentionService } from '../services/retention-service.ts';
import { PeriodicPass } from './periodic-pass.ts';

/** One maintenance pass an hour: partitions ahead, and retention when it is on. */
export const MAINTENANCE_INTERVAL_MS = 3_600_000;

/**
 * Runs the store's maintenance at start and then hourly: PostgreSQL's day partitions for the
 * coming week, and removal of data older than HARRIER_RETENTION_DAYS (0 keeps everything).
 * Passes never overlap; failures are reported and retried at the next tick.
 */
export class MaintenanceJob {
  private readonly loop: PeriodicPass;

  constructor(
    retention: RetentionService,
    days: number,
    onPass: (result: MaintenanceResult) => void,
    onError: (error: unknown) => void,
    intervalMs = MAINTENANCE_INTERVAL_MS,
  ) {
    this.loop = new PeriodicPass(async () => onPass(await retention.run(days)), intervalMs, onError);
  }

  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for a pass in progress (before the store closes). */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
