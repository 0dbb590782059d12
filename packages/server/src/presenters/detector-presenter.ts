import { readJson } from '../db/json-column.ts';
import type { DetectorConfigRow } from '../repositories/detector-configs-repository.ts';
import { isoTime } from './time.ts';

/** A detector configuration. */
export function presentDetector(d: DetectorConfigRow) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    params: readJson<Record<string, unknown>>(d.params, {}),
    rule_packs: readJson<string[]>(d.rule_packs, []),
    enabled: d.enabled === 1,
    version: d.version,
    created_at: isoTime(d.created_at),
    updated_at: isoTime(d.updated_at),
  };
}
