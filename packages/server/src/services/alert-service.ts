import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { notFound } from '../errors.ts';
import { AlertHistoryRepository, type AlertHistoryRow } from '../repositories/alert-history-repository.ts';
import { type AlertFilter, type AlertRow, AlertsRepository } from '../repositories/alerts-repository.ts';
import { type CommentRow, CommentsRepository } from '../repositories/comments-repository.ts';
import {
  DetectionEventsRepository,
  type StoredEventRow,
} from '../repositories/detection-events-repository.ts';
import { type Device, DevicesRepository } from '../repositories/devices-repository.ts';
import { RulesRepository, type RuleVersionRow } from '../repositories/rules-repository.ts';

/** An alert with what it points at: matched events, the rule version that fired, the device, history and comments. */
export interface AlertDetail {
  alert: AlertRow;
  events: StoredEventRow[];
  ruleVersion: RuleVersionRow | undefined;
  device: Device | undefined;
  history: AlertHistoryRow[];
  comments: CommentRow[];
}

/** Comments shown inline in the detail; more come from `/alerts/:id/comments`. */
const DETAIL_COMMENTS = 200;

/** Reading alerts (the triage issue adds the lifecycle on top). */
export class AlertService {
  private readonly alerts: AlertsRepository;
  private readonly events: DetectionEventsRepository;
  private readonly rules: RulesRepository;
  private readonly devices: DevicesRepository;
  private readonly history: AlertHistoryRepository;
  private readonly comments: CommentsRepository;

  constructor(database: HarrierDatabase) {
    this.devices = new DevicesRepository(database.db);
    this.history = new AlertHistoryRepository(database.db);
    this.comments = new CommentsRepository(database.db);
    this.alerts = new AlertsRepository(database.db);
    this.events = new DetectionEventsRepository(database.db);
    this.rules = new RulesRepository(database.db);
  }

  list(filter: AlertFilter): Promise<AlertRow[]> {
    return this.alerts.list(filter);
  }

  counts(filter: Omit<AlertFilter, 'limit'>) {
    return this.alerts.counts(filter);
  }

  async get(orgId: string, id: string): Promise<AlertDetail> {
    const alert = await this.alerts.findById(orgId, id);
    if (!alert) throw notFound('alert_not_found', 'No such alert.');
    const ids = readJson<string[]>(alert.matched_event_ids, []);
    const rows = await this.events.byIds(orgId, ids);
    const order = new Map(ids.map((x, i) => [x, i]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    const ruleVersion =
      alert.rule_id !== null && alert.rule_version !== null
        ? await this.rules.version(orgId, alert.rule_id, alert.rule_version)
        : undefined;
    const device =
      alert.device_id !== null ? await this.devices.findInOrg(orgId, alert.device_id) : undefined;
    const history = await this.history.list(orgId, id);
    const comments = await this.comments.list({ orgId, type: 'alert', id }, { limit: DETAIL_COMMENTS });
    return { alert, events: rows, ruleVersion, device, history, comments };
  }
}
