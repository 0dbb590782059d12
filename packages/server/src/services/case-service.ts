import { parseSeverity, SEVERITIES, type Severity, severityRank, uuidv7 } from '@harrier/schema';
import type { DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { conflict, HarrierError, notFound, unprocessable } from '../errors.ts';
import {
  type CaseAttachmentRow,
  CaseAttachmentsRepository,
} from '../repositories/case-attachments-repository.ts';
import {
  type CaseFilter,
  type CaseRow,
  CasesRepository,
  type CaseTimelineRow,
  type LinkedAlert,
} from '../repositories/cases-repository.ts';
import { type CommentRow, CommentsRepository } from '../repositories/comments-repository.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import { CASE_TRANSITIONS, type CaseStatus, canTransition } from './case-transitions.ts';
import { requireOrgUser } from './org-user.ts';

export interface CaseInput {
  title?: string | undefined;
  description?: string | null | undefined;
  severity?: string | undefined;
  owner_id?: string | null | undefined;
  tags?: string[] | undefined;
  alert_ids?: string[] | undefined;
}

export interface CaseChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  severity?: string | undefined;
  owner_id?: string | null | undefined;
  tags?: string[] | undefined;
}

/** A case with its linked alerts and attachments (the detail view). */
export interface CaseDetail {
  case: CaseRow;
  alerts: LinkedAlert[];
  attachments: CaseAttachmentRow[];
}

/** One war-room entry: a timeline row, or a note (a comment on the case). */
export type WarRoomEntry = { kind: 'entry'; row: CaseTimelineRow } | { kind: 'note'; row: CommentRow };

/** Cases and their war room: lifecycle, linked alerts and evidence, notes. */
export class CaseService {
  private readonly cases: CasesRepository;
  private readonly comments: CommentsRepository;
  private readonly users: UsersRepository;
  readonly attachments: CaseAttachmentsRepository;

  constructor(
    database: HarrierDatabase,
    private readonly domainEvents: DomainEventBus | undefined,
  ) {
    this.cases = new CasesRepository(database.db);
    this.comments = new CommentsRepository(database.db);
    this.users = new UsersRepository(database.db);
    this.attachments = new CaseAttachmentsRepository(database.db);
  }

  list(filter: CaseFilter): Promise<CaseRow[]> {
    return this.cases.list(filter);
  }

  /** The case or a 404 (also for another organization's case). */
  async get(orgId: string, id: string): Promise<CaseRow> {
    const row = await this.cases.findById(orgId, id);
    if (!row) throw notFound('case_not_found', 'No such case.');
    return row;
  }

  async detail(orgId: string, id: string): Promise<CaseDetail> {
    const row = await this.get(orgId, id);
    const [alerts, attachments] = await Promise.all([
      this.cases.linkedAlerts(orgId, id),
      this.attachments.list(orgId, id),
    ]);
    return { case: row, alerts, attachments };
  }

  /** Opens a case, empty or from alerts (title and severity then default to the alerts'). */
  async create(orgId: string, actorId: string | null, input: CaseInput, now = Date.now()): Promise<CaseRow> {
    const alertIds = [...new Set(input.alert_ids ?? [])];
    const alerts = await this.requireAlerts(orgId, alertIds);
    if (input.owner_id) await this.requireUser(orgId, input.owner_id);
    const first = alerts[0];
    const title = input.title?.trim() || (first ? first.title : '');
    if (!title) throw unprocessable('title_required', 'A case without alerts needs a title.');
    const severity =
      input.severity !== undefined
        ? this.severity(input.severity)
        : alerts.reduce<Severity>(
            (max, a) => (severityRank(a.severity) > severityRank(max) ? a.severity : max),
            alerts.length > 0 ? 'informational' : 'medium',
          );
    const row = this.newCase(orgId, actorId, now, {
      title,
      description: input.description ?? null,
      severity,
      owner_id: input.owner_id ?? null,
      tags: input.tags ?? [],
      source: 'manual',
      origin_alert_id: null,
    });
    await this.cases.transaction(async (repo) => {
      await repo.insert(row);
      await this.linkInside(repo, row, actorId, alertIds, now);
    });
    this.publish('case.created', row, actorId, now, { source: row.source });
    return row;
  }

