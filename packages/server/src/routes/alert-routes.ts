import { parseSeverity, SEVERITIES, severityRank } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { presentAlert, presentAlertDetail } from '../presenters/alert-presenter.ts';

const tags = ['alerts'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const ListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(
    Type.String({ maxLength: 200, description: 'One status or a comma-separated list.' }),
  ),
  severity: Type.Optional(
    Type.String({ maxLength: 32, description: `At or above: ${SEVERITIES.join(', ')}` }),
  ),
  rule_id: Type.Optional(Type.String({ maxLength: 256, description: 'The Sigma id of the rule.' })),
  device_id: Type.Optional(Type.String({ maxLength: 64 })),
  kind: Type.Optional(
    Type.String({ maxLength: 32, description: 'rule, correlation, signal, severity or ioc' }),
  ),
  since: Type.Optional(Type.String({ maxLength: 64, description: 'Last seen at or after (RFC 3339).' })),
  until: Type.Optional(Type.String({ maxLength: 64, description: 'First seen before (RFC 3339).' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the title or rule.' })),
});

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest('invalid_time', `${name} must be an RFC 3339 time.`);
  return t;
}

/** Reading alerts raised by detection (the triage issue extends these routes). */
export async function alertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const alerts = ctx.detection.alerts;

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:read' },
      schema: { tags, summary: 'List alerts, newest first', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      let minSeverityRank: number | undefined;
      if (q.severity !== undefined) {
        const s = parseSeverity(q.severity);
        if (s === undefined)
          throw badRequest('invalid_severity', `severity must be one of ${SEVERITIES.join(', ')}.`);
        minSeverityRank = severityRank(s);
      }
      const rows = await alerts.list({
        orgId: principalOf(request).orgId,
        status: q.status
          ?.split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
        minSeverityRank,
        ruleUid: q.rule_id,
        deviceId: q.device_id,
        kind: q.kind,
        since: time(q.since, 'since'),
        until: time(q.until, 'until'),
        search: q.q,
        before: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentAlert);
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'An alert with its matched events and the rule version that fired',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAlertDetail(await alerts.get(principalOf(request).orgId, id));
    },
  );
}
