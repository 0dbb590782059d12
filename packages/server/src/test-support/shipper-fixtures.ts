import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { makeUser } from './identity-fixtures.ts';
import type { TestApp } from './test-app.ts';

/** `../shared/clients` (repo-root relative): real shippers' configurations and captured requests. */
export const CLIENTS_DIR = new URL('../../../../../shared/clients/', import.meta.url);

/** Raw bytes of a file under `captures/`. */
export function captureBytes(name: string): Buffer {
  return readFileSync(new URL(`captures/${name}`, CLIENTS_DIR));
}

/** One captured HTTP request (capture.js): raw header list and body. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: string[];
  body: string;
}

/** The captured HTTP requests, in the order the shippers sent them. */
export function capturedRequests(): CapturedRequest[] {
  return captureBytes('http_requests.jsonl')
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CapturedRequest);
}

/** The captured request's headers, without Host, Content-Length and Authorization (the test sets its own). */
export function replayHeaders(req: CapturedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2) {
    const name = req.headers[i]!.toLowerCase();
    if (['host', 'content-length', 'authorization', 'transfer-encoding', 'expect'].includes(name)) continue;
    out[name] = req.headers[i + 1]!;
  }
  return out;
}

/** An API token with `ingest:write` in the default organization (and that organization's id). */
export async function shipperToken(
  t: TestApp,
  permissions: string[] = ['ingest:write'],
): Promise<{ token: string; orgId: string }> {
  const ctx = t.runtime.ctx;
  const org = (await ctx.organizations.findBySlug('default'))!;
  const admin = await makeUser(
    t,
    org.id,
    'admin',
    `shipper.admin.${Math.random().toString(36).slice(2)}@example.test`,
  );
  const { token } = await ctx.identity.apiTokens.create(
    { userId: admin.id, orgId: org.id, permissions: ['ingest:write', 'events:read', 'alerts:read'] },
    { name: 'shipper', permissions },
  );
  return { token, orgId: org.id };
}

/** Basic auth with the token as the password, as syslog-ng's user()/password() sends it. */
export function basicAuth(token: string, user = 'ingest'): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
}

/** Stored events of an organization with their device's host name, oldest first. */
export async function storedEvents(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('events')
    .innerJoin('devices', 'devices.id', 'events.device_id')
    .select([
      'events.id',
      'events.ts',
      'events.source',
      'events.product',
      'events.category',
      'events.service',
      'events.user_name',
      'events.image',
      'events.command_line',
      'events.fields',
      'devices.hostname',
    ])
    .where('events.org_id', '=', orgId)
    .orderBy('events.ts')
    .orderBy('events.id')
    .execute();
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
