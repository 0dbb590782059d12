import type { IocFeedService } from '../services/ioc-feed-service.ts';
import { PeriodicPass } from './periodic-pass.ts';

/**
 * Fetches the indicator feeds every `intervalSeconds` (HARRIER_IOC_FEED_INTERVAL; 0, the
 * default, never). A pass never overlaps the previous one; failures are stored on each feed.
 */
export class IocFeedJob {
  private readonly loop: PeriodicPass;

  constructor(
    feeds: IocFeedService,
    private readonly intervalSeconds: number,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.loop = new PeriodicPass(() => feeds.runAll(), intervalSeconds * 1000, onError);
  }

  start(): void {
    if (this.intervalSeconds > 0) this.loop.start();
  }

  /** Stops ticking and waits for a pass in progress (before the store closes). */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
