import { type Severity, severityRank, uuidv7 } from '@harrier/schema';
import type { Kysely } from 'kysely';
import type { DomainEventBus, DomainEventType } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import type { Database } from '../db/tables.ts';
import { badRequest, conflict, HarrierError, notFound } from '../errors.ts';
import { AlertHistoryRepository, type AlertHistoryRow } from '../repositories/alert-history-repository.ts';
import {
  type AlertFilter,
  type AlertRow,
  AlertsRepository,
  type AlertTriageChange,
} from '../repositories/alerts-repository.ts';
import { type CommentRow, CommentsRepository } from '../repositories/comments-repository.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import { WorkGroupsRepository } from '../repositories/work-groups-repository.ts';
import {
  CLOSED_STATUSES,
  canTransition,
  type SettableAlertStatus,
  transitionName,
} from './alert-transitions.ts';

/** Who is acting, in which organization (a user, or null for the platform). */
export interface TriageActor {
  orgId: string;
  userId: string | null;
}

/** A user and/or a work group; both null unassigns. */
export interface AssigneeRef {
  userId: string | null;
  groupId: string | null;
}

/** One change a bulk request applies to each alert. */
export type BulkChange =
  | {
      kind: 'status';
      status: SettableAlertStatus;
      reason?: string | undefined;
      conclusion?: string | undefined;
    }
  | { kind: 'assign'; assignee: AssigneeRef; reason?: string | undefined };

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: string;
  error?: { code: string; message: string };
}

/** An alert an analyst (or seed 004's front end) raises by hand. */
export interface ManualAlertInput {
  title: string;
  severity: Severity;
  deviceId?: string | null | undefined;
  /** Shown with the alert: description, source, category, url, sender, username, hostname. */
  details: Record<string, unknown>;
}

/** The rule id manual alerts are filed under. */
export const MANUAL_RULE = { uid: 'harrier:manual', title: 'Raised by hand' } as const;

/** Most alerts one bulk request may change (a filter selecting more is refused, not truncated). */
export const BULK_LIMIT = 1000;

/**
 * The alert lifecycle, assignment, escalation, recorded actions, comments and
 * deletion. Each change and its history row commit together; domain events
 * are published after the commit.
 */
