import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { removeFile } from './atomic-file.ts';

/** Another agent process holds the state directory. */
export class LockedError extends Error {
  constructor(readonly pid: number) {
    super(`another harrier-agent (pid ${pid}) is using this state directory`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the lock in `stateDir`, if that process is still alive. */
export async function lockHolder(stateDir: string): Promise<number | undefined> {
  const text = await readFile(join(stateDir, 'agent.lock'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/**
 * Takes the state directory for this process (one spool, one writer). A lock left by a
 * dead process is taken over. Returns the release function.
 */
export async function acquireLock(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, 'agent.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        const holder = await readFile(path, 'utf8').catch(() => '');
        if (holder.trim() === String(process.pid)) await removeFile(path);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = await lockHolder(stateDir);
      if (pid !== undefined && pid !== process.pid) throw new LockedError(pid);
      await removeFile(path); // stale
    }
  }
  throw new Error(`cannot take ${path}`);
}
