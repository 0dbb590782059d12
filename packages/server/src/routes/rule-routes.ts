import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { validateOrThrow } from '../http/validation.ts';
import { presentRule, presentRuleSummary, presentRuleVersion } from '../presenters/rule-presenter.ts';
import { readZip, ZipError } from '../services/zip-reader.ts';

const tags = ['rules'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const VersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  version: Type.Integer({ minimum: 1 }),
});
const GroupBy = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
  maxItems: 16,
  description: 'Event fields whose values group matches into one alert (default: rule + device).',
});
/** Largest YAML accepted for one rule. */
const MAX_RULE_BYTES = 256 * 1024;
/** Limits of an imported archive. */
const ZIP_LIMITS = { maxEntries: 20_000, maxTotalBytes: 200 * 1024 * 1024 };

const ListQuery = Type.Object({
  ...PageQuery,
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the title, id or description.' })),
  enabled: Type.Optional(Type.Boolean()),
  level: Type.Optional(Type.String({ maxLength: 32 })),
  source: Type.Optional(Type.String({ maxLength: 32 })),
  kind: Type.Optional(Type.Union([Type.Literal('rule'), Type.Literal('correlation')])),
  product: Type.Optional(Type.String({ maxLength: 128 })),
  category: Type.Optional(Type.String({ maxLength: 128 })),
  service: Type.Optional(Type.String({ maxLength: 128 })),
  tag: Type.Optional(Type.String({ maxLength: 128, description: 'A Sigma tag, e.g. attack.t1059.001' })),
});

const CreateBody = Type.Object(
  {
    yaml: Type.String({ minLength: 1, maxLength: MAX_RULE_BYTES }),
    enabled: Type.Optional(Type.Boolean()),
    group_by: Type.Optional(GroupBy),
  },
  { additionalProperties: false },
);

const PutBody = Type.Object(
  {
    yaml: Type.String({ minLength: 1, maxLength: MAX_RULE_BYTES }),
    enabled: Type.Optional(Type.Boolean()),
    group_by: Type.Optional(GroupBy),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    yaml: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_RULE_BYTES })),
    enabled: Type.Optional(Type.Boolean()),
    group_by: Type.Optional(GroupBy),
  },
  { additionalProperties: false },
);

const ConditionMap = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
  severity: Type.Optional(Type.String({ maxLength: 32 })),
  enabled: Type.Optional(Type.Boolean()),
  conditions: Type.Record(Type.String({ maxLength: 256 }), Type.Unknown()),
  create_incident: Type.Optional(Type.Boolean()),
});

