import type { DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AlertTriageService } from './alert-triage-service.ts';
import { WorkGroupService } from './work-group-service.ts';

/** Alert triage: lifecycle, assignment, escalation, comments; and work groups. */
export interface TriageServices {
  alerts: AlertTriageService;
  workGroups: WorkGroupService;
}

export function createTriageServices(
  database: HarrierDatabase,
  domainEvents: DomainEventBus,
): TriageServices {
  return {
    alerts: new AlertTriageService(database, domainEvents),
    workGroups: new WorkGroupService(database),
  };
}
