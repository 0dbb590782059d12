import { readJson } from '../db/json-column.ts';
import type { CaseRow } from '../repositories/cases-repository.ts';
import { isoTime } from './time.ts';

/** Seed 004's Incident over a case: `assigned_to` is the owner, items are the linked evidence. */
export function presentSeed004Incident(
  c: CaseRow,
  items: ReadonlyArray<{ kind: string; ref_id: string; at: number }>,
) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    severity: c.severity === 'informational' ? 'low' : c.severity,
    status: c.status,
    assigned_to: c.owner_id,
    tags: readJson<string[]>(c.tags, []),
    created_by: c.created_by,
    created_at: isoTime(c.created_at),
    updated_at: isoTime(c.updated_at),
    items: items.map((i) => ({ kind: i.kind, ref_id: i.ref_id, created_at: isoTime(i.at) })),
  };
}
