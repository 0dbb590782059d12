import { SEVERITIES } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, unsupportedMediaType } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { listParam, minSeverityRankParam } from '../http/filter-params.ts';
import { decodeCursor, encodeCursor, PageQuery, page } from '../http/pagination.ts';
import { mediaType } from '../http/raw-body.ts';
import {
  presentAttachment,
  presentCase,
  presentCaseDetail,
  presentWarRoomEntry,
} from '../presenters/case-presenter.ts';
import { attachmentDisposition } from '../services/attachment-types.ts';
import { CASE_STATUSES, type CaseStatus } from '../services/case-transitions.ts';

const tags = ['cases'];
const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Description = Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()]);
const SeverityText = Type.String({ maxLength: 32, description: SEVERITIES.join(', ') });
const Owner = Type.Union([Id, Type.Null()], { description: 'A user of the organization, or null.' });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 });
const AlertIds = Type.Array(Id, { minItems: 1, maxItems: 500 });

const CaseCreate = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    severity: Type.Optional(SeverityText),
    owner_id: Type.Optional(Owner),
    tags: Type.Optional(Tags),
    alert_ids: Type.Optional(Type.Array(Id, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
const CasePatch = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    severity: Type.Optional(SeverityText),
    owner_id: Type.Optional(Owner),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
const StatusChange = Type.Object(
  {
    status: Type.Union(CASE_STATUSES.map((s) => Type.Literal(s))),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(
    Type.String({ maxLength: 200, description: 'One status or a comma-separated list.' }),
  ),
  severity: Type.Optional(
    Type.String({ maxLength: 32, description: `At or above: ${SEVERITIES.join(', ')}` }),
  ),
  owner_id: Type.Optional(Id),
  alert_id: Type.Optional(Type.String({ maxLength: 64, description: 'Cases linking this alert.' })),
  source: Type.Optional(Type.Union([Type.Literal('manual'), Type.Literal('auto')])),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the title or description.' })),
});
const UploadQuery = Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) });
const AttachmentParams = Type.Object({ id: Id, attachmentId: Id });
const AlertParams = Type.Object({ id: Id, alertId: Id });

