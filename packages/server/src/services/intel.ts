import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { IocFeedJob } from '../jobs/ioc-feed-job.ts';
import type { DetectionServices } from './detection.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { IocFeedService } from './ioc-feed-service.ts';
import { ThreatMapService } from './threat-map-service.ts';

/** Threat intelligence beyond the indicators themselves (detection.iocs): feeds and the threat map. */
export interface IntelServices {
  feeds: IocFeedService;
  /** Started with the app when HARRIER_IOC_FEED_INTERVAL is set (routes/intel-routes.ts). */
  feedJob: IocFeedJob;
  threatMap: ThreatMapService;
}

/** Builds the intelligence services; the threat map follows the committed events. */
export function createIntelServices(
  config: Config,
  database: HarrierDatabase,
  pipeline: EventPipeline,
  detection: DetectionServices,
): IntelServices {
  const feeds = new IocFeedService(database, detection.iocs);
  const threatMap = new ThreatMapService(database);
  threatMap.attach(pipeline);
  return {
    feeds,
    feedJob: new IocFeedJob(feeds, config.iocFeedIntervalSeconds, (error) =>
      console.error(JSON.stringify({ level: 'warn', msg: 'indicator feed pass failed', err: String(error) })),
    ),
    threatMap,
  };
}
