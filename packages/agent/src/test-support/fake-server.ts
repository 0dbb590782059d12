import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { AgentEvent } from '../agent-event.ts';

/**
 * A stand-in for the Harrier server's agent endpoints, for tests. It verifies signatures
 * exactly as the platform contract specifies (independently of the agent's signing code),
 * answers a repeated batch id with its first result, and can be told to fail.
 */
export interface FakeStore {
  devices: Map<string, string>;
  enrollmentKey: string;
  batches: Map<string, { accepted: number; events: AgentEvent[] }>;
  events: AgentEvent[];
  heartbeats: Record<string, unknown>[];
  /** Inventory snapshots received, in order. */
  inventories: { device: string; software: unknown[]; hardware?: Record<string, unknown> }[];
  nonces: Set<string>;
  /** Every request: method, url, status. */
  log: { method: string; url: string; status: number }[];
  /** Signature failures seen (each is a test failure unless provoked). */
  badSignatures: number;
  /** Per-path overrides: respond with this status (and headers) for the next `times` requests. */
  failures: {
    path: string;
    status: number;
    times: number;
    headers?: Record<string, string>;
    code?: string;
  }[];
  /** Commit the batch, then drop the connection without answering (a lost acknowledgement). */
  dropAfterCommit: number;
  config: { etag: string; document: unknown } | undefined;
  actions: { id: string; type: string; params: Record<string, unknown> }[];
  actionResults: Map<string, unknown>;
  maxEventsPerBatch: number;
  /** What `GET /api/v1/agents/iocs` lists; undefined answers 404 (an older server). */
  iocs: unknown[] | undefined;
}

export function newFakeStore(): FakeStore {
  return {
    devices: new Map(),
    enrollmentKey: 'enroll-key-0123456789',
    batches: new Map(),
    events: [],
    heartbeats: [],
    inventories: [],
    nonces: new Set(),
    log: [],
    badSignatures: 0,
    failures: [],
    dropAfterCommit: 0,
    config: undefined,
    actions: [],
    actionResults: new Map(),
    maxEventsPerBatch: 100_000,
    iocs: undefined,
  };
}

export interface FakeServer {
  url: string;
  port: number;
  store: FakeStore;
  close(): Promise<void>;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length, ...headers });
  res.end(data);
}

function error(res: http.ServerResponse, status: number, code: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { code, message: code, details: {} } }, headers);
}

/** Verifies the four X-Harrier-* headers; returns the device id or an error code. */
function verify(
  store: FakeStore,
  req: http.IncomingMessage,
  raw: Buffer,
): { device: string } | { status: number; code: string } {
  const device = req.headers['x-harrier-device'];
  const ts = req.headers['x-harrier-timestamp'];
  const nonce = req.headers['x-harrier-nonce'];
  const sig = req.headers['x-harrier-signature'];
  if (
    typeof device !== 'string' ||
    typeof ts !== 'string' ||
    typeof nonce !== 'string' ||
    typeof sig !== 'string'
  ) {
    return { status: 401, code: 'invalid_signature' };
  }
  const secret = store.devices.get(device);
  if (!secret) return { status: 401, code: 'unknown_device' };
  if (Math.abs(Number(ts) - Date.now() / 1000) > 300) return { status: 401, code: 'timestamp_out_of_window' };
  if (nonce.length < 16 || nonce.length > 128) return { status: 401, code: 'invalid_signature' };
  const bodyHash = createHash('sha256').update(raw).digest('hex');
  const canonical = `${req.method}\n${req.url}\n${ts}\n${nonce}\n${bodyHash}`;
  const expected = createHmac('sha256', secret).update(canonical).digest();
  const given = Buffer.from(sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    store.badSignatures++;
    return { status: 401, code: 'invalid_signature' };
  }
  if (store.nonces.has(nonce)) return { status: 409, code: 'nonce_reused' };
  store.nonces.add(nonce);
  return { device };
}

