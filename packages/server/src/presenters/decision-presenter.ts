import { readJson } from '../db/json-column.ts';
import type { DecisionRow } from '../repositories/decisions-repository.ts';
import { isoTime } from './time.ts';

/** A decision in seed 000's `DecisionOut` shape (`agent_id` is the device), plus our fields. */
export function presentDecision(d: DecisionRow) {
  return {
    id: d.id,
    alert_id: d.alert_id,
    agent_id: d.device_id,
    device_id: d.device_id,
    event_type: d.event_type,
    severity: d.severity,
    score: Number(d.score),
    recommended_action: d.recommended_action,
    priority: Number(d.priority),
    rule: d.rule_name,
    rationale: readJson<Record<string, unknown>>(d.rationale, {}),
    status: d.status,
    action_id: d.action_id,
    decided_by: d.decided_by,
    created_at: isoTime(d.created_at),
    updated_at: isoTime(d.updated_at),
  };
}
