import type { InsightService } from '../services/insight-service.ts';

/**
 * Computes insights and risk: at start for every device whose aggregates changed in the last
 * day (what a restart may have left uncomputed), then every `intervalSeconds` for the devices
 * that received events since the previous pass (0: at start only). Hourly it drops aggregates
 * older than the engine's window. Passes never overlap; a failing device is reported and the
 * others are still computed.
 */
/** How often aggregates older than the engine's window are dropped. */
const PRUNE_EVERY_MS = 3_600_000;

export class InsightsJob {
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly insights: InsightService,
    private readonly intervalSeconds: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const now = Date.now();
    this.lastPrune = now;
    this.run(async () => {
      await this.insights.pruneAggregates(now);
      await this.insights.computeChanged(now - 86_400_000, now, this.onError);
    });
    if (this.intervalSeconds > 0) {
      this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
      this.timer.unref();
    }
  }

  private tick(): void {
    const now = Date.now();
    const prune = now - this.lastPrune >= PRUNE_EVERY_MS;
    if (prune) this.lastPrune = now;
    this.run(async () => {
      if (prune) await this.insights.pruneAggregates(now);
      await this.insights.computeDirty(now, this.onError);
    });
  }

  private run(pass: () => Promise<unknown>): void {
    if (this.running || this.stopped) return;
    this.running = pass()
      .catch((error) => this.onError(error))
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
