import type { HarrierDatabase } from '../db/database.ts';
import { ScheduledQueriesJob } from '../jobs/scheduled-queries-job.ts';
import { EventsRepository } from '../repositories/events-repository.ts';
import { DEFAULT_HUNT_LIMITS, type HuntLimits, HuntService } from './hunt-service.ts';
import { SavedQueryService } from './saved-query-service.ts';
import { ScheduledQueryAlerts } from './scheduled-query-alerts.ts';

/** Hunting, the events explorer, saved and scheduled queries (issue 9). */
export interface HuntingServices {
  hunts: HuntService;
  savedQueries: SavedQueryService;
  events: EventsRepository;
  /** Runs scheduled queries; the runtime starts and stops it. */
  scheduler: ScheduledQueriesJob;
}

/** Wires the hunting services over an open, migrated store. */
export function createHuntingServices(
  database: HarrierDatabase,
  limits: HuntLimits = DEFAULT_HUNT_LIMITS,
): HuntingServices {
  const hunts = new HuntService(database, limits);
  const savedQueries = new SavedQueryService(database, hunts);
  return {
    hunts,
    savedQueries,
    events: new EventsRepository(database.db),
    scheduler: new ScheduledQueriesJob(savedQueries.repo, hunts, new ScheduledQueryAlerts(database), {
      tickMs: 15_000,
      batch: 20,
      onError: (error) => {
        console.error(JSON.stringify({ level: 'error', msg: 'scheduled query failed', err: String(error) }));
      },
    }),
  };
}
