/**
 * A fetch stand-in for component tests: routes by "METHOD /path" to handlers
 * and records every request, so tests assert on what the console sent.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (
  req: Recorded,
) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

export function fakeServer(routes: Record<string, Handler>) {
  const requests: Recorded[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://console.test');
    const method = init.method ?? 'GET';
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const req: Recorded = { method, path: url.pathname + url.search, headers, body };
    requests.push(req);
    const handler = routes[`${method} ${url.pathname}`];
    const res = handler
      ? await handler(req)
      : {
          status: 404,
          body: {
            error: { code: 'not_found', message: `No route ${method} ${url.pathname}.`, details: null },
          },
        };
    return new Response(res.body === undefined ? null : JSON.stringify(res.body), {
      status: res.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, requests };
}

export const apiError = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message, details: null } },
});
