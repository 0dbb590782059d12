import { parseSeverity, type Severity, severityAtLeast } from '@harrier/schema';
import type { DomainEvent, DomainEventBus } from '../bus/domain-events.ts';
import type { CaseService } from './case-service.ts';

/**
 * Opens a case for each new alert at or above `minSeverity`
 * (HARRIER_AUTO_CASE_MIN_SEVERITY, seed 004's INCIDENT_AUTO_CREATE_MIN_SEVERITY).
 * The alert's id is unique among automatic cases, so an alert announced twice
 * (a retry, two API processes behind the bus bridge) still gets one case.
 */
export class AutoCaseRule {
  constructor(
    private readonly cases: CaseService,
    private readonly minSeverity: Severity | null,
  ) {}

  /** Subscribes to the bus; returns the unsubscribe function (none when the rule is off). */
  start(bus: DomainEventBus): () => void {
    if (this.minSeverity === null) return () => {};
    return bus.subscribe((event) => this.handle(event));
  }

  async handle(event: DomainEvent): Promise<void> {
    // Every process runs this rule; the one that raised the alert acts on it (the others hear it
    // again through the bus bridge). The unique index would absorb a second attempt anyway.
    if (this.minSeverity === null || event.type !== 'alert.created' || event.remote) return;
    const severity = parseSeverity(event.data.severity);
    if (!severity || !severityAtLeast(severity, this.minSeverity)) return;
    await this.cases.openForAlert(event.orgId, event.subjectId);
  }
}