  /**
   * The automatic case of an alert (HARRIER_AUTO_CASE_MIN_SEVERITY): at most one
   * per alert, however often the alert is announced. Undefined when it existed.
   */
  async openForAlert(orgId: string, alertId: string, now = Date.now()): Promise<CaseRow | undefined> {
    const [alert] = await this.requireAlerts(orgId, [alertId]);
    const row = this.newCase(orgId, null, now, {
      title: `Alert: ${alert!.title}`.slice(0, 300),
      description: null,
      severity: alert!.severity,
      owner_id: null,
      tags: ['auto'],
      source: 'auto',
      origin_alert_id: alertId,
    });
    const created = await this.cases.transaction(async (repo) => {
      if (!(await repo.insert(row))) return false;
      await this.linkInside(repo, row, null, [alertId], now);
      return true;
    });
    if (!created) return undefined;
    this.publish('case.created', row, null, now, { source: 'auto', alertId });
    return row;
  }

  async update(orgId: string, actorId: string, id: string, input: CaseChanges, now = Date.now()) {
    const current = await this.get(orgId, id);
    const changes: Partial<CaseRow> = {};
    const entries: Array<{ kind: string; data: Record<string, unknown> }> = [];
    if (input.title !== undefined) {
      changes.title = input.title.trim();
      if (!changes.title) throw unprocessable('title_required', 'A case needs a title.');
    }
    if (input.description !== undefined) changes.description = input.description;
    if (input.tags !== undefined) changes.tags = JSON.stringify([...new Set(input.tags)]);
    if (input.severity !== undefined) {
      const severity = this.severity(input.severity);
      if (severity !== current.severity) {
        changes.severity = severity;
        changes.severity_rank = severityRank(severity);
        entries.push({ kind: 'severity', data: { from: current.severity, to: severity } });
      }
    }
    if (input.owner_id !== undefined && input.owner_id !== current.owner_id) {
      if (input.owner_id !== null) await this.requireUser(orgId, input.owner_id);
      changes.owner_id = input.owner_id;
      entries.push({ kind: 'owner', data: { from: current.owner_id, to: input.owner_id } });
    }
    if (Object.keys(changes).length === 0) return current;
    await this.cases.transaction(async (repo) => {
      await repo.update(orgId, id, { ...changes, updated_at: now });
      await repo.appendTimeline(
        entries.map((e) => this.entry(orgId, id, actorId, e.kind, null, e.data, now)),
      );
    });
    const updated = await this.get(orgId, id);
    this.publish('case.updated', updated, actorId, now, { changed: Object.keys(changes) });
    return updated;
  }

  /** Moves a case along its lifecycle; 409 naming the current status when the move is not allowed. */
  async changeStatus(
    orgId: string,
    actorId: string,
    id: string,
    to: CaseStatus,
    reason: string | undefined,
    now = Date.now(),
  ): Promise<CaseRow> {
    const current = await this.get(orgId, id);
    const from = current.status as CaseStatus;
    if (!canTransition(from, to)) throw this.refusal(from, to);
    const moved = await this.cases.transaction(async (repo) => {
      // Conditional on the status read above, so two concurrent changes cannot both apply.
      const n = await repo.updateStatus(orgId, id, from, {
        status: to,
        updated_at: now,
        closed_at: to === 'closed' ? now : null,
      });
      if (n === 0) return false;
      await repo.appendTimeline([
        this.entry(orgId, id, actorId, 'status', reason ?? null, { from, to }, now),
      ]);
      return true;
    });
    if (!moved) {
      const latest = await this.get(orgId, id);
      throw this.refusal(latest.status as CaseStatus, to);
    }
    const updated = await this.get(orgId, id);
    this.publish('case.updated', updated, actorId, now, { changed: ['status'], from, to });
    return updated;
  }

  /** Links alerts; the result says per alert whether it was linked now or already. */
  async linkAlerts(orgId: string, actorId: string, id: string, alertIds: string[], now = Date.now()) {
    const row = await this.get(orgId, id);
    const unique = [...new Set(alertIds)];
    await this.requireAlerts(orgId, unique);
    const linked = await this.cases.transaction((repo) => this.linkInside(repo, row, actorId, unique, now));
    if (linked.length > 0) {
      await this.cases.update(orgId, id, { updated_at: now });
      this.publish('case.updated', row, actorId, now, { changed: ['alerts'], linked });
    }
    return unique.map((alertId) => ({ alert_id: alertId, linked: linked.includes(alertId) }));
  }

