import { readJson } from '../db/json-column.ts';
import type { SuppressionRow } from '../repositories/suppressions-repository.ts';
import { isoTime } from './time.ts';

/** A suppression with what it held back so far. */
export function presentSuppression(s: SuppressionRow) {
  return {
    id: s.id,
    rule_id: s.rule_uid,
    conditions: readJson<Record<string, unknown>>(s.conditions, {}),
    reason: s.reason,
    author_id: s.author_id,
    expires_at: isoTime(s.expires_at),
    expired: s.expires_at !== null && Number(s.expires_at) <= Date.now(),
    suppressed_count: s.suppressed_count,
    last_suppressed_at: isoTime(s.last_suppressed_at),
    created_at: isoTime(s.created_at),
    updated_at: isoTime(s.updated_at),
  };
}
