import type { DecisionService } from '../services/decision-service.ts';

/**
 * Runs the decision engine: one pass at start, then every `intervalSeconds`
 * (0: at start only, as seed 000's `DECISION_ENGINE_INTERVAL`). A pass never
 * overlaps the previous one; errors are reported, not thrown (seed 000 swallowed them).
 */
export class DecisionEngineJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly decisions: DecisionService,
    private readonly intervalSeconds: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.tick();
    if (this.intervalSeconds > 0) {
      this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
      this.timer.unref();
    }
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.decisions
      .runAll()
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
