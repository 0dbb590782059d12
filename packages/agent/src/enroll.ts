import type { EnrollmentRecord } from './agent-state.ts';
import { saveEnrollment } from './agent-state.ts';
import { readHostFacts } from './collectors/host-facts.ts';
import { SignedClient } from './delivery/signed-client.ts';
import { AGENT_VERSION } from './version.ts';

export const ENROLL_PATH = '/api/v1/agents/enroll';

/** Enrollment failed; `code` is the server's error code when it sent one. */
export class EnrollError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Enrolls with an enrollment key: `POST /api/v1/agents/enroll` → device id and secret,
 * stored in `<state dir>/agent.json` (0600).
 */
export async function enroll(opts: {
  serverUrl: string;
  key: string;
  stateDir: string;
  root?: string;
  caFile?: string;
}): Promise<EnrollmentRecord> {
  const facts = await readHostFacts(opts.root ?? '/');
  const client = new SignedClient(opts.serverUrl, undefined, { caFile: opts.caFile });
  try {
    const res = await client.request({
      method: 'POST',
      path: ENROLL_PATH,
      body: {
        enrollment_key: opts.key,
        hostname: facts.hostname,
        os: facts.os,
        agent_version: AGENT_VERSION,
      },
    });
    const body = res.json as {
      device_id?: unknown;
      device_secret?: unknown;
      org_id?: unknown;
      error?: { code?: string; message?: string };
    };
    if (res.status !== 200 && res.status !== 201) {
      throw new EnrollError(
        `enrollment refused: HTTP ${res.status}${body?.error?.message ? ` ${body.error.message}` : ''}`,
        res.status,
        body?.error?.code,
      );
    }
    if (typeof body?.device_id !== 'string' || typeof body.device_secret !== 'string') {
      throw new EnrollError('enrollment response lacks device_id/device_secret', res.status);
    }
    const record: EnrollmentRecord = {
      server_url: opts.serverUrl,
      device_id: body.device_id,
      device_secret: body.device_secret,
      org_id: typeof body.org_id === 'string' ? body.org_id : String(body.org_id ?? ''),
      hostname: facts.hostname,
      enrolled_at: new Date().toISOString(),
    };
    await saveEnrollment(opts.stateDir, record);
    return record;
  } finally {
    client.close();
  }
}
