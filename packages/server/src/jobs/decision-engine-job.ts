import type { DecisionService } from '../services/decision-service.ts';
import { PeriodicPass } from './periodic-pass.ts';

/**
 * Runs the decision engine: one pass at start, then every `intervalSeconds`
 * (0: at start only, as seed 000's `DECISION_ENGINE_INTERVAL`). A pass never
 * overlaps the previous one; errors are reported, not thrown (seed 000 swallowed them).
 */
export class DecisionEngineJob {
  private readonly loop: PeriodicPass;

  constructor(
    decisions: DecisionService,
    intervalSeconds: number,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.loop = new PeriodicPass(() => decisions.runAll(), intervalSeconds * 1000, onError);
  }

  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for a pass in progress (before the store closes). */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
