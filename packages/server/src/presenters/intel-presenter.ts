import type { IocFeedRow } from '../repositories/ioc-feeds-repository.ts';
import type { IocRow } from '../repositories/ioc-repository.ts';
import { isoTime } from './time.ts';

/** A network indicator as an agent applies it (signed `GET /api/v1/agents/iocs`). */
export function presentAgentIndicator(i: IocRow) {
  return {
    id: i.id,
    type: i.type,
    value: i.value,
    severity: i.severity,
    expires_at: isoTime(i.expires_at),
  };
}

/** Seed 004's Indicator as `GET /agent/iocs` lists it; ranges are its `ip` type too. */
export function presentSeedIndicator(i: IocRow) {
  return {
    id: i.id,
    type: i.type === 'cidr' ? 'ip' : i.type,
    value: i.value,
    description: i.description,
    severity: i.severity,
    source: i.source,
    status: 'active',
    created_at: isoTime(i.created_at),
    updated_at: isoTime(i.updated_at),
  };
}

/** An indicator feed and the outcome of its last fetch. */
export function presentIocFeed(f: IocFeedRow) {
  return {
    id: f.id,
    name: f.name,
    url: f.url,
    format: f.format,
    severity: f.severity,
    enabled: f.enabled === 1,
    last_fetched_at: isoTime(f.last_fetched_at),
    last_status: f.last_status,
    last_error: f.last_error,
    last_imported: f.last_imported,
    created_at: isoTime(f.created_at),
    updated_at: isoTime(f.updated_at),
  };
}
