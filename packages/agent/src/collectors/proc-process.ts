import { join } from 'node:path';
import { parseColonLines, readProcLink, readProcText } from './read-file.ts';

/** Fields of `/proc/<pid>/stat` the agent uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** Start time in clock ticks since boot; with the pid it identifies a process (PIDs are reused). */
  startTicks: number;
}

/** Parses `/proc/<pid>/stat`; the command name may contain spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(startTicks)) return undefined;
  return { pid, comm: text.slice(open + 1, close), ppid, startTicks };
}

/** Reads and parses `/proc/<pid>/stat`; `undefined` when the process is gone. */
export async function readProcStat(procDir: string, pid: number): Promise<ProcStat | undefined> {
  const text = readProcText(join(procDir, String(pid), 'stat'));
  return text === undefined ? undefined : parseProcStat(text);
}

/** `btime` from `/proc/stat`: boot time in unix seconds. */
export async function readBootTime(procDir: string): Promise<number | undefined> {
  const text = readProcText(join(procDir, 'stat'));
  const m = text ? /^btime\s+(\d+)/m.exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/** The command line, NUL-separated arguments joined by spaces (as `ps` shows it). */
export async function readCmdline(procDir: string, pid: number): Promise<string | undefined> {
  const raw = readProcText(join(procDir, String(pid), 'cmdline'));
  if (raw === undefined) return undefined;
  return raw.replace(/\0+$/, '').split('\0').join(' ');
}

/**
 * The executable path from the `exe` link. The kernel appends " (deleted)" for a replaced or
 * removed binary; it is stripped from the path and reported separately. A fixture tree's
 * absolute targets are shown relative to its root so tests see `/usr/bin/…`.
 */
export async function readExe(
  procDir: string,
  pid: number,
  root: string,
): Promise<{ path: string; deleted: boolean } | undefined> {
  const target = readProcLink(join(procDir, String(pid), 'exe'));
  if (target === undefined) return undefined;
  const deleted = target.endsWith(' (deleted)');
  let path = deleted ? target.slice(0, -' (deleted)'.length) : target;
  if (root !== '/' && path.startsWith(root)) path = path.slice(root.replace(/\/+$/, '').length) || '/';
  return { path, deleted };
}

/** Real uid from `/proc/<pid>/status` (`Uid: real effective saved fs`). */
/** The program of a process: its executable, else the first word of its command line. */
export async function readImage(procDir: string, pid: number, root: string): Promise<string | undefined> {
  const exe = await readExe(procDir, pid, root);
  return exe?.path ?? (await readCmdline(procDir, pid))?.split(' ')[0];
}

export async function readUid(procDir: string, pid: number): Promise<number | undefined> {
  const text = readProcText(join(procDir, String(pid), 'status'));
  if (text === undefined) return undefined;
  const uid = parseColonLines(text).get('Uid')?.split(/\s+/)[0];
  return uid === undefined ? undefined : Number(uid);
}

/** The working directory from the `cwd` link (root-relative for fixture trees). */
export async function readCwd(procDir: string, pid: number, root: string): Promise<string | undefined> {
  const target = readProcLink(join(procDir, String(pid), 'cwd'));
  if (target === undefined) return undefined;
  if (root !== '/' && target.startsWith(root)) return target.slice(root.replace(/\/+$/, '').length) || '/';
  return target;
}