  async unlinkAlert(orgId: string, actorId: string, id: string, alertId: string, now = Date.now()) {
    const row = await this.get(orgId, id);
    const removed = await this.cases.transaction(async (repo) => {
      if (!(await repo.unlinkAlert(orgId, id, alertId))) return false;
      await repo.appendTimeline([
        this.entry(orgId, id, actorId, 'alert_unlinked', null, { alert_id: alertId }, now),
      ]);
      await repo.update(orgId, id, { updated_at: now });
      return true;
    });
    if (!removed) throw notFound('alert_not_linked', 'That alert is not linked to this case.');
    this.publish('case.updated', row, actorId, now, { changed: ['alerts'], unlinked: [alertId] });
  }

  /** Records a stored event as evidence in the war room. */
  async linkEvent(
    orgId: string,
    actorId: string,
    id: string,
    eventId: string,
    note?: string,
    now = Date.now(),
  ) {
    const row = await this.get(orgId, id);
    if (!(await this.cases.eventExists(orgId, eventId)))
      throw notFound('event_not_found', 'No such event in this organization.');
    const entry = this.entry(orgId, id, actorId, 'event_linked', note ?? null, { event_id: eventId }, now);
    await this.cases.appendTimeline([entry]);
    await this.cases.update(orgId, id, { updated_at: now });
    this.publish('case.updated', row, actorId, now, { changed: ['evidence'] });
    return entry;
  }

  /** A war-room note, kept as a comment on the case (one comments table for alerts and cases). */
  async addNote(
    orgId: string,
    actorId: string,
    id: string,
    body: string,
    now = Date.now(),
  ): Promise<CommentRow> {
    const row = await this.get(orgId, id);
    const note = await this.comments.insert({
      id: uuidv7(now),
      org_id: orgId,
      subject_type: 'case',
      subject_id: id,
      author_id: actorId,
      body,
      created_at: now,
      updated_at: now,
    });
    await this.cases.update(orgId, id, { updated_at: now });
    this.publish('case.updated', row, actorId, now, { changed: ['notes'] });
    return note;
  }

  /**
   * The war room in order: timeline entries and notes merged by their
   * time-ordered ids; `after` continues from the last id of the previous page.
   */
  async timeline(orgId: string, id: string, after: string | undefined, limit: number) {
    await this.get(orgId, id);
    const [entries, notes] = await Promise.all([
      this.cases.timeline(orgId, id, after, limit + 1),
      this.comments.list({ orgId, type: 'case', id }, { after, limit: limit + 1 }),
    ]);
    const merged: WarRoomEntry[] = [
      ...entries.map((row) => ({ kind: 'entry' as const, row })),
      ...notes.map((row) => ({ kind: 'note' as const, row })),
    ].sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
    const page = merged.slice(0, limit);
    const last = page.at(-1);
    return { items: page, next: merged.length > limit && last ? last.row.id : null };
  }

  /** Evidence items of a case as seed 004 lists them: linked alerts, then recorded events. */
  async items(
    orgId: string,
    id: string,
  ): Promise<Array<{ kind: 'alert' | 'event'; ref_id: string; at: number }>> {
    const [alerts, events] = await Promise.all([
      this.cases.linkedAlerts(orgId, id),
      this.cases.linkedEventEntries(orgId, id),
    ]);
    return [
      ...alerts.map((a) => ({ kind: 'alert' as const, ref_id: a.id, at: a.linked_at })),
      ...events.map((e) => ({
        kind: 'event' as const,
        ref_id: String(readJson<{ event_id?: unknown }>(e.data, {}).event_id ?? ''),
        at: e.created_at,
      })),
    ];
  }

  /** Records an uploaded attachment in the war room (the bytes are already stored). */
  async recordAttachment(row: CaseAttachmentRow): Promise<void> {
    const c = await this.get(row.org_id, row.case_id);
    const now = row.created_at;
    await this.cases.transaction(async (repo, trx) => {
      await new CaseAttachmentsRepository(trx).insert(row);
      await repo.appendTimeline([
        this.entry(
          row.org_id,
          row.case_id,
          row.uploaded_by,
          'attachment',
          null,
          { attachment_id: row.id, filename: row.filename, size: row.size, content_type: row.content_type },
          now,
        ),
      ]);
      await repo.update(row.org_id, row.case_id, { updated_at: now });
    });
    this.publish('case.updated', c, row.uploaded_by, now, { changed: ['attachments'] });
  }

