import { readJson } from '../db/json-column.ts';
import type { AssignmentRow, PolicyRow, PolicyVersionRow } from '../repositories/policies-repository.ts';
import { isoTime } from './time.ts';

/** A policy with its current document. */
export function presentPolicy(p: PolicyRow) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    enabled: p.enabled === 1,
    version: p.version,
    document: readJson<Record<string, unknown>>(p.document, {}),
    created_by: p.created_by,
    created_at: isoTime(p.created_at),
    updated_at: isoTime(p.updated_at),
  };
}

/** One stored version of a policy's document. */
export function presentPolicyVersion(v: PolicyVersionRow) {
  return {
    version: v.version,
    document: readJson<Record<string, unknown>>(v.document, {}),
    created_by: v.created_by,
    created_at: isoTime(v.created_at),
  };
}

/** A policy assignment. */
export function presentAssignment(a: AssignmentRow) {
  return {
    id: a.id,
    policy_id: a.policy_id,
    target_type: a.target_type,
    target_id: a.target_id,
    priority: a.priority,
    status: a.status,
    created_at: isoTime(a.created_at),
    updated_at: isoTime(a.updated_at),
  };
}