/** Starts the fake server on `port` (0: any free port) around `store`. */
export function startFakeServer(store: FakeStore = newFakeStore(), port = 0): Promise<FakeServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      const origEnd = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        store.log.push({ method: req.method ?? '', url, status: res.statusCode });
        return origEnd(...args);
      }) as typeof res.end;

      const failure = store.failures.find((f) => f.path === path && f.times > 0);
      if (failure) {
        failure.times--;
        return error(res, failure.status, failure.code ?? `http_${failure.status}`, failure.headers);
      }

      if (req.method === 'POST' && path === '/api/v1/agents/enroll') {
        const body = JSON.parse(raw.toString('utf8')) as { enrollment_key?: string; hostname?: string };
        if (body.enrollment_key !== store.enrollmentKey) return error(res, 401, 'invalid_enrollment_key');
        const id = `dev-${store.devices.size + 1}`;
        const secret = createHash('sha256').update(`secret-${id}-${Math.random()}`).digest('hex');
        store.devices.set(id, secret);
        return sendJson(res, 201, { device_id: id, device_secret: secret, org_id: 'org-1' });
      }

      const auth = verify(store, req, raw);
      if ('status' in auth) return error(res, auth.status, auth.code);
      const json = () => {
        const bytes = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      };

      if (req.method === 'POST' && path === '/api/v1/ingest') {
        const body = json() as { batch_id?: string; events?: AgentEvent[] };
        if (typeof body.batch_id !== 'string' || !Array.isArray(body.events)) {
          return error(res, 400, 'invalid_body');
        }
        if (body.events.length > store.maxEventsPerBatch) return error(res, 413, 'too_many_events');
        let first = store.batches.get(body.batch_id);
        if (!first) {
          first = { accepted: body.events.length, events: body.events };
          store.batches.set(body.batch_id, first);
          store.events.push(...body.events);
        }
        if (store.dropAfterCommit > 0) {
          store.dropAfterCommit--;
          store.log.push({ method: 'POST', url, status: 0 });
          req.socket.destroy();
          return;
        }
        return sendJson(res, 200, { batch_id: body.batch_id, accepted: first.accepted, rejected: [] });
      }
      if (req.method === 'POST' && path === '/api/v1/agents/heartbeat') {
        store.heartbeats.push({ device: auth.device, ...json() });
        return sendJson(res, 200, { ok: true });
      }
      if (req.method === 'POST' && path === '/api/v1/agents/inventory') {
        const body = json() as { software?: unknown; hardware?: Record<string, unknown> };
        if (!Array.isArray(body.software)) return error(res, 400, 'invalid_body');
        store.inventories.push({ device: auth.device, software: body.software, hardware: body.hardware });
        return sendJson(res, 200, { packages: body.software.length });
      }
      if (req.method === 'GET' && path === '/api/v1/agents/config') {
        if (!store.config) return error(res, 404, 'not_found');
        if (req.headers['if-none-match'] === store.config.etag) {
          res.writeHead(304, { etag: store.config.etag });
          return res.end();
        }
        return sendJson(res, 200, store.config.document, { etag: store.config.etag });
      }
      if (req.method === 'GET' && path === '/api/v1/agents/iocs') {
        if (!store.iocs) return error(res, 404, 'not_found');
        return sendJson(res, 200, { generated_at: new Date().toISOString(), indicators: store.iocs });
      }
      if (req.method === 'GET' && path === '/api/v1/agents/actions') {
        const pending = store.actions.filter((a) => !store.actionResults.has(a.id));
        return sendJson(res, 200, { actions: pending });
      }
      const m = /^\/api\/v1\/agents\/actions\/([^/]+)\/result$/.exec(path);
      if (req.method === 'POST' && m) {
        store.actionResults.set(decodeURIComponent(m[1]!), json());
        return sendJson(res, 200, { ok: true });
      }
      return error(res, 404, 'not_found');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${p}`,
        port: p,
        store,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Enrolls a device directly in the store (for tests that skip the enroll call). */
export function addDevice(
  store: FakeStore,
  id = 'dev-test',
  secret = 'a'.repeat(64),
): { device_id: string; device_secret: string } {
  store.devices.set(id, secret);
  return { device_id: id, device_secret: secret };
}
