import { describe, expect, test, vi } from 'vitest';
import { fakeServer } from '../test/fake-server.ts';
import { ApiError } from './api-error.ts';
import { HttpClient } from './http-client.ts';

const cookies = () => 'theme=x; harrier_csrf=tok%2Fen123; other=1';

describe('HttpClient', () => {
  test('sends the CSRF cookie as X-CSRF-Token on writes only', async () => {
    const s = fakeServer({
      'GET /api/v1/x': () => ({ status: 200, body: { ok: 1 } }),
      'POST /api/v1/x': () => ({ status: 201, body: { ok: 2 } }),
    });
    const http = new HttpClient({ fetch: s.fetch, cookies });
    expect(await http.get('/api/v1/x', { query: { a: 1, b: undefined, c: '' } })).toEqual({ ok: 1 });
    expect(await http.post('/api/v1/x', { n: 1 })).toEqual({ ok: 2 });
    expect(s.requests[0]?.path).toBe('/api/v1/x?a=1');
    expect(s.requests[0]?.headers['X-CSRF-Token']).toBeUndefined();
    expect(s.requests[1]?.headers['X-CSRF-Token']).toBe('tok/en123');
    expect(s.requests[1]?.body).toEqual({ n: 1 });
  });

  test('a 401 refreshes once, then retries', async () => {
    let refreshed = false;
    const s = fakeServer({
      'GET /api/v1/me': () => (refreshed ? { status: 200, body: { id: 'u' } } : { status: 401 }),
      'POST /api/v1/auth/refresh': () => {
        refreshed = true;
        return { status: 200, body: {} };
      },
    });
    const expired = vi.fn();
    const http = new HttpClient({ fetch: s.fetch, cookies, onSessionExpired: expired });
    expect(await http.get('/api/v1/me')).toEqual({ id: 'u' });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/me',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/me',
    ]);
    expect(expired).not.toHaveBeenCalled();
  });

  test('concurrent 401s share one refresh; a failed refresh ends the session', async () => {
    const s = fakeServer({
      'GET /api/v1/a': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
      'GET /api/v1/b': () => ({ status: 401 }),
      'POST /api/v1/auth/refresh': () => ({ status: 401 }),
    });
    const expired = vi.fn();
    const http = new HttpClient({ fetch: s.fetch, cookies, onSessionExpired: expired });
    const results = await Promise.allSettled([http.get('/api/v1/a'), http.get('/api/v1/b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(s.requests.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(expired).toHaveBeenCalledTimes(2);
  });

  test('errors follow the API contract; a missing route is told apart from a missing record', async () => {
    const s = fakeServer({
      'GET /api/v1/alerts/1': () => ({
        status: 404,
        body: { error: { code: 'alert_not_found', message: 'No such alert.', details: null } },
      }),
    });
    const http = new HttpClient({ fetch: s.fetch, cookies });
    const missingRecord = await http.get('/api/v1/alerts/1').catch((e: unknown) => e);
    expect(missingRecord).toBeInstanceOf(ApiError);
    expect((missingRecord as ApiError).code).toBe('alert_not_found');
    expect((missingRecord as ApiError).routeMissing).toBe(false);
    const missingRoute = await http.get('/api/v1/cases').catch((e: unknown) => e);
    expect((missingRoute as ApiError).routeMissing).toBe(true);
  });

  test('a network failure is an ApiError with status 0', async () => {
    const http = new HttpClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      cookies,
    });
    await expect(http.get('/x')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