const ImportJsonBody = Type.Object(
  {
    yaml: Type.Optional(Type.String({ maxLength: 50 * 1024 * 1024 })),
    files: Type.Optional(
      Type.Array(Type.Object({ path: Type.String({ maxLength: 1024 }), text: Type.String() }), {
        maxItems: 20_000,
      }),
    ),
    condition_maps: Type.Optional(Type.Array(ConditionMap, { maxItems: 10_000 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ImportQuery = Type.Object({ enabled: Type.Optional(Type.Boolean()) });

const TestBody = Type.Object(
  {
    yaml: Type.String({ minLength: 1, maxLength: MAX_RULE_BYTES }),
    events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);

const ExportQuery = Type.Object({ enabled: Type.Optional(Type.Boolean()) });

const YAML_TYPES = ['application/x-yaml', 'application/yaml', 'text/yaml', 'text/x-yaml'];
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

/** Rule management: Sigma YAML in, validated as the engine runs it, versioned, imported and exported. */
export async function ruleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rules = ctx.detection.rules;
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser(ZIP_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/rules',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'List and search rules', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await rules.list({
        orgId: principalOf(request).orgId,
        search: q.q,
        enabled: q.enabled,
        level: q.level?.toLowerCase(),
        source: q.source,
        kind: q.kind,
        product: q.product,
        category: q.category,
        service: q.service,
        tag: q.tag,
        after: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentRuleSummary);
    },
  );

  app.post(
    '/api/v1/rules',
    {
      config: { permission: 'rules:write', audit: { action: 'rule.create', target: 'rule' } },
      schema: {
        tags,
        summary: 'Create a rule from Sigma YAML',
        description:
          'A rule the engine cannot run is a 422 `invalid_rule` listing `{line, column, message}`.',
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const body = request.body as typeof CreateBody.static;
      const p = principalOf(request);
      const row = await rules.create(p.orgId, p.userId, {
        yaml: body.yaml,
        enabled: body.enabled,
        groupBy: body.group_by,
      });
      noteAudit(request, { targetId: row.id, details: { rule_id: row.rule_uid } });
      return reply.status(201).send(presentRule(row));
    },
  );

  app.post(
    '/api/v1/rules/import',
    {
      config: { permission: 'rules:write', audit: { action: 'rule.import', target: 'rule' } },
      bodyLimit: 100 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import many rules',
        description:
          'Multi-document Sigma YAML (`application/yaml`), a zip of `.yml` files (`application/zip`), or JSON `{yaml?, files?: [{path, text}], condition_maps?: [seed 004 rules]}`. Answers a result per rule.',
        querystring: ImportQuery,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as typeof ImportQuery.static;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const body = request.body;
      let summary: Awaited<ReturnType<typeof rules.importSources>>;
      if (Buffer.isBuffer(body)) {
        let entries: ReturnType<typeof readZip>;
        try {
          entries = readZip(
            body,
            (path) => /\.ya?ml$/i.test(path) && !/(^|\/)(\.|__MACOSX)/.test(path),
            ZIP_LIMITS,
          );
        } catch (error) {
          if (error instanceof ZipError) throw unprocessable('invalid_zip', error.message);
          throw error;
        }
        const sources = entries.map((e) => ({ path: e.path, text: e.data.toString('utf8') }));
        summary = await rules.importSources(p.orgId, p.userId, sources, { enabled: q.enabled });
      } else if (typeof body === 'string') {
        summary = await rules.importSources(p.orgId, p.userId, [{ text: body }], { enabled: q.enabled });
      } else if (type === 'application/json' && body !== null && typeof body === 'object') {
        const b = validateOrThrow(ImportJsonBody, body);
        const sources = [...(b.yaml !== undefined ? [{ text: b.yaml }] : []), ...(b.files ?? [])];
        if (sources.length === 0 && !b.condition_maps?.length)
          throw badRequest('empty_import', 'Nothing to import: give yaml, files or condition_maps.');
        const bySigma =
          sources.length > 0
            ? await rules.importSources(p.orgId, p.userId, sources, { enabled: b.enabled ?? q.enabled })
            : undefined;
        const byMaps = b.condition_maps?.length
          ? await rules.importConditionMaps(p.orgId, p.userId, b.condition_maps)
          : undefined;
        summary = mergeSummaries(bySigma, byMaps);
      } else {
        throw unsupportedMediaType(
          'unsupported_media_type',
          'Send application/yaml, application/zip or application/json.',
        );
      }
      noteAudit(request, {
        details: { created: summary.created, updated: summary.updated, invalid: summary.invalid },
      });
      return summary;
    },
  );

  app.get(
    '/api/v1/rules/export',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'Every rule as multi-document YAML', querystring: ExportQuery },
    },
    async (request, reply) => {
      const q = request.query as typeof ExportQuery.static;
      const text = await rules.exportYaml(principalOf(request).orgId, q.enabled ?? false);
      return reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="harrier-rules.yml"')
        .send(text);
    },
  );

  app.post(
    '/api/v1/rules/test',
    {
      config: { permission: 'rules:read', audit: false },
      schema: {
        tags,
        summary: 'Run a rule over sample events',
        description:
          'Nothing is stored. For each event: whether it matches, and which selections were true. Events may be Windows records, normalized `{fields, logsource}` events or flat field maps.',
        body: TestBody,
      },
    },
    async (request) => {
      const body = request.body as typeof TestBody.static;
      return rules.test(principalOf(request).orgId, body.yaml, body.events);
    },
  );

  app.get(
    '/api/v1/rules/:id',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'A rule with its YAML', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentRule(await rules.get(principalOf(request).orgId, id));
    },
  );

  const change = (summary: string, schema: typeof PutBody | typeof PatchBody) => ({
    config: { permission: 'rules:write' as const, audit: { action: 'rule.update', target: 'rule' } },
    schema: { tags, summary, params: IdParams, body: schema },
  });
  const update = async (request: FastifyRequest) => {
    const { id } = request.params as typeof IdParams.static;
    const body = request.body as typeof PatchBody.static;
    const p = principalOf(request);
    const row = await rules.update(p.orgId, p.userId, id, {
      yaml: body.yaml,
      enabled: body.enabled,
      groupBy: body.group_by,
    });
    noteAudit(request, { details: { version: row.version } });
    return presentRule(row);
  };
  app.put('/api/v1/rules/:id', change('Replace a rule’s YAML (a new version)', PutBody), update);
  app.patch('/api/v1/rules/:id', change('Change a rule’s YAML, enabled flag or grouping', PatchBody), update);

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(
      `/api/v1/rules/:id/${action}`,
      {
        config: { permission: 'rules:write', audit: { action: `rule.${action}`, target: 'rule' } },
        schema: { tags, summary: `${action === 'enable' ? 'Enable' : 'Disable'} a rule`, params: IdParams },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const p = principalOf(request);
        return presentRule(await rules.setEnabled(p.orgId, p.userId, id, enabled));
      },
    );
  }

  app.delete(
    '/api/v1/rules/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'rule.delete', target: 'rule' } },
      schema: { tags, summary: 'Delete a rule (its versions are kept for alerts)', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await rules.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/rules/:id/versions',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'Every saved version of a rule', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const versions = await rules.versions(principalOf(request).orgId, id);
      return { items: versions.map(presentRuleVersion) };
    },
  );

  app.get(
    '/api/v1/rules/:id/versions/:version',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'One version of a rule', params: VersionParams },
    },
    async (request) => {
      const { id, version } = request.params as typeof VersionParams.static;
      return presentRuleVersion(await rules.version(principalOf(request).orgId, id, version));
    },
  );
}

type Summary = Awaited<ReturnType<AppContext['detection']['rules']['importSources']>>;
function mergeSummaries(a: Summary | undefined, b: Summary | undefined): Summary {
  const parts = [a, b].filter((x): x is Summary => x !== undefined);
  return {
    created: parts.reduce((n, s) => n + s.created, 0),
    updated: parts.reduce((n, s) => n + s.updated, 0),
    unchanged: parts.reduce((n, s) => n + s.unchanged, 0),
    invalid: parts.reduce((n, s) => n + s.invalid, 0),
    results: parts.flatMap((s) => s.results),
  };
}
