import { readJson } from '../db/json-column.ts';
import type { AlertHistoryRow } from '../repositories/alert-history-repository.ts';
import type { AlertRow } from '../repositories/alerts-repository.ts';
import type { StoredEventRow } from '../repositories/detection-events-repository.ts';
import type { AlertDetail } from '../services/alert-service.ts';
import { presentComment } from './comment-presenter.ts';
import { presentRuleVersion } from './rule-presenter.ts';
import { isoTime } from './time.ts';

/** An alert as lists show it. */
export function presentAlert(a: AlertRow) {
  return {
    id: a.id,
    title: a.title,
    severity: a.severity,
    status: a.status,
    kind: a.kind,
    rule: { id: a.rule_id, rule_id: a.rule_uid, title: a.rule_title, version: a.rule_version },
    device_id: a.device_id,
    group_key: a.group_key,
    first_seen: isoTime(a.first_seen),
    last_seen: isoTime(a.last_seen),
    count: a.count,
    matched_event_ids: readJson<string[]>(a.matched_event_ids, []),
    mitre: {
      techniques: readJson<string[]>(a.mitre_techniques, []),
      tactics: readJson<string[]>(a.mitre_tactics, []),
    },
    details: readJson<Record<string, unknown>>(a.details, {}),
    assignee: { user_id: a.assignee_user_id ?? null, group_id: a.assignee_group_id ?? null },
    escalation_level: Number(a.escalation_level ?? 0),
    conclusion: a.conclusion ?? null,
    status_changed_at: isoTime(a.status_changed_at),
    created_at: isoTime(a.created_at),
    updated_at: isoTime(a.updated_at),
  };
}

/** One entry of an alert's history: a status change, assignment, escalation or recorded action. */
export function presentAlertHistory(h: AlertHistoryRow) {
  return {
    id: h.id,
    action: h.action,
    actor_id: h.actor_id,
    from_status: h.from_status,
    to_status: h.to_status,
    reason: h.reason,
    details: readJson<Record<string, unknown>>(h.details, {}),
    at: isoTime(h.created_at),
  };
}

/** A stored event as the alert detail shows it. */
export function presentMatchedEvent(e: StoredEventRow) {
  const logsource: Record<string, string> = {};
  if (e.product !== null) logsource.product = e.product;
  if (e.category !== null) logsource.category = e.category;
  if (e.service !== null) logsource.service = e.service;
  return {
    id: e.id,
    device_id: e.device_id,
    ts: isoTime(Number(e.ts)),
    received_at: isoTime(Number(e.received_at)),
    source: e.source,
    logsource,
    severity: e.severity,
    title: e.title,
    fields: readJson<Record<string, unknown>>(e.fields, {}),
  };
}

/** An alert with its matched events and the rule version that fired. */
export function presentAlertDetail(d: AlertDetail) {
  return {
    ...presentAlert(d.alert),
    events: d.events.map(presentMatchedEvent),
    rule_version: d.ruleVersion ? presentRuleVersion(d.ruleVersion) : null,
    device: d.device
      ? {
          id: d.device.id,
          hostname: d.device.hostname,
          display_name: d.device.display_name,
          os_name: d.device.os_name,
          ip_address: d.device.ip_address,
          last_seen_at: isoTime(d.device.last_seen_at),
        }
      : null,
    history: d.history.map(presentAlertHistory),
    comments: d.comments.map(presentComment),
  };
}
