import type { DomainEventBus } from '../bus/domain-events.ts';
import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AttachmentStore } from './attachment-store.ts';
import { AutoCaseRule } from './auto-case-rule.ts';
import { CaseAttachmentService } from './case-attachment-service.ts';
import { CaseService } from './case-service.ts';
import { HandoverService } from './handover-service.ts';
import type { Mailer } from './smtp-mailer.ts';
import { WorkplanService } from './workplan-service.ts';

/** Case work: cases and their war room, attachments, automatic cases, workplans, handovers. */
export interface CaseServices {
  cases: CaseService;
  attachments: CaseAttachmentService;
  autoCases: AutoCaseRule;
  workplans: WorkplanService;
  handovers: HandoverService;
}

/** Wires the case-work services over an open store. */
export function createCaseServices(
  config: Config,
  database: HarrierDatabase,
  domainEvents: DomainEventBus,
  mailer: Mailer,
): CaseServices {
  const cases = new CaseService(database, domainEvents);
  return {
    cases,
    attachments: new CaseAttachmentService(
      cases,
      new AttachmentStore(config.attachmentDir),
      config.attachmentMaxBytes,
    ),
    autoCases: new AutoCaseRule(cases, config.autoCaseMinSeverity),
    workplans: new WorkplanService(database),
    handovers: new HandoverService(database, mailer),
  };
}
