import { type Severity, uuidv7 } from '@harrier/schema';
import type { Updateable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import type { SavedQueriesTable } from '../db/hunting-tables.ts';
import { badRequest, forbidden, notFound } from '../errors.ts';
import {
  SavedQueriesRepository,
  type SavedQueryFilter,
  type SavedQueryRow,
} from '../repositories/saved-queries-repository.ts';
import type { HuntResult, HuntService } from './hunt-service.ts';
import { can, type Principal } from './principal.ts';

/** A scheduled query's detection settings. */
export interface ScheduleInput {
  intervalMs: number;
  /** An alert is raised when the query returns more than this many rows. */
  threshold: number;
  severity: Exclude<Severity, 'informational'>;
  enabled: boolean;
}

export interface SavedQueryInput {
  name: string;
  description?: string | null | undefined;
  query: string;
  visibility: 'private' | 'shared';
  /** Time range of a run without one (and of each scheduled run); null: the hunt default. */
  lookbackMs?: number | null | undefined;
  /** Null removes the schedule. */
  schedule?: ScheduleInput | null | undefined;
}

/** Scheduling bounds: a detection runs at most every minute and at least weekly. */
export const MIN_SCHEDULE_INTERVAL_MS = 60_000;
export const MAX_SCHEDULE_INTERVAL_MS = 7 * 86_400_000;

/**
 * Saved hunting queries: private to their owner or shared with the organization. Anyone who
 * can see a query may run it; only its owner (or an admin, for shared ones) changes or deletes
 * it. A schedule turns a query into a detection, so setting one needs `rules:write` as well.
 */
export class SavedQueryService {
  readonly repo: SavedQueriesRepository;

  constructor(
    database: HarrierDatabase,
    private readonly hunts: HuntService,
  ) {
    this.repo = new SavedQueriesRepository(database.db);
  }

  async create(principal: Principal, input: SavedQueryInput): Promise<SavedQueryRow> {
    await this.validate(principal, input.query, input.schedule);
    const now = Date.now();
    const id = uuidv7(now);
    await this.repo.insert({
      id,
      org_id: principal.orgId,
      owner_id: principal.userId,
      name: input.name.trim(),
      description: input.description ?? null,
      query: input.query,
      visibility: input.visibility,
      lookback_ms: input.lookbackMs ?? null,
      ...scheduleColumns(input.schedule ?? null, now),
      created_at: now,
      updated_at: now,
    });
    return (await this.repo.findVisible(principal.orgId, principal.userId, id))!;
  }

  /** A query the principal may see; 404 otherwise (another user's private query included). */
  async get(principal: Principal, id: string): Promise<SavedQueryRow> {
    const row = await this.repo.findVisible(principal.orgId, principal.userId, id);
    if (!row) throw notFound('saved_query_not_found', 'No such saved query.');
    return row;
  }

  list(principal: Principal, filter: Omit<SavedQueryFilter, 'orgId' | 'userId'>): Promise<SavedQueryRow[]> {
    return this.repo.list({ ...filter, orgId: principal.orgId, userId: principal.userId });
  }

  async update(principal: Principal, id: string, patch: Partial<SavedQueryInput>): Promise<SavedQueryRow> {
    const row = await this.get(principal, id);
    this.assertMayChange(principal, row);
    // Removing a schedule the query does not have changes nothing (and needs no rules:write).
    if (patch.schedule === null && row.schedule_interval_ms === null)
      patch = { ...patch, schedule: undefined };
    const query = patch.query ?? row.query;
    if (patch.query !== undefined || patch.schedule !== undefined) {
      await this.validate(principal, query, patch.schedule);
    }
    // Changing the query of a scheduled detection changes what it detects: rules:write as well.
    if (patch.query !== undefined && row.schedule_enabled === 1 && !can(principal, 'rules:write')) {
      throw forbidden('forbidden', 'Changing a scheduled query needs the rules:write permission.');
    }
    const now = Date.now();
    const changes: Updateable<SavedQueriesTable> = { updated_at: now };
    if (patch.name !== undefined) changes.name = patch.name.trim();
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.query !== undefined) changes.query = patch.query;
    if (patch.visibility !== undefined) changes.visibility = patch.visibility;
    if (patch.lookbackMs !== undefined) changes.lookback_ms = patch.lookbackMs;
    if (patch.schedule !== undefined) Object.assign(changes, scheduleColumns(patch.schedule, now));
    await this.repo.update(principal.orgId, id, changes);
    return this.get(principal, id);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const row = await this.get(principal, id);
    this.assertMayChange(principal, row);
    if (row.schedule_enabled === 1 && !can(principal, 'rules:write')) {
      throw forbidden('forbidden', 'Deleting a scheduled query needs the rules:write permission.');
    }
    await this.repo.delete(principal.orgId, id);
  }

  /** Runs a saved query as the principal, over the given range or the query's look-back. */
  async run(
    principal: Principal,
    id: string,
    range: { from?: number | undefined; to?: number | undefined; limit?: number | undefined },
  ): Promise<{ saved: SavedQueryRow; result: HuntResult }> {
    const saved = await this.get(principal, id);
    const to = range.to ?? (range.from === undefined ? Date.now() : undefined);
    const from =
      range.from ?? (saved.lookback_ms !== null && to !== undefined ? to - saved.lookback_ms : undefined);
    const result = await this.hunts.hunt(
      { orgId: principal.orgId, userId: principal.userId },
      { query: saved.query, from, to, limit: range.limit, histogram: true },
    );
    return { saved, result };
  }

  private assertMayChange(principal: Principal, row: SavedQueryRow): void {
    if (row.owner_id === principal.userId) return;
    if (row.visibility === 'shared' && principal.role === 'admin') return;
    throw forbidden('forbidden', 'Only the owner of a saved query may change it.');
  }

  private async validate(
    principal: Principal,
    query: string,
    schedule: ScheduleInput | null | undefined,
  ): Promise<void> {
    await this.hunts.check(principal.orgId, query);
    if (schedule === undefined) return;
    if (!can(principal, 'rules:write')) {
      throw forbidden('forbidden', 'Scheduling a query as a detection needs the rules:write permission.');
    }
    if (schedule === null) return;
    if (
      !Number.isSafeInteger(schedule.intervalMs) ||
      schedule.intervalMs < MIN_SCHEDULE_INTERVAL_MS ||
      schedule.intervalMs > MAX_SCHEDULE_INTERVAL_MS
    ) {
      throw badRequest(
        'invalid_schedule',
        `The interval must be between ${MIN_SCHEDULE_INTERVAL_MS / 1000} s and ${MAX_SCHEDULE_INTERVAL_MS / 1000} s.`,
      );
    }
  }
}

/** The schedule columns for a schedule (or none), with the first run one interval from now. */
function scheduleColumns(schedule: ScheduleInput | null, now: number) {
  if (!schedule) {
    return {
      schedule_interval_ms: null,
      schedule_enabled: 0,
      alert_threshold: 0,
      alert_severity: 'medium',
      next_run_at: null,
    };
  }
  return {
    schedule_interval_ms: schedule.intervalMs,
    schedule_enabled: schedule.enabled ? 1 : 0,
    alert_threshold: schedule.threshold,
    alert_severity: schedule.severity,
    next_run_at: schedule.enabled ? now + schedule.intervalMs : null,
  };
}
