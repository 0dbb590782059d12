import type { DomainEventBus } from '../bus/domain-events.ts';
import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AlertService } from './alert-service.ts';
import { DetectionService } from './detection-service.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { IocService } from './ioc-service.ts';
import { RuleService } from './rule-service.ts';
import { SuppressionService } from './suppression-service.ts';

/** Detection and what manages it: the pipeline subscriber, rules, suppressions, IOC lists, alert reads. */
export interface DetectionServices {
  engine: DetectionService;
  rules: RuleService;
  suppressions: SuppressionService;
  iocs: IocService;
  alerts: AlertService;
}

/** Builds the detection services and subscribes detection to the pipeline. */
export function createDetectionServices(
  config: Config,
  database: HarrierDatabase,
  pipeline: EventPipeline,
  domainEvents?: DomainEventBus,
): DetectionServices {
  const engine = new DetectionService(
    database,
    { promoteAtSeverity: config.alertMinEventSeverity },
    domainEvents,
  );
  engine.attach(pipeline);
  return {
    engine,
    rules: new RuleService(database, engine),
    suppressions: new SuppressionService(database, engine),
    iocs: new IocService(database, engine),
    alerts: new AlertService(database),
  };
}
