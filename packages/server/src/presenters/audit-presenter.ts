import { readJson } from '../db/json-column.ts';
import type { AuditRecord } from '../repositories/audit-log-repository.ts';
import { isoTime } from './time.ts';

/** One audit record as `GET /api/v1/audit` returns it. */
export function presentAuditRecord(r: AuditRecord) {
  return {
    id: r.id,
    time: isoTime(r.created_at)!,
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    outcome: r.outcome,
    status_code: r.status_code,
    method: r.method,
    path: r.path,
    client_address: r.ip,
    user_agent: r.user_agent,
    details: readJson<Record<string, unknown>>(r.details, {}),
  };
}