/** Cases (seed 004's incidents) and their war room: lifecycle, linked alerts and evidence, notes, attachments. */
export async function caseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cases = ctx.cases.cases;
  const attachments = ctx.cases.attachments;

  app.get(
    '/api/v1/cases',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'List cases, newest first', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const orgId = principalOf(request).orgId;
      const limit = q.limit ?? 50;
      const status = listParam(q.status);
      const unknown = status?.find((s) => !(CASE_STATUSES as readonly string[]).includes(s));
      if (unknown !== undefined)
        throw badRequest('invalid_status', `status must be among ${CASE_STATUSES.join(', ')}.`);
      const minSeverityRank = minSeverityRankParam(q.severity);
      const rows = await cases.list({
        orgId,
        status,
        minSeverityRank,
        ownerId: q.owner_id,
        alertId: q.alert_id,
        source: q.source,
        search: q.q,
        before: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      const names = await cases.userNames(
        orgId,
        rows.map((r) => r.owner_id),
      );
      return page(rows, limit, (r) => presentCase(r, names));
    },
  );

  app.post(
    '/api/v1/cases',
    {
      config: { permission: 'cases:write', audit: { action: 'case.create', target: 'case' } },
      schema: { tags, summary: 'Open a case, empty or from alerts', body: CaseCreate },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = await cases.create(p.orgId, p.userId, request.body as typeof CaseCreate.static);
      noteAudit(request, { targetId: row.id });
      const detail = await cases.detail(p.orgId, row.id);
      const names = await cases.userNames(p.orgId, [row.owner_id]);
      return reply.status(201).send(presentCaseDetail(detail, names));
    },
  );

  app.get(
    '/api/v1/cases/:id',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'A case with its alerts and attachments', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const orgId = principalOf(request).orgId;
      const detail = await cases.detail(orgId, id);
      return presentCaseDetail(detail, await cases.userNames(orgId, [detail.case.owner_id]));
    },
  );

  app.patch(
    '/api/v1/cases/:id',
    {
      config: { permission: 'cases:write', audit: { action: 'case.update', target: 'case' } },
      schema: {
        tags,
        summary: 'Change title, description, severity, owner or tags',
        params: IdParams,
        body: CasePatch,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      const row = await cases.update(p.orgId, p.userId, id, request.body as typeof CasePatch.static);
      return presentCase(row, await cases.userNames(p.orgId, [row.owner_id]));
    },
  );

  app.post(
    '/api/v1/cases/:id/status',
    {
      config: { permission: 'cases:write', audit: { action: 'case.status', target: 'case' } },
      schema: {
        tags,
        summary:
          'Move a case along new → triage → in_progress → contained → resolved → closed (409 when not allowed)',
        params: IdParams,
        body: StatusChange,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof StatusChange.static;
      const p = principalOf(request);
      const row = await cases.changeStatus(p.orgId, p.userId, id, body.status as CaseStatus, body.reason);
      noteAudit(request, { details: { status: body.status } });
      return presentCase(row, await cases.userNames(p.orgId, [row.owner_id]));
    },
  );

  const LinkBody = Type.Object({ alert_ids: AlertIds }, { additionalProperties: false });
  app.post(
    '/api/v1/cases/:id/alerts',
    {
      config: { permission: 'cases:write', audit: { action: 'case.link_alerts', target: 'case' } },
      schema: {
        tags,
        summary: 'Link alerts to the case (per-alert result)',
        params: IdParams,
        body: LinkBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      const results = await cases.linkAlerts(
        p.orgId,
        p.userId,
        id,
        (request.body as typeof LinkBody.static).alert_ids,
      );
      return { results };
    },
  );

  app.delete(
    '/api/v1/cases/:id/alerts/:alertId',
    {
      config: { permission: 'cases:write', audit: { action: 'case.unlink_alert', target: 'case' } },
      schema: { tags, summary: 'Unlink an alert from the case', params: AlertParams },
    },
    async (request, reply) => {
      const { id, alertId } = request.params as typeof AlertParams.static;
      const p = principalOf(request);
      await cases.unlinkAlert(p.orgId, p.userId, id, alertId);
      return reply.status(204).send();
    },
  );

  const EventBody = Type.Object(
    { event_id: Id, note: Type.Optional(Type.String({ maxLength: 2000 })) },
    { additionalProperties: false },
  );
  app.post(
    '/api/v1/cases/:id/events',
    {
      config: { permission: 'cases:write', audit: { action: 'case.link_event', target: 'case' } },
      schema: {
        tags,
        summary: 'Record a stored event as evidence in the war room',
        params: IdParams,
        body: EventBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof EventBody.static;
      const p = principalOf(request);
      const entry = await cases.linkEvent(p.orgId, p.userId, id, body.event_id, body.note);
      const names = await cases.userNames(p.orgId, [entry.actor_id]);
      return reply.status(201).send(presentWarRoomEntry({ kind: 'entry', row: entry }, names));
    },
  );

  const NoteBody = Type.Object(
    { body: Type.String({ minLength: 1, maxLength: 20_000 }) },
    { additionalProperties: false },
  );
  app.post(
    '/api/v1/cases/:id/notes',
    {
      config: { permission: 'cases:write', audit: { action: 'case.note', target: 'case' } },
      schema: {
        tags,
        summary: 'Add a war-room note (Markdown, stored as text)',
        params: IdParams,
        body: NoteBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      const note = await cases.addNote(p.orgId, p.userId, id, (request.body as typeof NoteBody.static).body);
      const names = await cases.userNames(p.orgId, [note.author_id]);
      return reply.status(201).send(presentWarRoomEntry({ kind: 'note', row: note }, names));
    },
  );

  const TimelineQuery = Type.Object({ ...PageQuery });
  app.get(
    '/api/v1/cases/:id/timeline',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags,
        summary: 'The war room, oldest first: notes, status changes, linked evidence, with who and when',
        params: IdParams,
        querystring: TimelineQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const q = request.query as typeof TimelineQuery.static;
      const orgId = principalOf(request).orgId;
      const { items, next } = await cases.timeline(orgId, id, decodeCursor(q.cursor), q.limit ?? 100);
      const names = await cases.userNames(
        orgId,
        items.map((e) => (e.kind === 'note' ? e.row.author_id : e.row.actor_id)),
      );
      return {
        items: items.map((e) => presentWarRoomEntry(e, names)),
        next_cursor: next === null ? null : encodeCursor(next),
      };
    },
  );

  app.get(
    '/api/v1/cases/:id/attachments',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'Attachments of a case', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return { items: (await attachments.list(principalOf(request).orgId, id)).map(presentAttachment) };
    },
  );

  app.get(
    '/api/v1/cases/:id/attachments/:attachmentId',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags,
        summary: 'Download an attachment (always as a download, never rendered)',
        params: AttachmentParams,
      },
    },
    async (request, reply) => {
      const { id, attachmentId } = request.params as typeof AttachmentParams.static;
      const { row, stream } = await attachments.open(principalOf(request).orgId, id, attachmentId);
      const text = row.content_type.startsWith('text/') || row.content_type === 'application/json';
      return reply
        .header('content-type', text ? `${row.content_type}; charset=utf-8` : row.content_type)
        .header('content-disposition', attachmentDisposition(row.filename))
        .header('content-length', String(row.size))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(stream);
    },
  );

  app.delete(
    '/api/v1/cases/:id/attachments/:attachmentId',
    {
      config: { permission: 'cases:write', audit: { action: 'case.detach', target: 'case' } },
      schema: { tags, summary: 'Delete an attachment (recorded in the war room)', params: AttachmentParams },
    },
    async (request, reply) => {
      const { id, attachmentId } = request.params as typeof AttachmentParams.static;
      const p = principalOf(request);
      await attachments.remove(p.orgId, p.userId, id, attachmentId);
      noteAudit(request, { details: { attachment_id: attachmentId } });
      return reply.status(204).send();
    },
  );

  // The upload takes the file's bytes as the body (Content-Type: its media type), in a scope
  // of its own so that no JSON parser or the global body limit applies to it.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > attachments.maxBytes) {
        payload.resume();
        return done(attachments.tooLarge(), undefined);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      payload.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > attachments.maxBytes) {
          failed = true;
          done(attachments.tooLarge(), undefined);
          return;
        }
        chunks.push(chunk);
      });
      payload.on('end', () => {
        if (!failed) done(null, Buffer.concat(chunks));
      });
      payload.on('error', (error) => {
        if (!failed) {
          failed = true;
          done(error, undefined);
        }
      });
    });
    scope.post(
      '/api/v1/cases/:id/attachments',
      {
        config: { permission: 'cases:write', audit: { action: 'case.attach', target: 'case' } },
        schema: {
          tags,
          summary:
            'Upload an attachment: the body is the file, Content-Type its media type, ?filename= its name (413 over HARRIER_ATTACHMENT_MAX_BYTES, 415 for a refused type or content)',
          params: IdParams,
          querystring: UploadQuery,
        },
      },
      async (request, reply) => {
        const { id } = request.params as typeof IdParams.static;
        const { filename } = request.query as typeof UploadQuery.static;
        const body = request.body;
        if (!Buffer.isBuffer(body))
          throw unsupportedMediaType('attachment_type_not_allowed', 'Send the file as the body.');
        const p = principalOf(request);
        const row = await attachments.upload(p.orgId, p.userId, id, {
          filename,
          contentType: mediaType(request.headers['content-type']),
          bytes: body,
        });
        noteAudit(request, { details: { attachment_id: row.id, size: row.size } });
        return reply.status(201).send(presentAttachment(row));
      },
    );
  });
}
