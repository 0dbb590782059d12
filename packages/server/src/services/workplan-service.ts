import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { CasesRepository } from '../repositories/cases-repository.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import {
  type WorkplanFilter,
  type WorkplanRow,
  WorkplansRepository,
  type WorkplanTaskRow,
} from '../repositories/workplans-repository.ts';
import { requireOrgUser } from './org-user.ts';

export const WORKPLAN_SUBJECTS = ['alert', 'case'] as const;
export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskInput {
  title?: string | undefined;
  owner_id?: string | null | undefined;
  due_at?: number | null | undefined;
  status?: TaskStatus | undefined;
}

export interface WorkplanInput {
  title: string;
  description?: string | null | undefined;
  subject_type: (typeof WORKPLAN_SUBJECTS)[number];
  subject_id: string;
  owner_id?: string | null | undefined;
  tasks?: Array<TaskInput & { title: string }> | undefined;
}

export interface WorkplanChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  owner_id?: string | null | undefined;
}

/** A workplan with its tasks in order. */
export interface WorkplanWithTasks {
  plan: WorkplanRow;
  tasks: WorkplanTaskRow[];
}

/** Workplans (seed 004): plans of tasks with owners, due dates and status, on an alert or a case. */
export class WorkplanService {
  private readonly plans: WorkplansRepository;
  private readonly cases: CasesRepository;
  private readonly users: UsersRepository;

  constructor(database: HarrierDatabase) {
    this.plans = new WorkplansRepository(database.db);
    this.cases = new CasesRepository(database.db);
    this.users = new UsersRepository(database.db);
  }

  async list(filter: WorkplanFilter): Promise<WorkplanWithTasks[]> {
    const plans = await this.plans.list(filter);
    return this.withTasks(filter.orgId, plans);
  }

  async get(orgId: string, id: string): Promise<WorkplanWithTasks> {
    const plan = await this.plans.find(orgId, id);
    if (!plan) throw notFound('workplan_not_found', 'No such workplan.');
    return (await this.withTasks(orgId, [plan]))[0]!;
  }

  async create(orgId: string, actorId: string | null, input: WorkplanInput, now = Date.now()) {
    await this.requireSubject(orgId, input.subject_type, input.subject_id);
    const owners = [input.owner_id, ...(input.tasks ?? []).map((t) => t.owner_id)];
    for (const owner of owners) if (owner) await this.requireUser(orgId, owner);
    const plan: WorkplanRow = {
      id: uuidv7(now),
      org_id: orgId,
      title: input.title.trim(),
      description: input.description ?? null,
      subject_type: input.subject_type,
      subject_id: input.subject_id,
      owner_id: input.owner_id ?? null,
      created_by: actorId,
      created_at: now,
      updated_at: now,
    };
    await this.plans.insert(plan);
    let position = 0;
    for (const t of input.tasks ?? [])
      await this.plans.insertTask(this.newTask(orgId, plan.id, t, position++, now));
    return this.get(orgId, plan.id);
  }

  /**
   * Seed 004 gives an alert a workplan when someone is assigned to it: one named
   * after the alert, owned by the assignee, unless the alert has a plan already.
   */
  async ensureForAlert(
    orgId: string,
    actorId: string | null,
    alertId: string,
    ownerId: string,
    now = Date.now(),
  ) {
    const existing = await this.plans.list({ orgId, subjectType: 'alert', subjectId: alertId, limit: 1 });
    if (existing.length > 0) return undefined;
    const [alert] = await this.cases.alertsByIds(orgId, [alertId]);
    if (!alert) return undefined;
    const owner = (await this.users.findInOrg(orgId, ownerId)) ? ownerId : null;
    return this.create(
      orgId,
      actorId,
      {
        title: `Workplan for alert "${alert.title}"`.slice(0, 300),
        subject_type: 'alert',
        subject_id: alertId,
        owner_id: owner,
      },
      now,
    );
  }

  async update(orgId: string, id: string, input: WorkplanChanges, now = Date.now()) {
    await this.get(orgId, id);
    if (input.owner_id) await this.requireUser(orgId, input.owner_id);
    await this.plans.update(orgId, id, {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.owner_id !== undefined ? { owner_id: input.owner_id } : {}),
      updated_at: now,
    });
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.get(orgId, id);
    await this.plans.delete(orgId, id);
  }

  async addTask(orgId: string, id: string, input: TaskInput & { title: string }, now = Date.now()) {
    await this.get(orgId, id);
    if (input.owner_id) await this.requireUser(orgId, input.owner_id);
    const task = this.newTask(orgId, id, input, await this.plans.nextPosition(orgId, id), now);
    await this.plans.insertTask(task);
    await this.plans.update(orgId, id, { updated_at: now });
    return task;
  }

  async updateTask(orgId: string, id: string, taskId: string, input: TaskInput, now = Date.now()) {
    await this.requireTask(orgId, id, taskId);
    if (input.owner_id) await this.requireUser(orgId, input.owner_id);
    await this.plans.updateTask(orgId, taskId, {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.owner_id !== undefined ? { owner_id: input.owner_id } : {}),
      ...(input.due_at !== undefined ? { due_at: input.due_at } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: now,
    });
    await this.plans.update(orgId, id, { updated_at: now });
    return this.requireTask(orgId, id, taskId);
  }

  async deleteTask(orgId: string, id: string, taskId: string, now = Date.now()): Promise<void> {
    await this.requireTask(orgId, id, taskId);
    await this.plans.deleteTask(orgId, taskId);
    await this.plans.update(orgId, id, { updated_at: now });
  }

  private newTask(
    orgId: string,
    workplanId: string,
    t: TaskInput & { title: string },
    position: number,
    now: number,
  ): WorkplanTaskRow {
    return {
      id: uuidv7(now),
      org_id: orgId,
      workplan_id: workplanId,
      title: t.title.trim(),
      owner_id: t.owner_id ?? null,
      due_at: t.due_at ?? null,
      status: t.status ?? 'todo',
      position,
      created_at: now,
      updated_at: now,
    };
  }

  private async withTasks(orgId: string, plans: WorkplanRow[]): Promise<WorkplanWithTasks[]> {
    const tasks = await this.plans.tasks(
      orgId,
      plans.map((p) => p.id),
    );
    return plans.map((plan) => ({ plan, tasks: tasks.filter((t) => t.workplan_id === plan.id) }));
  }

  private async requireTask(orgId: string, id: string, taskId: string): Promise<WorkplanTaskRow> {
    const task = await this.plans.findTask(orgId, id, taskId);
    if (!task) throw notFound('task_not_found', 'No such task in this workplan.');
    return task;
  }

  private async requireSubject(orgId: string, type: 'alert' | 'case', id: string): Promise<void> {
    const found =
      type === 'case'
        ? (await this.cases.findById(orgId, id)) !== undefined
        : (await this.cases.alertsByIds(orgId, [id])).length > 0;
    if (!found) throw notFound(`${type}_not_found`, `No such ${type} in this organization.`);
  }

  private requireUser(orgId: string, userId: string): Promise<void> {
    return requireOrgUser(this.users, orgId, userId);
  }
}
