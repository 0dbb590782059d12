import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` leaves the console (packages/web/dist). */
export const DEFAULT_CONSOLE_DIR = resolve(new URL('../../../web/dist', import.meta.url).pathname);

/**
 * The console's client-side routes (packages/web/src/App.tsx). A browser that
 * opens or reloads one of them gets index.html; the router takes it from there.
 * Several seeds serve JSON at some of these paths (seed 004's `GET /alerts`,
 * `GET /endpoints`), so only page navigations (`Accept: text/html`) are taken.
 */
export const CONSOLE_SECTIONS = [
  'login',
  'alerts',
  'cases',
  'handovers',
  'endpoints',
  'insights',
  'rules',
  'hunting',
  'intelligence',
  'threat-map',
  'vulnerabilities',
  'analysis',
  'policies',
  'decisions',
  'admin',
] as const;

const SECTION_PATTERN = new RegExp(`^/(?:${CONSOLE_SECTIONS.join('|')})(?:/[^?]*)?(?:\\?.*)?$`);

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harrier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;background:#0b1220;color:#e6ecf5;display:grid;place-items:center;min-height:100vh;margin:0}main{max-width:34rem;padding:2rem}code{background:#17233a;padding:.15rem .4rem;border-radius:4px}</style>
</head><body><main><h1>Harrier</h1>
<p>The web console has not been built on this server. Run <code>npm run build</code> in the Harrier directory, then reload this page.</p>
<p>The API is up: see <a href="/docs" style="color:#38bdf8">/docs</a>.</p></main></body></html>`;

export interface ConsoleRoutesOptions {
  /** The built console (index.html and assets/); defaults to packages/web/dist. */
  dir?: string;
}

/** True for a browser navigation: it asks for HTML before anything else. */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (typeof accept !== 'string') return false;
  const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('text/html') || first.startsWith('application/xhtml+xml');
}

/**
 * Serves the web console: index.html for `/` and the client routes when a
 * browser asks, hashed `/assets/*` with long-lived caching, and a JSON index
 * of the API at `/` for everyone else. Register it on the root instance before
 * other routes, so its navigation hook sees every request.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions = {}): Promise<void> {
  const dir = options.dir ?? DEFAULT_CONSOLE_DIR;
  const indexPath = join(dir, 'index.html');

  // index.html names the current hashed assets, so it is read fresh (it is small) and never cached.
  const sendIndex = async (reply: FastifyReply): Promise<FastifyReply> => {
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    try {
      return reply.send(await readFile(indexPath, 'utf8'));
    } catch {
      return reply.status(503).send(NOT_BUILT_PAGE);
    }
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    if (!SECTION_PATTERN.test(request.url) || !wantsHtml(request)) return;
    return sendIndex(reply);
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    if (wantsHtml(request)) return sendIndex(reply);
    return {
      name: 'Harrier',
      version: '0.1.0',
      console: '/',
      endpoints: {
        openapi: '/openapi.json',
        docs: '/docs',
        health: '/health',
        ready: '/ready',
        metrics: '/metrics',
        api: '/api/v1',
      },
    };
  });

  const assetsDir = join(dir, 'assets');
  const hasAssets = await stat(assetsDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (hasAssets) {
    await app.register(fastifyStatic, {
      root: assetsDir,
      prefix: '/assets/',
      // File names carry a content hash: a changed file is a new URL, so caching forever is safe.
      immutable: true,
      maxAge: '365d',
      index: false,
      list: false,
      dotfiles: 'deny',
      decorateReply: false,
      wildcard: true,
    });
  }
}
