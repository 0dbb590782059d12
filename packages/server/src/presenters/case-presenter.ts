import { readJson } from '../db/json-column.ts';
import type { CaseAttachmentRow } from '../repositories/case-attachments-repository.ts';
import type { CaseRow, LinkedAlert } from '../repositories/cases-repository.ts';
import type { CaseDetail, WarRoomEntry } from '../services/case-service.ts';
import { CASE_TRANSITIONS, type CaseStatus } from '../services/case-transitions.ts';
import { isoTime } from './time.ts';

type Names = ReadonlyMap<string, string>;
const nameOf = (names: Names, id: string | null) => (id === null ? null : (names.get(id) ?? null));

/** A case as lists show it. */
export function presentCase(c: CaseRow, names: Names = new Map()) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    severity: c.severity,
    status: c.status,
    /** Where the lifecycle allows the case to go from here (the console offers only these). */
    next_statuses: CASE_TRANSITIONS[c.status as CaseStatus] ?? [],
    owner_id: c.owner_id,
    owner_name: nameOf(names, c.owner_id),
    tags: readJson<string[]>(c.tags, []),
    source: c.source,
    origin_alert_id: c.origin_alert_id,
    created_by: c.created_by,
    created_at: isoTime(c.created_at),
    updated_at: isoTime(c.updated_at),
    closed_at: isoTime(c.closed_at),
  };
}

export function presentLinkedAlert(a: LinkedAlert) {
  return {
    id: a.id,
    title: a.title,
    severity: a.severity,
    status: a.status,
    device_id: a.device_id,
    linked_by: a.linked_by,
    linked_at: isoTime(a.linked_at),
  };
}

export function presentAttachment(a: CaseAttachmentRow) {
  return {
    id: a.id,
    case_id: a.case_id,
    filename: a.filename,
    content_type: a.content_type,
    size: Number(a.size),
    sha256: a.sha256,
    uploaded_by: a.uploaded_by,
    created_at: isoTime(a.created_at),
  };
}

/** A case with its linked alerts and attachments. */
export function presentCaseDetail(d: CaseDetail, names: Names = new Map()) {
  return {
    ...presentCase(d.case, names),
    alerts: d.alerts.map(presentLinkedAlert),
    attachments: d.attachments.map(presentAttachment),
  };
}

/** One war-room entry, notes and recorded changes in one shape: kind, who, when, what. */
export function presentWarRoomEntry(e: WarRoomEntry, names: Names = new Map()) {
  if (e.kind === 'note') {
    const n = e.row;
    return {
      id: n.id,
      kind: 'note',
      actor_id: n.author_id,
      actor_name: nameOf(names, n.author_id),
      body: n.body,
      data: {},
      created_at: isoTime(n.created_at),
    };
  }
  const r = e.row;
  return {
    id: r.id,
    kind: r.kind,
    actor_id: r.actor_id,
    actor_name: nameOf(names, r.actor_id),
    body: r.body,
    data: readJson<Record<string, unknown>>(r.data, {}),
    created_at: isoTime(r.created_at),
  };
}
