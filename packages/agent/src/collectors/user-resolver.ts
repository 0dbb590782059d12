import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readText } from './read-file.ts';

/**
 * uid → user name from `<root>/etc/passwd`, re-read only when the file changes.
 * (No NSS lookups: LDAP users show as their uid, which is still a correct answer.)
 */
export class UserResolver {
  private names = new Map<number, string>();
  private stamp = '';
  private checkedAt = 0;

  constructor(private readonly root: string) {}

  /** The name for a uid, or the uid as a string when unknown. */
  async name(uid: number): Promise<string> {
    await this.refresh();
    return this.names.get(uid) ?? String(uid);
  }

  private async refresh(): Promise<void> {
    // One stat per second at most: a burst of events must not stat passwd for each.
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    const path = join(this.root, 'etc/passwd');
    let stamp = 'missing';
    try {
      const st = await stat(path);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      // Missing passwd: keep numeric uids.
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    this.names = parsePasswd((await readText(path)) ?? '');
  }
}

/** Parses passwd lines `name:x:uid:gid:gecos:home:shell`. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(':');
    const uid = Number(parts[2]);
    if (parts[0] && Number.isInteger(uid) && !out.has(uid)) out.set(uid, parts[0]);
  }
  return out;
}
