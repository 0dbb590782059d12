/**
 * The loop every scheduled job shares: a pass now (unless told otherwise), then
 * one every `intervalMs` (0: none after the first), never two at once — a tick
 * that finds the previous pass still running is skipped — and failures
 * reported, never thrown, so one bad pass does not stop the schedule.
 */
export class PeriodicPass {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Starts the schedule; `first` replaces the first pass (a fuller pass at start), `false` skips it. */
  start(first: (() => Promise<unknown>) | false = this.pass): void {
    if (this.timer || this.stopped) return;
    if (first) this.run(first);
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => this.run(this.pass), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Runs a pass now unless one is running (tests and on-demand triggers). */
  run(pass: () => Promise<unknown> = this.pass): void {
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
