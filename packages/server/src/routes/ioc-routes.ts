import { parseSeverity, type Severity } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, unsupportedMediaType } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { validateOrThrow } from '../http/validation.ts';
import { presentIoc } from '../presenters/ioc-presenter.ts';
import { IOC_TYPES, type IocType } from '../services/ioc-matcher.ts';
import { IOC_IMPORT_FORMATS, type IocImportFormat } from '../services/ioc-service.ts';

const tags = ['rules'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const IocTypeSchema = Type.Union(IOC_TYPES.map((t) => Type.Literal(t)));
const Format = Type.Union(IOC_IMPORT_FORMATS.map((f) => Type.Literal(f)));
const SeverityText = Type.String({ maxLength: 32 });
const CreateBody = Type.Object(
  {
    type: IocTypeSchema,
    value: Type.String({ minLength: 1, maxLength: 2048 }),
    severity: Type.Optional(SeverityText),
    source: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
    expires_at: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 64 })])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    severity: Type.Optional(SeverityText),
    source: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
    expires_at: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 64 })])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ImportOptions = {
  type: Type.Optional(IocTypeSchema),
  severity: Type.Optional(Type.String({ maxLength: 32 })),
  source: Type.Optional(Type.String({ maxLength: 200 })),
  expires_at: Type.Optional(Type.String({ maxLength: 64 })),
};
const ImportQuery = Type.Object({ format: Type.Optional(Format), ...ImportOptions });
const ImportJson = Type.Object(
  { format: Format, content: Type.String({ minLength: 1, maxLength: 50 * 1024 * 1024 }), ...ImportOptions },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(IocTypeSchema),
  q: Type.Optional(Type.String({ maxLength: 200 })),
});

function severityOf(raw: string | undefined): Severity | undefined {
  if (raw === undefined) return undefined;
  const s = parseSeverity(raw);
  if (s === undefined) throw badRequest('invalid_severity', `Unknown severity "${raw}".`);
  return s;
}

/** `null` clears the expiry; a time sets it; absent leaves it. */
function expiryOf(raw: string | null | undefined): number | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw badRequest('invalid_expiry', 'expires_at must be an RFC 3339 time.');
  return t;
}

/** A JSON document uploaded as is: a STIX bundle, a MISP export, or undefined for neither. */
function jsonFormatOf(body: unknown): IocImportFormat | undefined {
  if (Array.isArray(body)) {
    const first = body[0] as Record<string, unknown> | undefined;
    if (first && typeof first === 'object' && 'Event' in first) return 'misp';
    if (first && typeof first === 'object' && typeof first.type === 'string') return 'stix';
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const o = body as Record<string, unknown>;
  if (o.type === 'bundle' || Array.isArray(o.objects) || o.type === 'indicator') return 'stix';
  if ('Event' in o || Array.isArray(o.response)) return 'misp';
  return undefined;
}

function options(o: {
  type?: IocType | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  expires_at?: string | undefined;
}) {
  return {
    type: o.type,
    severity: severityOf(o.severity),
    source: o.source,
    expiresAt: expiryOf(o.expires_at) ?? undefined,
  };
}

/** Indicators: create, read, change, delete; import from CSV, plain text, STIX 2.1 and MISP files. */
export async function iocRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const iocs = ctx.detection.iocs;
  app.addContentTypeParser('application/stix+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(badRequest('invalid_json', 'The body is not JSON.'), undefined);
    }
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/iocs',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'List IOC indicators', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await iocs.list(principalOf(request).orgId, {
        type: q.type,
        search: q.q,
        after: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentIoc);
    },
  );

  app.post(
    '/api/v1/iocs/import',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc.import', target: 'ioc' } },
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import an IOC list',
        description:
          'A file as the body: CSV (`text/csv`; header with `value` and optionally `type`, `severity`, `source`, `description`, `expires_at`), plain text (`text/plain`; one indicator per line, type guessed), a STIX 2.1 bundle or a MISP JSON export (`application/json`, recognized by shape or `?format=stix|misp`), or JSON `{format, content, type?, severity?, source?, expires_at?}`. Hashes (MD5, SHA-1, SHA-256), IPv4/IPv6 addresses and CIDR ranges, domains (subdomains match), URLs, e-mail addresses. The answer lists every entry with its status (created, refreshed, rejected, skipped) and the reason.',
        querystring: ImportQuery,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as typeof ImportQuery.static;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let text: string;
      let format: IocImportFormat;
      let opts: ReturnType<typeof options>;
      if (typeof request.body === 'string') {
        text = request.body;
        format = q.format ?? (type === 'text/csv' ? 'csv' : 'text');
        opts = options(q);
      } else if (type === 'application/json' || type === 'application/stix+json') {
        const uploaded = jsonFormatOf(request.body);
        if (uploaded !== undefined || q.format === 'stix' || q.format === 'misp') {
          // A STIX bundle or MISP export uploaded as the body, options in the query.
          text = JSON.stringify(request.body);
          format = q.format ?? uploaded!;
          opts = options(q);
        } else {
          const b = validateOrThrow(ImportJson, request.body);
          text = b.content;
          format = b.format;
          opts = options(b);
        }
      } else {
        throw unsupportedMediaType(
          'unsupported_media_type',
          'Send text/csv, text/plain, application/json (a STIX bundle, a MISP export, or {format, content}).',
        );
      }
      const result = await iocs.import(p.orgId, p.userId, text, { format, ...opts });
      noteAudit(request, { details: { imported: result.imported, problems: result.problems.length } });
      return result;
    },
  );

  app.post(
    '/api/v1/iocs',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc.create', target: 'ioc' } },
      schema: { tags, summary: 'Add an indicator', body: CreateBody },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = request.body as typeof CreateBody.static;
      const row = await iocs.create(p.orgId, p.userId, {
        type: b.type,
        value: b.value,
        severity: severityOf(b.severity),
        source: b.source,
        description: b.description,
        expiresAt: expiryOf(b.expires_at),
        active: b.active,
      });
      noteAudit(request, { targetId: row.id });
      return reply.status(201).send(presentIoc(row));
    },
  );

  app.get(
    '/api/v1/iocs/:id',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'An indicator', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentIoc(await iocs.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/iocs/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc.update', target: 'ioc' } },
      schema: {
        tags,
        summary: 'Change an indicator’s severity, source, description, expiry or active flag',
        params: IdParams,
        body: PatchBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof PatchBody.static;
      const row = await iocs.update(principalOf(request).orgId, id, {
        severity: severityOf(b.severity),
        source: b.source,
        description: b.description,
        expiresAt: expiryOf(b.expires_at),
        active: b.active,
      });
      noteAudit(request, { targetId: id });
      return presentIoc(row);
    },
  );

  app.delete(
    '/api/v1/iocs/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc.delete', target: 'ioc' } },
      schema: { tags, summary: 'Delete an indicator', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await iocs.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );
}
