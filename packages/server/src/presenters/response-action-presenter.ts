import { readJson } from '../db/json-column.ts';
import type { ResponseActionRow } from '../repositories/response-actions-repository.ts';
import { isoTime } from './time.ts';

/** A response action as the console and API see it. */
export function presentAction(a: ResponseActionRow) {
  return {
    id: a.id,
    device_id: a.device_id,
    type: a.type,
    params: readJson<Record<string, unknown>>(a.params, {}),
    status: a.status,
    reason: a.reason,
    requested_by: a.requested_by,
    decision_id: a.decision_id,
    created_at: isoTime(a.created_at),
    expires_at: isoTime(a.expires_at),
    delivered_at: isoTime(a.delivered_at),
    completed_at: isoTime(a.completed_at),
    result: readJson<unknown>(a.result, null),
    error: a.error,
  };
}

/** A response action as its agent receives it (`AgentAction` of packages/agent). */
export function presentAgentAction(a: ResponseActionRow) {
  return {
    id: a.id,
    type: a.type,
    params: readJson<Record<string, unknown>>(a.params, {}),
    created_at: isoTime(a.created_at),
    expires_at: isoTime(a.expires_at),
  };
}
