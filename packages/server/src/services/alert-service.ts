import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { notFound } from '../errors.ts';
import { type AlertFilter, type AlertRow, AlertsRepository } from '../repositories/alerts-repository.ts';
import {
  DetectionEventsRepository,
  type StoredEventRow,
} from '../repositories/detection-events-repository.ts';
import { RulesRepository, type RuleVersionRow } from '../repositories/rules-repository.ts';

/** An alert with what it points at: its matched events and the rule version that fired. */
export interface AlertDetail {
  alert: AlertRow;
  events: StoredEventRow[];
  ruleVersion: RuleVersionRow | undefined;
}

/** Reading alerts (the triage issue adds the lifecycle on top). */
export class AlertService {
  private readonly alerts: AlertsRepository;
  private readonly events: DetectionEventsRepository;
  private readonly rules: RulesRepository;

  constructor(database: HarrierDatabase) {
    this.alerts = new AlertsRepository(database.db);
    this.events = new DetectionEventsRepository(database.db);
    this.rules = new RulesRepository(database.db);
  }

  list(filter: AlertFilter): Promise<AlertRow[]> {
    return this.alerts.list(filter);
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
    return { alert, events: rows, ruleVersion };
  }
}
