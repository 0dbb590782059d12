import { readFileSync, readlinkSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';

/** Errors that mean "not there or not ours to read": a vanished process, a missing file. */
function isAbsent(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR';
}

/** Reads a text file, or `undefined` when it is missing or unreadable. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isAbsent(err)) return undefined;
    throw err;
  }
}

/** Reads a symlink target, or `undefined` when it is missing or unreadable. */
export async function readLink(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch (err) {
    if (isAbsent(err) || (err as NodeJS.ErrnoException).code === 'EINVAL') return undefined;
    throw err;
  }
}

/**
 * Synchronous read for procfs: its files are generated in memory and never wait on a disk, so
 * a direct read is much cheaper than a round trip through libuv's thread pool (the process
 * collector does several per new process).
 */
export function readProcText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (isAbsent(err)) return undefined;
    throw err;
  }
}

/** Synchronous readlink for procfs links (`exe`, `cwd`, `fd/*`); see {@link readProcText}. */
export function readProcLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (err) {
    if (isAbsent(err) || (err as NodeJS.ErrnoException).code === 'EINVAL') return undefined;
    throw err;
  }
}

/** `KEY=value` lines (os-release) into a map; quotes removed. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
    }
    out.set(m[1]!, value);
  }
  return out;
}

/** `Key:   value` lines (/proc/meminfo, /proc/<pid>/status) into a map. */
export function parseColonLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const idx = line.indexOf(':');
    if (idx <= 0) continue;
    out.set(line.slice(0, idx).trim(), line.slice(idx + 1).trim());
  }
  return out;
}
