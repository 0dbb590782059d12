import type { SignedClient } from './signed-client.ts';

export const CONFIG_PATH = '/api/v1/agents/config';
export const ACTIONS_PATH = '/api/v1/agents/actions';

/** Outcome of asking the server for the effective configuration. */
export type ConfigFetch =
  | { status: 'changed'; etag: string | undefined; document: unknown }
  | { status: 'unchanged' }
  /** The server has no such endpoint (404: an older server); try again much later. */
  | { status: 'unsupported' }
  | { status: 'error'; error: string };

/** Where the agent's configuration comes from (the server, or a test double). */
export interface ConfigSource {
  fetch(etag: string | undefined): Promise<ConfigFetch>;
}

/** A response action queued for this device (management issue). */
export interface AgentAction {
  id: string;
  type: string;
  params: Record<string, unknown>;
}

/** What the agent reports back for an action. */
export interface ActionResult {
  status: 'succeeded' | 'failed' | 'rejected';
  output?: unknown;
  error?: string;
  finished_at: string;
}

/** Where actions come from and results go to. */
export interface ActionSource {
  /** Pending actions, or `'unsupported'` on a server without the endpoint. */
  pending(): Promise<AgentAction[] | 'unsupported'>;
  report(id: string, result: ActionResult): Promise<boolean>;
}

/** `GET /api/v1/agents/config`, signed, with `If-None-Match` so an unchanged policy costs a 304. */
export class HttpConfigSource implements ConfigSource {
  constructor(private readonly client: SignedClient) {}

  async fetch(etag: string | undefined): Promise<ConfigFetch> {
    try {
      const res = await this.client.request({
        method: 'GET',
        path: CONFIG_PATH,
        signed: true,
        headers: etag ? { 'if-none-match': etag } : {},
        timeoutMs: 15_000,
      });
      if (res.status === 304) return { status: 'unchanged' };
      if (res.status === 404 || res.status === 405 || res.status === 501) return { status: 'unsupported' };
      if (res.status === 200 && res.json !== undefined) {
        const tag = res.headers.etag;
        return { status: 'changed', etag: typeof tag === 'string' ? tag : undefined, document: res.json };
      }
      return { status: 'error', error: `HTTP ${res.status}` };
    } catch (err) {
      return { status: 'error', error: (err as Error).message };
    }
  }
}

function asAction(value: unknown): AgentAction | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const id = typeof v['id'] === 'string' || typeof v['id'] === 'number' ? String(v['id']) : undefined;
  const type = [v['type'], v['action'], v['kind']].find((t): t is string => typeof t === 'string');
  if (!id || !type) return undefined;
  const params = [v['params'], v['parameters'], v['payload'], v['args']].find(
    (p): p is Record<string, unknown> => p !== null && typeof p === 'object' && !Array.isArray(p),
  );
  return { id, type, params: params ?? {} };
}

/** `GET /api/v1/agents/actions` and `POST /api/v1/agents/actions/{id}/result`, signed. */
export class HttpActionSource implements ActionSource {
  constructor(private readonly client: SignedClient) {}

  async pending(): Promise<AgentAction[] | 'unsupported'> {
    const res = await this.client.request({
      method: 'GET',
      path: ACTIONS_PATH,
      signed: true,
      timeoutMs: 15_000,
    });
    if (res.status === 404 || res.status === 405 || res.status === 501) return 'unsupported';
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const body = res.json as unknown;
    const list = Array.isArray(body)
      ? body
      : ((body as { actions?: unknown; items?: unknown; data?: unknown } | undefined)?.actions ??
        (body as { items?: unknown } | undefined)?.items ??
        (body as { data?: unknown } | undefined)?.data);
    return Array.isArray(list) ? list.map(asAction).filter((a): a is AgentAction => a !== undefined) : [];
  }

  async report(id: string, result: ActionResult): Promise<boolean> {
    const res = await this.client.request({
      method: 'POST',
      path: `${ACTIONS_PATH}/${encodeURIComponent(id)}/result`,
      body: result,
      signed: true,
      timeoutMs: 15_000,
    });
    // 404/409/410: the action is gone or already completed; nothing more to report.
    return (
      (res.status >= 200 && res.status < 300) ||
      res.status === 404 ||
      res.status === 409 ||
      res.status === 410
    );
  }
}