  /** Removes an attachment's record and notes the removal in the war room (the caller deletes the bytes). */
  async forgetAttachment(row: CaseAttachmentRow, actorId: string, now = Date.now()): Promise<void> {
    const c = await this.get(row.org_id, row.case_id);
    await this.cases.transaction(async (repo, trx) => {
      await new CaseAttachmentsRepository(trx).delete(row.org_id, row.id);
      await repo.appendTimeline([
        this.entry(
          row.org_id,
          row.case_id,
          actorId,
          'attachment_removed',
          null,
          { attachment_id: row.id, filename: row.filename },
          now,
        ),
      ]);
      await repo.update(row.org_id, row.case_id, { updated_at: now });
    });
    this.publish('case.updated', c, actorId, now, { changed: ['attachments'] });
  }

  /** Display names of users (owners, authors), for presenters. */
  async userNames(orgId: string, ids: Iterable<string | null>): Promise<Map<string, string>> {
    return this.cases.userNames(orgId, [...new Set([...ids].filter((x): x is string => x !== null))]);
  }

  private async linkInside(
    repo: CasesRepository,
    row: CaseRow,
    actorId: string | null,
    alertIds: readonly string[],
    now: number,
  ): Promise<string[]> {
    const linked: string[] = [];
    for (const alertId of alertIds) {
      if (
        await repo.linkAlert({
          case_id: row.id,
          alert_id: alertId,
          org_id: row.org_id,
          linked_by: actorId,
          linked_at: now,
        })
      )
        linked.push(alertId);
    }
    await repo.appendTimeline(
      linked.map((alertId) =>
        this.entry(row.org_id, row.id, actorId, 'alert_linked', null, { alert_id: alertId }, now),
      ),
    );
    return linked;
  }

  private newCase(
    orgId: string,
    actorId: string | null,
    now: number,
    c: {
      title: string;
      description: string | null;
      severity: Severity;
      owner_id: string | null;
      tags: string[];
      source: 'manual' | 'auto';
      origin_alert_id: string | null;
    },
  ): CaseRow {
    return {
      id: uuidv7(now),
      org_id: orgId,
      title: c.title,
      description: c.description,
      severity: c.severity,
      severity_rank: severityRank(c.severity),
      status: 'new',
      owner_id: c.owner_id,
      tags: JSON.stringify([...new Set(c.tags)]),
      source: c.source,
      origin_alert_id: c.origin_alert_id,
      created_by: actorId,
      created_at: now,
      updated_at: now,
      closed_at: null,
    };
  }

  private entry(
    orgId: string,
    caseId: string,
    actorId: string | null,
    kind: string,
    body: string | null,
    data: Record<string, unknown>,
    now: number,
  ): CaseTimelineRow {
    return {
      id: uuidv7(now),
      org_id: orgId,
      case_id: caseId,
      kind,
      actor_id: actorId,
      body,
      data: JSON.stringify(data),
      created_at: now,
    };
  }

  private refusal(from: CaseStatus, to: CaseStatus) {
    return conflict('invalid_transition', `A case in status "${from}" cannot move to "${to}".`, {
      current_status: from,
      requested_status: to,
      allowed: CASE_TRANSITIONS[from],
    });
  }

  private severity(value: string): Severity {
    const s = parseSeverity(value);
    if (!s) throw unprocessable('invalid_severity', `Severity must be one of ${SEVERITIES.join(', ')}.`);
    return s;
  }

  private requireUser(orgId: string, userId: string): Promise<void> {
    return requireOrgUser(this.users, orgId, userId);
  }

  /** The alerts, in the order given; 404 naming the ids that are not alerts of the organization. */
  private async requireAlerts(orgId: string, ids: readonly string[]) {
    const rows = await this.cases.alertsByIds(orgId, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((x) => !byId.has(x));
    if (missing.length > 0)
      throw new HarrierError(404, 'alert_not_found', 'Some alerts do not exist in this organization.', {
        missing,
      });
    return ids.map((x) => {
      const r = byId.get(x)!;
      return { id: r.id, title: r.title, severity: (parseSeverity(r.severity) ?? 'medium') as Severity };
    });
  }

  private publish(
    type: 'case.created' | 'case.updated',
    row: CaseRow,
    actorId: string | null,
    now: number,
    extra: Record<string, unknown>,
  ): void {
    this.domainEvents?.publish({
      type,
      orgId: row.org_id,
      subjectId: row.id,
      at: now,
      actorId,
      data: { title: row.title, severity: row.severity, status: row.status, ...extra },
    });
  }
}
