import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandler } from '../http/error-handler.ts';
import { sqliteStore } from '../test-support/databases.ts';
import { startTestApp } from '../test-support/test-app.ts';
import { consoleRoutes } from './console-routes.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><title>Harrier</title><div id="root"></div>';

/** An app shaped like the real one: error handler, console first, then a seed route that owns `/alerts`. */
async function appOver(dir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  await consoleRoutes(app, { dir });
  await app.register(async (scope) => {
    scope.get('/alerts', async () => ({ seed: 'json' }));
    scope.get('/api/v1/things', async () => ({ items: [] }));
  });
  await app.ready();
  return app;
}

describe('console routes with a built console', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harrier-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await appOver(dir);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a browser gets index.html at / , uncached', async () => {
    const res = await app.inject({ url: '/', headers: { accept: HTML } });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.body, INDEX);
  });

  test('non-browsers get the JSON index at /', async () => {
    const res = await app.inject({ url: '/', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { name: string; endpoints: Record<string, string> };
    assert.equal(body.name, 'Harrier');
    assert.equal(body.endpoints.openapi, '/openapi.json');
    assert.equal((await app.inject({ url: '/' })).json().name, 'Harrier');
  });

  test('client routes fall back to index.html for browsers, even over a seed route', async () => {
    for (const url of ['/login', '/alerts', '/alerts/0192-abc', '/endpoints/x?tab=1', '/admin/users']) {
      const res = await app.inject({ url, headers: { accept: HTML } });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, INDEX, url);
    }
    // The seed's own clients (JSON) still reach the seed route.
    const seed = await app.inject({ url: '/alerts', headers: { accept: 'application/json' } });
    assert.deepEqual(seed.json(), { seed: 'json' });
  });

  test('API paths and unknown paths are never answered with the console', async () => {
    const api = await app.inject({ url: '/api/v1/things', headers: { accept: HTML } });
    assert.deepEqual(api.json(), { items: [] });
    const missing = await app.inject({ url: '/api/v1/nope', headers: { accept: HTML } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
    const other = await app.inject({ url: '/alertsx', headers: { accept: HTML } });
    assert.equal(other.statusCode, 404);
    const post = await app.inject({ method: 'POST', url: '/login', headers: { accept: HTML } });
    assert.equal(post.statusCode, 404);
  });

  test('hashed assets are served with long-lived caching', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'console.log(1)');
    assert.match(res.headers['cache-control'] as string, /max-age=31536000/);
    assert.match(res.headers['cache-control'] as string, /immutable/);
    const missing = await app.inject({ url: '/assets/nope.js' });
    assert.equal(missing.statusCode, 404);
    const traversal = await app.inject({ url: '/assets/../index.html' });
    assert.notEqual(traversal.body, INDEX);
  });
});

describe('console routes without a build', () => {
  test('browsers are told to run npm run build; the JSON index still answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harrier-console-empty-'));
    const app = await appOver(dir);
    try {
      const res = await app.inject({ url: '/', headers: { accept: HTML } });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /npm run build/);
      const deep = await app.inject({ url: '/alerts/1', headers: { accept: HTML } });
      assert.match(deep.body, /npm run build/);
      assert.equal((await app.inject({ url: '/' })).json().name, 'Harrier');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('console routes in the real app', () => {
  test('buildApp registers them: / answers browsers with HTML and others with JSON', async () => {
    const store = sqliteStore();
    const t = await startTestApp(store);
    try {
      const html = await t.runtime.app.inject({ url: '/', headers: { accept: HTML } });
      assert.match(html.headers['content-type'] as string, /text\/html/);
      const json = await t.runtime.app.inject({ url: '/' });
      assert.equal(json.json().name, 'Harrier');
      const health = await t.runtime.app.inject({ url: '/health', headers: { accept: HTML } });
      assert.equal(health.json().status, 'healthy');
    } finally {
      await t.close();
      await store.cleanup();
    }
  });
});
