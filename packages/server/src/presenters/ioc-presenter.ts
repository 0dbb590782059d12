import type { IocRow } from '../repositories/ioc-repository.ts';
import { isoTime } from './time.ts';

/** An IOC indicator. */
export function presentIoc(i: IocRow) {
  return {
    id: i.id,
    type: i.type,
    value: i.value,
    severity: i.severity,
    source: i.source,
    description: i.description,
    expires_at: isoTime(i.expires_at),
    active: i.active === 1,
    hit_count: i.hit_count,
    created_by: i.created_by,
    created_at: isoTime(i.created_at),
    updated_at: isoTime(i.updated_at),
  };
}
