import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { HarrierError, notFound } from '../errors.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import { type WorkGroupRow, WorkGroupsRepository } from '../repositories/work-groups-repository.ts';
import { uniqueOr409 } from './unique-violation.ts';

/** A work group with its member user ids. */
export interface WorkGroup {
  row: WorkGroupRow;
  memberIds: string[];
}

export interface WorkGroupInput {
  name?: string | undefined;
  description?: string | null | undefined;
  leadUserId?: string | null | undefined;
  memberIds?: string[] | undefined;
}

/** Work groups that alerts are assigned and escalated to: a name, members and a lead (who is always a member). */
export class WorkGroupService {
  private readonly groups: WorkGroupsRepository;
  private readonly users: UsersRepository;

  constructor(database: HarrierDatabase) {
    this.groups = new WorkGroupsRepository(database.db);
    this.users = new UsersRepository(database.db);
  }

  async list(orgId: string): Promise<WorkGroup[]> {
    const rows = await this.groups.list(orgId);
    const members = await this.groups.members(
      orgId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({ row, memberIds: members.get(row.id) ?? [] }));
  }

  async get(orgId: string, id: string): Promise<WorkGroup> {
    const row = await this.groups.findById(orgId, id);
    if (!row) throw notFound('work_group_not_found', 'No such work group.');
    const members = await this.groups.members(orgId, [id]);
    return { row, memberIds: members.get(id) ?? [] };
  }

  async create(orgId: string, input: WorkGroupInput & { name: string }): Promise<WorkGroup> {
    const now = Date.now();
    const members = await this.checkedMembers(orgId, input.memberIds ?? [], input.leadUserId ?? null);
    const row: WorkGroupRow = {
      id: uuidv7(now),
      org_id: orgId,
      name: input.name.trim(),
      description: input.description ?? null,
      lead_user_id: input.leadUserId ?? null,
      created_at: now,
      updated_at: now,
    };
    await uniqueOr409(
      () => this.groups.insert(row),
      'work_group_exists',
      'A work group with this name exists.',
    );
    await this.groups.setMembers(orgId, row.id, members, now);
    return this.get(orgId, row.id);
  }

  async update(orgId: string, id: string, input: WorkGroupInput): Promise<WorkGroup> {
    const current = await this.get(orgId, id);
    const now = Date.now();
    const lead = input.leadUserId !== undefined ? input.leadUserId : current.row.lead_user_id;
    const members = await this.checkedMembers(orgId, input.memberIds ?? current.memberIds, lead);
    await uniqueOr409(
      () =>
        this.groups.update(orgId, id, {
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          lead_user_id: lead,
          updated_at: now,
        }),
      'work_group_exists',
      'A work group with this name exists.',
    );
    await this.groups.setMembers(orgId, id, members, now);
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.groups.delete(orgId, id))) throw notFound('work_group_not_found', 'No such work group.');
  }

  /** The member list with the lead included; every id must be a user of the organization. */
  private async checkedMembers(orgId: string, memberIds: string[], lead: string | null): Promise<string[]> {
    const ids = [...new Set(lead ? [...memberIds, lead] : memberIds)];
    for (const userId of ids) {
      if (!(await this.users.findInOrg(orgId, userId)))
        throw new HarrierError(422, 'unknown_user', `No user ${userId} in this organization.`, {
          user_id: userId,
        });
    }
    return ids;
  }
}
