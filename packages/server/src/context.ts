import { DomainEventBus } from './bus/domain-events.ts';
import type { Config } from './config.ts';
import type { HarrierDatabase } from './db/database.ts';
import { createMetrics, type HarrierMetrics } from './metrics.ts';
import { DevicesRepository } from './repositories/devices-repository.ts';
import { OrganizationsRepository } from './repositories/organizations-repository.ts';
import { AgentKeyService } from './services/agent-key-service.ts';
import { type CaseServices, createCaseServices } from './services/cases.ts';
import { createDetectionServices, type DetectionServices } from './services/detection.ts';
import { EnrollmentService } from './services/enrollment-service.ts';
import { EventPipeline } from './services/event-pipeline.ts';
import { createExposureServices, type ExposureServices } from './services/exposure.ts';
import { HeartbeatService } from './services/heartbeat-service.ts';
import { createHuntingServices, type HuntingServices } from './services/hunting.ts';
import { createIdentityServices, type IdentityServices } from './services/identity.ts';
import { InsightQueryService } from './services/insight-query-service.ts';
import { InsightService } from './services/insight-service.ts';
import { createIntelServices, type IntelServices } from './services/intel.ts';
import { createManagementServices, type ManagementServices } from './services/management.ts';
import { NativeIngestService } from './services/native-ingest-service.ts';
import { createNotificationServices, type NotificationServices } from './services/notifications.ts';
import { SantamonService } from './services/santamon-service.ts';
import { Sec44IngestService } from './services/sec44-ingest-service.ts';
import { ShipperIngestService } from './services/shipper-ingest-service.ts';
import { createMailer, type Mailer } from './services/smtp-mailer.ts';
import { createTriageServices, type TriageServices } from './services/triage.ts';

/** Everything a request handler may use, built once per running app. */
export interface AppContext {
  config: Config;
  database: HarrierDatabase;
  serverSecret: string;
  metrics: HarrierMetrics;
  pipeline: EventPipeline;
  /** Committed changes to alerts, cases and devices: live feed, notifications, automatic cases. */
  domainEvents: DomainEventBus;
  devices: DevicesRepository;
  organizations: OrganizationsRepository;
  enrollment: EnrollmentService;
  nativeIngest: NativeIngestService;
  heartbeats: HeartbeatService;
  agentKeys: AgentKeyService;
  santamon: SantamonService;
  sec44: Sec44IngestService;
  /** Log shippers: ES bulk, syslog-ng http(), journal-upload, syslog listeners. */
  shipperIngest: ShipperIngestService;
  /** Users, sessions, API tokens, audit log, organizations, agent credentials. */
  identity: IdentityServices;
  /** Detection on committed events; rules, suppressions, IOC lists and alert reads. */
  detection: DetectionServices;
  /** Software inventory, vulnerabilities (OSV, KEV), file and e-mail analysis. */
  exposure: ExposureServices;
  /** Indicator feeds and the threat map (the indicators themselves are detection's). */
  intel: IntelServices;
  /** Hunting, the events explorer, saved and scheduled queries. */
  hunting: HuntingServices;
  /** Fleet, policies and assignments, response actions, detectors, decisions, posture metrics. */
  management: ManagementServices;
  /** Cases and their war room, attachments, automatic cases, workplans, shift handovers. */
  cases: CaseServices;
  /** Alert lifecycle, assignment, escalation, comments; work groups. */
  triage: TriageServices;
  /** Seed 002's insight engine: per device-day aggregates of committed events, risk, insights. */
  insights: InsightService;
  /** Reads of insights and risk (seed 002's API, native API, console). */
  insightQueries: InsightQueryService;
  /** Requests being handled by ingest routes, drained on shutdown. */
  inFlight: { count: number };
  /** Outgoing e-mail (HARRIER_SMTP_URL); without it `send` rejects with 409 smtp_not_configured. */
  mailer: Mailer & { close?(): void };
  /** Webhook and e-mail destinations, the delivery queue and its worker, device status changes. */
  notifications: NotificationServices;
}

/** Wires repositories and services over an open, migrated database. */
export function createContext(config: Config, database: HarrierDatabase, serverSecret: string): AppContext {
  const metrics = createMetrics(() => database.writer.depth());
  const pipeline = new EventPipeline((error) => {
    console.error(JSON.stringify({ level: 'error', msg: 'event listener failed', err: String(error) }));
  }, config.maxPendingEvents);
  const domainEvents = new DomainEventBus((error) => {
    console.error(
      JSON.stringify({ level: 'error', msg: 'domain event listener failed', err: String(error) }),
    );
  });
  const agentKeys = new AgentKeyService(database, serverSecret);
  const detection = createDetectionServices(config, database, pipeline, domainEvents);
  const insights = new InsightService(database);
  pipeline.subscribe((events) => insights.onCommitted(events));
  const mailer = createMailer(config.smtp);
  return {
    config,
    database,
    serverSecret,
    metrics,
    pipeline,
    domainEvents,
    devices: new DevicesRepository(database.db),
    organizations: new OrganizationsRepository(database.db),
    enrollment: new EnrollmentService(database, serverSecret),
    nativeIngest: new NativeIngestService(database.writer, pipeline, config.maxBatchEvents),
    heartbeats: new HeartbeatService(database.writer),
    agentKeys,
    santamon: new SantamonService(database, agentKeys, pipeline),
    sec44: new Sec44IngestService(database, agentKeys, pipeline, metrics),
    shipperIngest: new ShipperIngestService(database.writer, pipeline, agentKeys, config.maxBatchEvents),
    identity: createIdentityServices(database, serverSecret),
    detection,
    exposure: createExposureServices(database, pipeline, detection, domainEvents),
    intel: createIntelServices(config, database, pipeline, detection),
    hunting: createHuntingServices(database),
    management: createManagementServices(config, database),
    cases: createCaseServices(config, database, domainEvents, mailer),
    triage: createTriageServices(database, domainEvents, pipeline),
    insights,
    insightQueries: new InsightQueryService(database.db, insights.repo),
    inFlight: { count: 0 },
    mailer,
    notifications: createNotificationServices(config, database, domainEvents, mailer, serverSecret, {
      registry: metrics.registry,
    }),
  };
}
