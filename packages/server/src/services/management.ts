import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { DecisionsRepository } from '../repositories/decisions-repository.ts';
import { DetectorConfigsRepository } from '../repositories/detector-configs-repository.ts';
import { DeviceGroupsRepository } from '../repositories/device-groups-repository.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import { FleetRepository } from '../repositories/fleet-repository.ts';
import { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { PoliciesRepository } from '../repositories/policies-repository.ts';
import { PostureRepository } from '../repositories/posture-repository.ts';
import { ResponseActionsRepository } from '../repositories/response-actions-repository.ts';
import { DecisionService } from './decision-service.ts';
import { DetectorService } from './detector-service.ts';
import { ExportService } from './export-service.ts';
import { FleetService } from './fleet-service.ts';
import { PolicyService } from './policy-service.ts';
import { PostureService } from './posture-service.ts';
import { ResponseService } from './response-service.ts';

/** The management plane: fleet, policies, response, detectors and exports, decisions, posture. */
export interface ManagementServices {
  fleet: FleetService;
  policies: PolicyService;
  responses: ResponseService;
  detectors: DetectorService;
  exports: ExportService;
  decisions: DecisionService;
  posture: PostureService;
}

/** Wires the management services over an open store. */
export function createManagementServices(config: Config, database: HarrierDatabase): ManagementServices {
  const db = database.db;
  const fleetRepo = new FleetRepository(db, database.dialect);
  const groups = new DeviceGroupsRepository(db);
  const organizations = new OrganizationsRepository(db);
  const policiesRepo = new PoliciesRepository(db);
  const fleet = new FleetService(fleetRepo, groups, new DevicesRepository(db), config.offlineAfterSeconds);
  const policies = new PolicyService(policiesRepo, fleetRepo, groups, organizations);
  const responses = new ResponseService(new ResponseActionsRepository(db), organizations, fleet, policies);
  const detectors = new DetectorService(new DetectorConfigsRepository(db), policiesRepo);
  return {
    fleet,
    policies,
    responses,
    detectors,
    exports: new ExportService(detectors),
    decisions: new DecisionService(new DecisionsRepository(db), responses),
    posture: new PostureService(new PostureRepository(db), config.offlineAfterSeconds),
  };
}
