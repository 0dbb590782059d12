import type { Organization } from '../repositories/organizations-repository.ts';
import { isoTime } from './time.ts';

/** An organization as instance administrators see it. */
export function presentOrganization(o: Organization) {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    ingest_rate_limit_per_minute: o.ingest_rate_limit_per_minute,
    response_enabled: o.response_enabled === 1,
    created_at: isoTime(o.created_at)!,
  };
}
