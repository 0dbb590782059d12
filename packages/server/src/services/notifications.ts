import { parseSeverity } from '@harrier/schema';
import { Counter, type Registry } from 'prom-client';
import type { DomainEventBus } from '../bus/domain-events.ts';
import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { DeviceStatusJob } from '../jobs/device-status-job.ts';
import { AlertsRepository } from '../repositories/alerts-repository.ts';
import { DevicePresenceRepository } from '../repositories/device-presence-repository.ts';
import { NotificationDeliveriesRepository } from '../repositories/notification-deliveries-repository.ts';
import { NotificationDestinationsRepository } from '../repositories/notification-destinations-repository.ts';
import { NotificationRecipientsRepository } from '../repositories/notification-recipients-repository.ts';
import { NotificationDeliveryWorker, type RetryPolicy } from './notification-delivery-worker.ts';
import { NotificationDispatcher } from './notification-dispatcher.ts';
import { NotificationService } from './notification-service.ts';
import type { Mailer } from './smtp-mailer.ts';

export interface NotificationServices {
  service: NotificationService;
  dispatcher: NotificationDispatcher;
  worker: NotificationDeliveryWorker;
  deviceStatus: DeviceStatusJob;
  /**
   * Subscribes to the domain events (every process queues the deliveries of the events it
   * publishes) and starts the delivery worker; the device status job only where asked (one
   * kind of process runs it, so a change is announced once per process of that kind).
   */
  start(options?: { deviceStatus?: boolean }): void;
  /** Stops them (before the store closes). */
  stop(): Promise<void>;
}

/** Webhooks, e-mail notifications, the durable delivery queue and device status changes. */
export function createNotificationServices(
  config: Config,
  database: HarrierDatabase,
  bus: DomainEventBus,
  mailer: Mailer,
  serverSecret: string,
  options: { retry?: RetryPolicy; registry?: Registry } = {},
): NotificationServices {
  const attempts = new Counter({
    name: 'harrier_notification_attempts_total',
    help: 'Webhook and e-mail delivery attempts by channel and outcome (delivered, retry, failed).',
    labelNames: ['channel', 'outcome'],
    registers: options.registry ? [options.registry] : [],
  });
  const report = (msg: string) => (error: unknown) =>
    console.error(JSON.stringify({ level: 'error', msg, err: String(error) }));
  const destinations = new NotificationDestinationsRepository(database.db);
  const deliveries = new NotificationDeliveriesRepository(database.db);
  const alerts = new AlertsRepository(database.db);
  const recipients = new NotificationRecipientsRepository(database.db);
  const worker = new NotificationDeliveryWorker({
    deliveries,
    destinations,
    mailer,
    serverSecret,
    allowPrivate: config.webhookAllowPrivate,
    ...(options.retry ? { retry: options.retry } : {}),
    onError: report('notification delivery pass failed'),
    onAttempt: (channel, outcome) => attempts.inc({ channel, outcome }),
  });
  const dispatcher = new NotificationDispatcher({
    destinations,
    deliveries,
    alertSeverity: async (orgId, id) => parseSeverity((await alerts.findById(orgId, id))?.severity),
    userEmail: (orgId, id) => recipients.userEmail(orgId, id),
    groupEmails: (orgId, id) => recipients.groupEmails(orgId, id),
    queued: () => worker.wake(),
  });
  const deviceStatus = new DeviceStatusJob(
    new DevicePresenceRepository(database.db),
    bus,
    config.offlineAfterSeconds,
    Math.max(5_000, Math.min(30_000, (config.offlineAfterSeconds * 1000) / 4)),
    report('device status pass failed'),
  );
  let unsubscribe: (() => void) | undefined;
  return {
    service: new NotificationService(
      destinations,
      deliveries,
      worker,
      serverSecret,
      config.webhookAllowPrivate,
    ),
    dispatcher,
    worker,
    deviceStatus,
    start(options = {}) {
      unsubscribe ??= dispatcher.subscribe(bus);
      worker.start();
      if (options.deviceStatus ?? true) deviceStatus.start();
    },
    async stop() {
      unsubscribe?.();
      await deviceStatus.stop();
      await worker.stop();
    },
  };
}
