import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';

const RulesQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('sigma'), Type.Literal('yaml')])),
});
const DetectorsQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
});
const fastapi = { errorShape: 'fastapi' as const };

/**
 * Exports for analytics services and automation (API tokens): seed 000's
 * `/api/export/*` in its shapes, and the native `/api/v1/export/*` in JSON,
 * Sigma YAML (rules) and YAML (detectors). Unlike seed 000 they need a token.
 */
export async function exportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const exports = ctx.management.exports;

  for (const path of ['/api/export/rules', '/api/export/rules/']) {
    app.get(
      path,
      {
        config: { ...fastapi, permission: 'rules:read' },
        schema: { tags: ['seed-compat'], summary: 'Seed 000: enabled rules', hide: path.endsWith('/') },
      },
      async (request) => exports.seedRules(principalOf(request).orgId),
    );
  }
  for (const path of ['/api/export/detectors', '/api/export/detectors/']) {
    app.get(
      path,
      {
        config: { ...fastapi, permission: 'policies:read' },
        schema: {
          tags: ['seed-compat'],
          summary: 'Seed 000: detector configurations',
          hide: path.endsWith('/'),
        },
      },
      async (request) => exports.seedDetectors(principalOf(request).orgId),
    );
  }

  app.get(
    '/api/v1/export/rules',
    {
      config: { permission: 'rules:read' },
      schema: {
        tags: ['rules'],
        summary: 'Enabled rules: JSON, or one Sigma YAML stream (`?format=sigma`)',
        querystring: RulesQuery,
      },
    },
    async (request, reply) => {
      const { format } = request.query as typeof RulesQuery.static;
      const orgId = principalOf(request).orgId;
      if (format === 'sigma' || format === 'yaml') {
        return reply.type('application/yaml; charset=utf-8').send(await exports.rulesSigma(orgId));
      }
      return exports.rulesJson(orgId);
    },
  );

  app.get(
    '/api/v1/export/detectors',
    {
      config: { permission: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary: 'Enabled detector configurations: JSON or YAML (`?format=yaml`)',
        querystring: DetectorsQuery,
      },
    },
    async (request, reply) => {
      const { format } = request.query as typeof DetectorsQuery.static;
      const orgId = principalOf(request).orgId;
      if (format === 'yaml')
        return reply.type('application/yaml; charset=utf-8').send(await exports.detectorsYaml(orgId));
      return exports.detectorsJson(orgId);
    },
  );
}
