import type { DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AnalysisService } from './analysis-service.ts';
import type { DetectionServices } from './detection.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { SoftwareInventoryService } from './software-inventory-service.ts';
import { VulnerabilityService } from './vulnerability-service.ts';

/** Exposure: software inventory, vulnerabilities (OSV, KEV) and static file and e-mail analysis. */
export interface ExposureServices {
  inventory: SoftwareInventoryService;
  vulnerabilities: VulnerabilityService;
  analysis: AnalysisService;
}

/** Builds the exposure services; the agent's software events keep inventories current. */
export function createExposureServices(
  database: HarrierDatabase,
  pipeline: EventPipeline,
  detection: DetectionServices,
  domainEvents: DomainEventBus,
): ExposureServices {
  const vulnerabilities = new VulnerabilityService(database);
  const inventory = new SoftwareInventoryService(database, vulnerabilities);
  pipeline.subscribe((events) => inventory.applyEvents(events));
  return {
    inventory,
    vulnerabilities,
    analysis: new AnalysisService(database, detection.iocs, domainEvents),
  };
}