export class AlertTriageService {
  private readonly alerts: AlertsRepository;
  private readonly history: AlertHistoryRepository;
  private readonly comments: CommentsRepository;
  private readonly users: UsersRepository;
  private readonly groups: WorkGroupsRepository;
  private readonly devices: DevicesRepository;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly domainEvents?: DomainEventBus,
  ) {
    this.alerts = new AlertsRepository(database.db);
    this.history = new AlertHistoryRepository(database.db);
    this.comments = new CommentsRepository(database.db);
    this.users = new UsersRepository(database.db);
    this.groups = new WorkGroupsRepository(database.db);
    this.devices = new DevicesRepository(database.db);
  }

  async find(orgId: string, id: string): Promise<AlertRow> {
    const alert = await this.alerts.findById(orgId, id);
    if (!alert) throw notFound('alert_not_found', 'No such alert.');
    return alert;
  }

  /**
   * Raises an alert by hand (seed 004's `POST /alerts`). It is never grouped
   * with another and matched no event; `alert.created` is published as for
   * detection's alerts.
   */
  async createManual(actor: TriageActor, input: ManualAlertInput): Promise<AlertRow> {
    if (input.deviceId && !(await this.devices.findInOrg(actor.orgId, input.deviceId)))
      throw new HarrierError(422, 'unknown_device', 'No such device in this organization.');
    const now = Date.now();
    const id = uuidv7(now);
    const row = {
      id,
      org_id: actor.orgId,
      rule_id: null,
      rule_uid: MANUAL_RULE.uid,
      rule_version: null,
      rule_title: MANUAL_RULE.title,
      kind: 'manual',
      title: input.title,
      severity: input.severity,
      severity_rank: severityRank(input.severity),
      status: 'open',
      device_id: input.deviceId ?? null,
      group_key: id,
      first_seen: now,
      last_seen: now,
      count: 1,
      matched_event_ids: '[]',
      mitre_techniques: '[]',
      mitre_tactics: '[]',
      details: JSON.stringify({ ...input.details, created_by: actor.userId }),
      created_at: now,
      updated_at: now,
      assignee_user_id: null,
      assignee_group_id: null,
      escalation_level: 0,
      conclusion: null,
      status_changed_at: null,
    };
    await this.alerts.insertMany([row]);
    this.domainEvents?.publish({
      type: 'alert.created',
      orgId: actor.orgId,
      subjectId: id,
      at: now,
      actorId: actor.userId,
      data: {
        title: row.title,
        severity: row.severity,
        status: 'open',
        ruleUid: MANUAL_RULE.uid,
        deviceId: row.device_id,
        count: 1,
      },
    });
    return row;
  }

  /** Moves an alert along the lifecycle; 409 `invalid_transition` names the current status. */
  async changeStatus(
    actor: TriageActor,
    id: string,
    to: SettableAlertStatus,
    opts: { reason?: string | undefined; conclusion?: string | undefined } = {},
  ): Promise<AlertRow> {
    const alert = await this.find(actor.orgId, id);
    if (!canTransition(alert.status, to)) throw invalidTransition(alert.status, to);
    return this.applyStatus(actor, alert, to, opts, true);
  }

  /**
   * Sets a status whatever the current one (seed 003's admin route: any
   * transition, and repeating one changes nothing). Still recorded in history.
   */
  async setStatus(
    actor: TriageActor,
    id: string,
    to: SettableAlertStatus,
    reason?: string,
  ): Promise<AlertRow> {
    const alert = await this.find(actor.orgId, id);
    if (alert.status === to) return alert;
    return this.applyStatus(actor, alert, to, { reason }, false);
  }

  private async applyStatus(
    actor: TriageActor,
    alert: AlertRow,
    to: SettableAlertStatus,
    opts: { reason?: string | undefined; conclusion?: string | undefined },
    guarded: boolean,
  ): Promise<AlertRow> {
    const now = Date.now();
    const change: AlertTriageChange = { status: to, status_changed_at: now, updated_at: now };
    if (opts.conclusion !== undefined) change.conclusion = opts.conclusion;
    if (to === 'open') change.conclusion = null;
    const from = alert.status;
    await this.database.db.transaction().execute(async (trx) => {
      const changed = await new AlertsRepository(trx).updateTriage(
        actor.orgId,
        alert.id,
        change,
        guarded ? from : undefined,
      );
      if (!changed) {
        // Someone else moved it between our read and write.
        const current = await new AlertsRepository(trx).findById(actor.orgId, alert.id);
        if (!current) throw notFound('alert_not_found', 'No such alert.');
        throw invalidTransition(current.status, to);
      }
      await record(trx, actor, alert.id, transitionName(from, to), now, {
        from,
        to,
        reason: opts.reason,
        details: opts.conclusion !== undefined ? { conclusion: opts.conclusion } : {},
      });
    });
    const updated = { ...alert, ...change } as AlertRow;
    this.publish('alert.updated', actor, updated, now, { from, to, reason: opts.reason ?? null });
    return updated;
  }

  /** Assigns an alert to a user and/or a work group (both null: unassigned). */
  async assign(actor: TriageActor, id: string, assignee: AssigneeRef, reason?: string): Promise<AlertRow> {
    const alert = await this.find(actor.orgId, id);
    await this.checkAssignee(actor.orgId, assignee);
    const now = Date.now();
    const change: AlertTriageChange = {
      assignee_user_id: assignee.userId,
      assignee_group_id: assignee.groupId,
      updated_at: now,
    };
    await this.database.db.transaction().execute(async (trx) => {
      await new AlertsRepository(trx).updateTriage(actor.orgId, id, change);
      await record(trx, actor, id, 'assign', now, {
        reason,
        details: {
          from: { user_id: alert.assignee_user_id, group_id: alert.assignee_group_id },
          to: { user_id: assignee.userId, group_id: assignee.groupId },
        },
      });
    });
    const updated = { ...alert, ...change } as AlertRow;
    this.publish('alert.assigned', actor, updated, now, { reason: reason ?? null });
    return updated;
  }

  /**
   * Escalates to a user or a group with a reason (seed 004): the alert is
   * assigned to them, its escalation level rises, and the escalation is kept.
   */
  async escalate(actor: TriageActor, id: string, to: AssigneeRef, reason: string): Promise<AlertRow> {
    if (to.userId === null && to.groupId === null)
      throw badRequest('escalation_target_required', 'Escalate to a user_id or a group_id.');
    const alert = await this.find(actor.orgId, id);
    if ((CLOSED_STATUSES as readonly string[]).includes(alert.status))
      throw conflict('invalid_transition', `The alert is ${alert.status}; reopen it before escalating.`, {
        current_status: alert.status,
      });
    await this.checkAssignee(actor.orgId, to);
    const now = Date.now();
    const level = Number(alert.escalation_level ?? 0) + 1;
    const change: AlertTriageChange = {
      assignee_user_id: to.userId,
      assignee_group_id: to.groupId,
      escalation_level: level,
      updated_at: now,
    };
    await this.database.db.transaction().execute(async (trx) => {
      await new AlertsRepository(trx).updateTriage(actor.orgId, id, change);
      await record(trx, actor, id, 'escalate', now, {
        reason,
        details: {
          level,
          from: { user_id: alert.assignee_user_id, group_id: alert.assignee_group_id },
          to: { user_id: to.userId, group_id: to.groupId },
        },
      });
    });
    const updated = { ...alert, ...change, escalation_level: level } as AlertRow;
    this.publish('alert.escalated', actor, updated, now, { reason, level });
    return updated;
  }

  /** Sets or clears the closing note (seed 004's conclusion), kept in history. */
  async conclude(actor: TriageActor, id: string, conclusion: string | null): Promise<AlertRow> {
    const alert = await this.find(actor.orgId, id);
    const now = Date.now();
    const change: AlertTriageChange = { conclusion, updated_at: now };
    await this.database.db.transaction().execute(async (trx) => {
      await new AlertsRepository(trx).updateTriage(actor.orgId, id, change);
      await record(trx, actor, id, 'conclude', now, { details: { conclusion } });
    });
    const updated = { ...alert, ...change } as AlertRow;
    this.publish('alert.updated', actor, updated, now, {});
    return updated;
  }

  /** Records a containment or response step taken on an alert (seed 004's simulated actions). */
  async recordAction(
    actor: TriageActor,
    id: string,
    action: string,
    target: string | null,
    reason?: string,
  ): Promise<AlertHistoryRow> {
    await this.find(actor.orgId, id);
    const now = Date.now();
    const row = await record(this.database.db, actor, id, 'action', now, {
      reason,
      details: { action, target },
    });
    return row;
  }

  /** Applies one change to many alerts, each on its own: the result says which succeeded. */
  async bulk(
    actor: TriageActor,
    selection: { ids?: string[] | undefined; filter?: Omit<AlertFilter, 'limit' | 'orgId'> | undefined },
    change: BulkChange,
  ): Promise<BulkResult[]> {
    let ids: string[];
    if (selection.ids) ids = [...new Set(selection.ids)];
    else if (selection.filter) {
      ids = await this.alerts.idsMatching({ ...selection.filter, orgId: actor.orgId }, BULK_LIMIT + 1);
      if (ids.length > BULK_LIMIT)
        throw new HarrierError(
          422,
          'bulk_too_large',
          `The filter selects more than ${BULK_LIMIT} alerts; narrow it or change them in several requests.`,
        );
    } else throw badRequest('selection_required', 'Give ids or a filter.');
    if (change.kind === 'assign') await this.checkAssignee(actor.orgId, change.assignee);
    const results: BulkResult[] = [];
    for (const id of ids) {
      try {
        const a =
          change.kind === 'status'
            ? await this.changeStatus(actor, id, change.status, change)
            : await this.assign(actor, id, change.assignee, change.reason);
        results.push({ id, ok: true, status: a.status });
      } catch (error) {
        if (!(error instanceof HarrierError) || error.status >= 500) throw error;
        results.push({ id, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    return results;
  }

  async historyOf(orgId: string, id: string): Promise<AlertHistoryRow[]> {
    await this.find(orgId, id);
    return this.history.list(orgId, id);
  }

  async commentsOf(
    orgId: string,
    id: string,
    after: string | undefined,
    limit: number,
  ): Promise<CommentRow[]> {
    await this.find(orgId, id);
    return this.comments.list({ orgId, type: 'alert', id }, { after, limit });
  }

  async addComment(actor: TriageActor, id: string, body: string): Promise<CommentRow> {
    const alert = await this.find(actor.orgId, id);
    if (body.trim() === '') throw badRequest('empty_comment', 'A comment needs some text.');
    const now = Date.now();
    const row = await this.comments.insert({
      id: uuidv7(now),
      org_id: actor.orgId,
      subject_type: 'alert',
      subject_id: id,
      author_id: actor.userId,
      body,
      created_at: now,
      updated_at: now,
    });
    this.publish('alert.updated', actor, alert, now, { comment_id: row.id });
    return row;
  }

  /** Deletes an alert with its history and comments. */
  async delete(actor: TriageActor, id: string): Promise<void> {
    const alert = await this.find(actor.orgId, id);
    const now = Date.now();
    await this.database.db.transaction().execute(async (trx) => {
      await new AlertHistoryRepository(trx).deleteForAlert(actor.orgId, id);
      await new CommentsRepository(trx).deleteForSubject({ orgId: actor.orgId, type: 'alert', id });
      await new AlertsRepository(trx).delete(actor.orgId, id);
    });
    this.publish('alert.deleted', actor, alert, now, {});
  }

  private async checkAssignee(orgId: string, a: AssigneeRef): Promise<void> {
    if (a.userId !== null) {
      const user = await this.users.findInOrg(orgId, a.userId);
      if (!user || user.disabled_at !== null)
        throw new HarrierError(422, 'unknown_assignee', 'No such active user in this organization.');
    }
    if (a.groupId !== null && !(await this.groups.findById(orgId, a.groupId)))
      throw new HarrierError(422, 'unknown_work_group', 'No such work group in this organization.');
  }

  private publish(
    type: DomainEventType,
    actor: TriageActor,
    alert: AlertRow,
    at: number,
    extra: Record<string, unknown>,
  ): void {
    this.domainEvents?.publish({
      type,
      orgId: actor.orgId,
      subjectId: alert.id,
      at,
      actorId: actor.userId,
      data: {
        title: alert.title,
        severity: alert.severity,
        status: alert.status,
        assigneeUserId: alert.assignee_user_id,
        assigneeGroupId: alert.assignee_group_id,
        escalationLevel: Number(alert.escalation_level ?? 0),
        ...extra,
      },
    });
  }
}

function invalidTransition(current: string, to: string): HarrierError {
  return conflict('invalid_transition', `An alert that is ${current} cannot move to ${to}.`, {
    current_status: current,
    requested_status: to,
  });
}

async function record(
  db: Kysely<Database>,
  actor: TriageActor,
  alertId: string,
  action: string,
  now: number,
  h: {
    from?: string | undefined;
    to?: string | undefined;
    reason?: string | undefined;
    details?: Record<string, unknown>;
  },
): Promise<AlertHistoryRow> {
  const row: AlertHistoryRow = {
    id: uuidv7(now),
    org_id: actor.orgId,
    alert_id: alertId,
    actor_id: actor.userId,
    action,
    from_status: h.from ?? null,
    to_status: h.to ?? null,
    reason: h.reason ?? null,
    details: JSON.stringify(h.details ?? {}),
    created_at: now,
  };
  await new AlertHistoryRepository(db).insert(row);
  return row;
}
