import type { OsInfo } from '../agent-event.ts';
import type { ResourceFigures } from '../collectors/resource-usage.ts';
import { errorCode, type SignedClient } from './signed-client.ts';

export const HEARTBEAT_PATH = '/api/v1/agents/heartbeat';

/** The heartbeat body of the platform contract. */
export interface HeartbeatBody extends ResourceFigures {
  agent_version: string;
  hostname: string;
  os: OsInfo;
  /** Events the spool has dropped to stay within its bound since it was created (monotonic). */
  spool_dropped?: number;
}

export type HeartbeatResult = { ok: true } | { ok: false; status: number; code?: string; error?: string };

/** Sends one signed heartbeat. Never throws: a failed heartbeat is reported, not fatal. */
export async function sendHeartbeat(client: SignedClient, body: HeartbeatBody): Promise<HeartbeatResult> {
  try {
    const res = await client.sendSigned({ method: 'POST', path: HEARTBEAT_PATH, body, timeoutMs: 15_000 });
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, status: res.status, code: errorCode(res) };
  } catch (err) {
    return { ok: false, status: 0, error: (err as Error).message };
  }
}
