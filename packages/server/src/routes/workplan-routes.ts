import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { InstantParam, instantParam } from '../http/time-params.ts';
import { presentTask, presentWorkplan } from '../presenters/workplan-presenter.ts';
import { TASK_STATUSES, type TaskInput, WORKPLAN_SUBJECTS } from '../services/workplan-service.ts';

const tags = ['cases'];
const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const TaskParams = Type.Object({ id: Id, taskId: Id });
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Owner = Type.Union([Id, Type.Null()]);
const TaskStatus = Type.Union(TASK_STATUSES.map((s) => Type.Literal(s)));
const Due = Type.Union([InstantParam, Type.Null()]);

const TaskCreate = Type.Object(
  {
    title: Title,
    owner_id: Type.Optional(Owner),
    due_at: Type.Optional(Due),
    status: Type.Optional(TaskStatus),
  },
  { additionalProperties: false },
);
const TaskPatch = Type.Object(
  {
    title: Type.Optional(Title),
    owner_id: Type.Optional(Owner),
    due_at: Type.Optional(Due),
    status: Type.Optional(TaskStatus),
  },
  { additionalProperties: false },
);
const WorkplanCreate = Type.Object(
  {
    title: Title,
    description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
    subject_type: Type.Union(WORKPLAN_SUBJECTS.map((s) => Type.Literal(s))),
    subject_id: Id,
    owner_id: Type.Optional(Owner),
    tasks: Type.Optional(Type.Array(TaskCreate, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
const WorkplanPatch = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
    owner_id: Type.Optional(Owner),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  ...PageQuery,
  subject_type: Type.Optional(Type.Union(WORKPLAN_SUBJECTS.map((s) => Type.Literal(s)))),
  subject_id: Type.Optional(Id),
  owner_id: Type.Optional(Id),
});

type TaskBody = typeof TaskPatch.static;

/** A task body with its due date as epoch ms (400 naming `due_at` when it is not a time). */
function taskInput(body: TaskBody): TaskInput {
  const { due_at, ...rest } = body;
  return {
    ...rest,
    ...(due_at !== undefined
      ? { due_at: due_at === null ? null : (instantParam(due_at, 'due_at') ?? null) }
      : {}),
  };
}

/** Workplans (seed 004): plans of tasks with owners, due dates and status, attached to an alert or a case. */
export async function workplanRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const workplans = ctx.cases.workplans;

  app.get(
    '/api/v1/workplans',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'List workplans, newest first', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await workplans.list({
        orgId: principalOf(request).orgId,
        subjectType: q.subject_type,
        subjectId: q.subject_id,
        ownerId: q.owner_id,
        before: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(
        rows.map((w) => ({ ...w, id: w.plan.id })),
        limit,
        presentWorkplan,
      );
    },
  );

  app.post(
    '/api/v1/workplans',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.create', target: 'workplan' } },
      schema: { tags, summary: 'Create a workplan on an alert or a case, with tasks', body: WorkplanCreate },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as typeof WorkplanCreate.static;
      const created = await workplans.create(p.orgId, p.userId, {
        ...body,
        tasks: body.tasks?.map((t) => ({ ...taskInput(t), title: t.title })),
      });
      noteAudit(request, { targetId: created.plan.id });
      return reply.status(201).send(presentWorkplan(created));
    },
  );

  app.get(
    '/api/v1/workplans/:id',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'A workplan with its tasks', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentWorkplan(await workplans.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/workplans/:id',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.update', target: 'workplan' } },
      schema: { tags, summary: 'Change a workplan', params: IdParams, body: WorkplanPatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof WorkplanPatch.static;
      return presentWorkplan(await workplans.update(principalOf(request).orgId, id, body));
    },
  );

  app.delete(
    '/api/v1/workplans/:id',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.delete', target: 'workplan' } },
      schema: { tags, summary: 'Delete a workplan and its tasks', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await workplans.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/workplans/:id/tasks',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.task_create', target: 'workplan' } },
      schema: { tags, summary: 'Add a task', params: IdParams, body: TaskCreate },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof TaskCreate.static;
      const task = await workplans.addTask(principalOf(request).orgId, id, {
        ...taskInput(body),
        title: body.title,
      });
      return reply.status(201).send(presentTask(task));
    },
  );

  app.patch(
    '/api/v1/workplans/:id/tasks/:taskId',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.task_update', target: 'workplan' } },
      schema: {
        tags,
        summary: 'Change a task (title, owner, due date, status)',
        params: TaskParams,
        body: TaskPatch,
      },
    },
    async (request) => {
      const { id, taskId } = request.params as typeof TaskParams.static;
      const body = request.body as typeof TaskPatch.static;
      return presentTask(await workplans.updateTask(principalOf(request).orgId, id, taskId, taskInput(body)));
    },
  );

  app.delete(
    '/api/v1/workplans/:id/tasks/:taskId',
    {
      config: { permission: 'cases:write', audit: { action: 'workplan.task_delete', target: 'workplan' } },
      schema: { tags, summary: 'Delete a task', params: TaskParams },
    },
    async (request, reply) => {
      const { id, taskId } = request.params as typeof TaskParams.static;
      await workplans.deleteTask(principalOf(request).orgId, id, taskId);
      return reply.status(204).send();
    },
  );
}
