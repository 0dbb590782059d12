import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import {
  presentAnalysis,
  presentAnalysisSummary,
  presentPatternRule,
} from '../presenters/exposure-presenter.ts';

const tags = ['analysis'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const UploadQuery = Type.Object({
  filename: Type.Optional(Type.String({ maxLength: 255 })),
  case_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
const ListQuery = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('email')])),
  verdict: Type.Optional(
    Type.Union([Type.Literal('clean'), Type.Literal('suspicious'), Type.Literal('malicious')]),
  ),
  case_id: Type.Optional(Type.String({ maxLength: 64 })),
  sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const RuleBody = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: 65_536 }), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const RulePatch = Type.Object(
  {
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * Static analysis of files and e-mails (never executed), the stored reports,
 * and the organization's pattern rules (a YARA subset, see detect's
 * pattern-rules.ts).
 */
export async function analysisRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const analysis = ctx.exposure.analysis;

  await app.register(async (uploads) => {
    // Any media type is the file itself: a JSON or text file must not be parsed on the way in.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const upload =
      (kind: 'file' | 'email') =>
      async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
        const q = request.query as typeof UploadQuery.static;
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw badRequest('empty_body', 'Send the file as the request body.');
        if (q.case_id) await ctx.cases.cases.get(principalOf(request).orgId, q.case_id);
        const p = principalOf(request);
        const input = {
          name: (q.filename ?? '').trim() || (kind === 'file' ? 'upload.bin' : ''),
          data: body,
          caseId: q.case_id,
        };
        const row =
          kind === 'file'
            ? await analysis.analyzeFile(p.orgId, p.userId, input)
            : await analysis.analyzeEmail(p.orgId, p.userId, input);
        noteAudit(request, { targetId: row.id, details: { sha256: row.sha256, verdict: row.verdict } });
        return reply.status(201).send(presentAnalysis(row));
      };
    uploads.post(
      '/api/v1/analysis/files',
      {
        config: { permission: 'analysis:submit', audit: { action: 'analysis.file', target: 'analysis' } },
        bodyLimit: ctx.config.analysisMaxBytes,
        schema: {
          tags,
          summary:
            'Analyze a file statically (hashes, type, entropy, PE/ELF facts, strings, rules, indicators, verdict)',
          description:
            'The body is the file (any media type). Over `HARRIER_ANALYSIS_MAX_BYTES`: 413. The file is never executed nor kept; its report is.',
          querystring: UploadQuery,
        },
      },
      upload('file'),
    );
    uploads.post(
      '/api/v1/analysis/emails',
      {
        config: { permission: 'analysis:submit', audit: { action: 'analysis.email', target: 'analysis' } },
        bodyLimit: ctx.config.analysisMaxBytes,
        schema: {
          tags,
          summary:
            'Analyze an e-mail (.eml): authentication results, sender mismatches, links, attachments; an alert when malicious',
          querystring: UploadQuery,
        },
      },
      upload('email'),
    );
  });

  app.get(
    '/api/v1/analysis',
    {
      config: { permission: 'analysis:read' },
      schema: { tags, summary: 'Analysis reports, newest first', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await analysis.list({
        orgId: principalOf(request).orgId,
        kind: q.kind,
        verdict: q.verdict,
        caseId: q.case_id,
        sha256: q.sha256,
        before: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      return {
        items: items.map(presentAnalysisSummary),
        next_cursor: rows.length > limit && items.length > 0 ? encodeCursor(items.at(-1)!.id) : null,
      };
    },
  );

  app.get(
    '/api/v1/analysis/:id',
    {
      config: { permission: 'analysis:read' },
      schema: { tags, summary: 'One analysis report', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAnalysis(await analysis.get(principalOf(request).orgId, id));
    },
  );

  app.get(
    '/api/v1/analysis-rules',
    {
      config: { permission: 'analysis:read' },
      schema: { tags, summary: 'The organization’s pattern rules' },
    },
    async (request) => ({
      items: (await analysis.listRules(principalOf(request).orgId)).map(presentPatternRule),
    }),
  );

  app.post(
    '/api/v1/analysis-rules',
    {
      config: {
        permission: 'analysis:rules',
        audit: { action: 'analysis_rule.create', target: 'pattern_rule' },
      },
      schema: {
        tags,
        summary:
          'Add a pattern rule (one rule of the YARA subset); 422 `invalid_pattern_rule` names the line',
        body: RuleBody,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = await analysis.createRule(p.orgId, p.userId, request.body as typeof RuleBody.static);
      noteAudit(request, { targetId: row.id, details: { name: row.name } });
      return reply.status(201).send(presentPatternRule(row));
    },
  );

  app.patch(
    '/api/v1/analysis-rules/:id',
    {
      config: {
        permission: 'analysis:rules',
        audit: { action: 'analysis_rule.update', target: 'pattern_rule' },
      },
      schema: { tags, summary: 'Change or enable/disable a pattern rule', params: IdParams, body: RulePatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      noteAudit(request, { targetId: id });
      return presentPatternRule(
        await analysis.updateRule(principalOf(request).orgId, id, request.body as typeof RulePatch.static),
      );
    },
  );

  app.delete(
    '/api/v1/analysis-rules/:id',
    {
      config: {
        permission: 'analysis:rules',
        audit: { action: 'analysis_rule.delete', target: 'pattern_rule' },
      },
      schema: { tags, summary: 'Delete a pattern rule', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await analysis.deleteRule(principalOf(request).orgId, id);
      noteAudit(request, { targetId: id });
      return reply.status(204).send();
    },
  );
}
