import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomic-file.ts';

/** What enrollment leaves in `<state dir>/agent.json` (mode 0600: it holds the secret). */
export interface EnrollmentRecord {
  server_url: string;
  device_id: string;
  device_secret: string;
  org_id: string;
  hostname: string;
  enrolled_at: string;
}

export const DEFAULT_STATE_DIR = '/var/lib/harrier-agent';

/** The state directory: `--state-dir`, else `$HARRIER_AGENT_STATE_DIR`, else /var/lib/harrier-agent. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env['HARRIER_AGENT_STATE_DIR'] ?? DEFAULT_STATE_DIR;
}

export const credentialsPath = (stateDir: string) => join(stateDir, 'agent.json');

/** Creates the state directory readable by its owner only. */
export async function ensureStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
}

/** Stores the enrollment record with mode 0600 (atomically: a crash never leaves half a secret). */
export async function saveEnrollment(stateDir: string, record: EnrollmentRecord): Promise<void> {
  await ensureStateDir(stateDir);
  await writeFileAtomic(credentialsPath(stateDir), `${JSON.stringify(record, null, 2)}\n`, 0o600);
  // The umask cannot widen this, but a pre-existing file's mode is reset explicitly.
  await chmod(credentialsPath(stateDir), 0o600);
}

/** Loads the enrollment record, or `undefined` when the agent is not enrolled. */
export async function loadEnrollment(stateDir: string): Promise<EnrollmentRecord | undefined> {
  const rec = (await readJsonFile(credentialsPath(stateDir))) as Partial<EnrollmentRecord> | undefined;
  if (!rec || typeof rec.device_id !== 'string' || typeof rec.device_secret !== 'string') return undefined;
  if (typeof rec.server_url !== 'string') return undefined;
  return {
    server_url: rec.server_url,
    device_id: rec.device_id,
    device_secret: rec.device_secret,
    org_id: rec.org_id ?? '',
    hostname: rec.hostname ?? '',
    enrolled_at: rec.enrolled_at ?? '',
  };
}
