import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { alertRoutes } from './alert-routes.ts';
import { iocRoutes } from './ioc-routes.ts';
import { ruleRoutes } from './rule-routes.ts';
import { suppressionRoutes } from './suppression-routes.ts';

/** Every detection route (rules, suppressions, IOC lists, alert reads), each family in its own scope. */
export async function detectionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => ruleRoutes(scope, ctx));
  await app.register(async (scope) => suppressionRoutes(scope, ctx));
  await app.register(async (scope) => iocRoutes(scope, ctx));
  await app.register(async (scope) => alertRoutes(scope, ctx));
}
