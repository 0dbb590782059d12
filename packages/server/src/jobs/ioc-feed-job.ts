import type { IocFeedService } from '../services/ioc-feed-service.ts';

/**
 * Fetches the indicator feeds every `intervalSeconds` (HARRIER_IOC_FEED_INTERVAL; 0, the
 * default, never). A pass never overlaps the previous one; failures are stored on each feed.
 */
export class IocFeedJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly feeds: IocFeedService,
    private readonly intervalSeconds: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.stopped || this.intervalSeconds <= 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.feeds
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
