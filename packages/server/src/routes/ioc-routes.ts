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

const tags = ['rules'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const IocTypeSchema = Type.Union(IOC_TYPES.map((t) => Type.Literal(t)));
const Format = Type.Union([Type.Literal('csv'), Type.Literal('text')]);

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

function options(o: {
  type?: IocType | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  expires_at?: string | undefined;
}) {
  let severity: Severity | undefined;
  if (o.severity !== undefined) {
    severity = parseSeverity(o.severity);
    if (severity === undefined) throw badRequest('invalid_severity', `Unknown severity "${o.severity}".`);
  }
  let expiresAt: number | undefined;
  if (o.expires_at !== undefined) {
    expiresAt = Date.parse(o.expires_at);
    if (Number.isNaN(expiresAt)) throw badRequest('invalid_expiry', 'expires_at must be an RFC 3339 time.');
  }
  return { type: o.type, severity, source: o.source, expiresAt };
}

/** IOC lists: import (CSV or plain text), list, delete. */
export async function iocRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const iocs = ctx.detection.iocs;
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
          'CSV (`text/csv`; header with `value` and optionally `type`, `severity`, `source`, `description`, `expires_at`) or plain text (`text/plain`; one indicator per line, type guessed), or JSON `{format, content, type?, severity?, source?, expires_at?}`. Hashes (MD5, SHA-1, SHA-256), IPv4/IPv6 addresses and CIDR ranges, domains (subdomains match), URLs.',
        querystring: ImportQuery,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as typeof ImportQuery.static;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let text: string;
      let format: 'csv' | 'text';
      let opts: ReturnType<typeof options>;
      if (typeof request.body === 'string') {
        text = request.body;
        format = q.format ?? (type === 'text/csv' ? 'csv' : 'text');
        opts = options(q);
      } else if (type === 'application/json') {
        const b = validateOrThrow(ImportJson, request.body);
        text = b.content;
        format = b.format;
        opts = options(b);
      } else {
        throw unsupportedMediaType(
          'unsupported_media_type',
          'Send text/csv, text/plain or application/json.',
        );
      }
      const result = await iocs.import(p.orgId, p.userId, text, { format, ...opts });
      noteAudit(request, { details: { imported: result.imported, problems: result.problems.length } });
      return result;
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
