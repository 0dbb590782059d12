import type { InsightService } from '../services/insight-service.ts';
import { PeriodicPass } from './periodic-pass.ts';

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
  private lastPrune = 0;
  private readonly loop: PeriodicPass;

  constructor(
    private readonly insights: InsightService,
    intervalSeconds: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.loop = new PeriodicPass(() => this.pass(), intervalSeconds * 1000, onError);
  }

  start(): void {
    const now = Date.now();
    this.lastPrune = now;
    this.loop.start(async () => {
      await this.insights.pruneAggregates(now);
      await this.insights.computeChanged(now - 86_400_000, now, this.onError);
    });
  }

  private async pass(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.insights.pruneAggregates(now);
    }
    await this.insights.computeDirty(now, this.onError);
  }

  /** Stops ticking and waits for a pass in progress (before the store closes). */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
