import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import { randomHex } from '../event-id.ts';
import { signRequest } from '../request-signing.ts';

/** Credentials issued at enrollment. */
export interface DeviceCredentials {
  device_id: string;
  device_secret: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Parsed JSON body, or `undefined` when the body is empty or not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  /** Path plus query string, exactly as it goes on the request line (and into the signature). */
  path: string;
  body?: unknown;
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Sign with the device credentials (every agent endpoint except enrollment). */
  signed?: boolean;
  timeoutMs?: number;
}

/** The server's error body `{ error: { code, message, details } }`, if that is what came back. */
export function errorCode(res: HttpResponse): string | undefined {
  const e = (res.json as { error?: { code?: unknown } } | undefined)?.error;
  return typeof e?.code === 'string' ? e.code : undefined;
}

/** Seconds from a `Retry-After` header (delta-seconds or HTTP date), or `undefined`. */
export function retryAfterMs(res: HttpResponse, now = Date.now()): number | undefined {
  const h = res.headers['retry-after'];
  if (typeof h !== 'string' || h === '') return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * HTTP(S) client for the agent endpoints. Signs requests as the platform contract says:
 * `X-Harrier-Device`, `-Timestamp`, `-Nonce`, `-Signature` over method, request target,
 * timestamp, nonce and the SHA-256 of the bytes actually sent (after gzip).
 */
export class SignedClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly ca: Buffer | undefined;

  constructor(
    serverUrl: string,
    private credentials: DeviceCredentials | undefined,
    options: { caFile?: string; userAgent?: string } = {},
  ) {
    this.base = new URL(serverUrl);
    this.ca = options.caFile ? readFileSync(options.caFile) : undefined;
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, ...(this.ca ? { ca: this.ca } : {}) });
    this.userAgent = options.userAgent ?? 'harrier-agent';
  }

  private readonly userAgent: string;
  /** Server time minus local time, learnt from `Date` when a timestamp was rejected. */
  clockOffsetMs = 0;

  /** Replaces the credentials (after enrollment). */
  setCredentials(credentials: DeviceCredentials): void {
    this.credentials = credentials;
  }

  /** Sends one request; network errors reject, HTTP errors resolve with their status. */
  request(opts: RequestOptions): Promise<HttpResponse> {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const target = `${prefix}${opts.path}`;
    let body: Buffer = Buffer.alloc(0);
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'application/json',
      ...opts.headers,
    };
    if (opts.body !== undefined) {
      body = Buffer.from(JSON.stringify(opts.body));
      headers['content-type'] = 'application/json';
      if (opts.gzip) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = String(body.length);
    if (opts.signed) {
      if (!this.credentials) return Promise.reject(new Error('not enrolled: no device credentials'));
      const timestamp = String(Math.floor((Date.now() + this.clockOffsetMs) / 1000));
      const nonce = randomHex(16);
      headers['x-harrier-device'] = this.credentials.device_id;
      headers['x-harrier-timestamp'] = timestamp;
      headers['x-harrier-nonce'] = nonce;
      headers['x-harrier-signature'] = signRequest({
        method: opts.method,
        path: target,
        timestamp,
        nonce,
        body,
        secret: this.credentials.device_secret,
      });
    }
    const mod = this.base.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port || undefined,
          method: opts.method,
          path: target,
          headers,
          agent: this.agent,
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            let json: unknown;
            if (buf.length > 0) {
              try {
                json = JSON.parse(buf.toString('utf8'));
              } catch {
                json = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`request timed out: ${opts.method} ${target}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Sends a signed request, repeating it at once where a repeat fixes the refusal: a nonce
   * collision (409 `nonce_reused`, astronomically unlikely but harmless) and a timestamp outside
   * the server's window (401 `timestamp_out_of_window`, after adopting the server's clock).
   */
  async sendSigned(opts: Omit<RequestOptions, 'signed'>): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.request({ ...opts, signed: true });
      if (res.status === 409 && errorCode(res) === 'nonce_reused' && attempt < 2) continue;
      if (res.status === 401 && errorCode(res) === 'timestamp_out_of_window' && attempt < 1) {
        this.syncClock(res);
        continue;
      }
      return res;
    }
  }

  /** Adopts the server's clock from a response's `Date` header (after `timestamp_out_of_window`). */
  syncClock(res: HttpResponse): void {
    const date = res.headers.date ? Date.parse(res.headers.date) : Number.NaN;
    if (Number.isFinite(date)) this.clockOffsetMs = date - Date.now();
  }

  /** Closes idle keep-alive sockets (at shutdown, so the process can exit). */
  close(): void {
    this.agent.destroy();
  }
}
