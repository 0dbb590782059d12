import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';

const METRICS = [
  'security-events-24h',
  'current-threat-level',
  'security-posture-score',
  'active-agents',
  'threat-timeline',
  'event-classification',
  'security-assessment',
] as const;

/**
 * Registers the seven posture metrics under a prefix: seed 000's
 * `/api/metrics/*` and our `/api/v1/posture/*` answer the same bodies.
 * Formulas: services/posture-formulas.ts and README "Posture metrics".
 */
export async function posturePaths(app: FastifyInstance, ctx: AppContext, prefix: string, seed: boolean) {
  const posture = ctx.management.posture;
  const compute = {
    'security-events-24h': (o: string) => posture.securityEvents24h(o),
    'current-threat-level': (o: string) => posture.currentThreatLevel(o),
    'security-posture-score': (o: string) => posture.securityPostureScore(o),
    'active-agents': (o: string) => posture.activeAgents(o),
    'threat-timeline': (o: string) => posture.threatTimeline(o),
    'event-classification': (o: string) => posture.eventClassification(o),
    'security-assessment': (o: string) => posture.securityAssessment(o),
  } satisfies Record<(typeof METRICS)[number], (orgId: string) => Promise<unknown>>;
  for (const name of METRICS) {
    app.get(
      `${prefix}/${name}`,
      {
        config: { ...(seed ? { errorShape: 'fastapi' as const } : {}), permission: 'alerts:read' },
        schema: { tags: [seed ? 'seed-compat' : 'alerts'], summary: `Posture: ${name}` },
      },
      async (request) => compute[name](principalOf(request).orgId),
    );
  }
}

/** Native posture metrics, and all of them at once (`GET /api/v1/posture`). */
export async function postureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await posturePaths(app, ctx, '/api/v1/posture', false);
  app.get(
    '/api/v1/posture',
    {
      config: { permission: 'alerts:read' },
      schema: { tags: ['alerts'], summary: 'Every posture figure at once' },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const p = ctx.management.posture;
      const [events, threat, score, agents] = await Promise.all([
        p.securityEvents24h(orgId),
        p.currentThreatLevel(orgId),
        p.securityPostureScore(orgId),
        p.activeAgents(orgId),
      ]);
      return {
        security_events_24h: events.value,
        current_threat_level: threat.value,
        security_posture_score: score.value,
        active_agents: agents.value,
      };
    },
  );
}
