import type { WorkGroup } from '../services/work-group-service.ts';
import { isoTime } from './time.ts';

export function presentWorkGroup(g: WorkGroup) {
  return {
    id: g.row.id,
    name: g.row.name,
    description: g.row.description,
    lead_user_id: g.row.lead_user_id,
    member_ids: g.memberIds,
    created_at: isoTime(g.row.created_at),
    updated_at: isoTime(g.row.updated_at),
  };
}
