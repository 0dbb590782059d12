import type { DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AlertTriageService } from './alert-triage-service.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { SeedAlertReader } from './seed-alert-reader.ts';
import { Seed003EventService } from './seed003-event-service.ts';
import { WorkGroupService } from './work-group-service.ts';

/** Alert triage: lifecycle, assignment, escalation, comments; and work groups. */
export interface TriageServices {
  alerts: AlertTriageService;
  workGroups: WorkGroupService;
  /** The seeds' alert shapes: numbered pages and each alert's first event. */
  seedAlerts: SeedAlertReader;
  /** Seed 003's `POST /api/events/`. */
  seed003Events: Seed003EventService;
}

export function createTriageServices(
  database: HarrierDatabase,
  domainEvents: DomainEventBus,
  pipeline: EventPipeline,
): TriageServices {
  return {
    alerts: new AlertTriageService(database, domainEvents),
    workGroups: new WorkGroupService(database),
    seedAlerts: new SeedAlertReader(database),
    seed003Events: new Seed003EventService(database.writer, pipeline),
  };
}
