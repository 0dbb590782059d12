import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcLink, readText } from './read-file.ts';

/** One socket from `/proc/net/{tcp,tcp6,udp,udp6}`. */
export interface SocketEntry {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** Kernel state code: 0A = TCP LISTEN, 07 = UDP unconnected (bound). */
  state: string;
  uid: number;
  inode: number;
}

/** Decodes a kernel hex address: IPv4 is one little-endian word, IPv6 four. */
export function decodeHexIp(hex: string): string {
  if (hex.length === 8) {
    const b = Buffer.from(hex, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
  }
  if (hex.length === 32) {
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const w = Buffer.from(hex.slice(i * 8, i * 8 + 8), 'hex');
      // Each 32-bit word is in host (little-endian) order.
      words.push(w[3]!, w[2]!, w[1]!, w[0]!);
    }
    const bytes = Buffer.from(words);
    // IPv4-mapped (::ffff:a.b.c.d) shown the way `ss` does.
    if (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
      return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    }
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return compressIpv6(groups);
  }
  return hex;
}

function compressIpv6(groups: string[]): string {
  // Longest run of zero groups becomes "::" (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  const head = groups.slice(0, bestStart).join(':');
  const tail = groups.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Parses one `/proc/net/*` table. */
export function parseNetTable(text: string, protocol: SocketEntry['protocol']): SocketEntry[] {
  const out: SocketEntry[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i]!.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [localIp, localPort] = cols[1]!.split(':');
    const [remoteIp, remotePort] = cols[2]!.split(':');
    if (!localIp || !localPort || !remoteIp || !remotePort) continue;
    out.push({
      protocol,
      localIp: decodeHexIp(localIp),
      localPort: Number.parseInt(localPort, 16),
      remoteIp: decodeHexIp(remoteIp),
      remotePort: Number.parseInt(remotePort, 16),
      state: cols[3]!.toUpperCase(),
      uid: Number(cols[7]),
      inode: Number(cols[9]),
    });
  }
  return out;
}

const NET_TABLES: SocketEntry['protocol'][] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** Every socket of `/proc/net/{tcp,tcp6,udp,udp6}` (a missing table, e.g. without IPv6: none). */
export async function readSockets(procDir: string): Promise<SocketEntry[]> {
  const out: SocketEntry[] = [];
  for (const table of NET_TABLES) {
    const text = await readText(join(procDir, 'net', table));
    if (text) out.push(...parseNetTable(text, table));
  }
  return out;
}

/** True for a listening socket: TCP LISTEN, or a bound UDP socket with no peer. */
export function isListener(s: SocketEntry): boolean {
  if (s.protocol.startsWith('tcp')) return s.state === '0A';
  return s.state === '07' && s.remotePort === 0 && s.localPort !== 0;
}

/**
 * Maps socket inodes to owning PIDs by reading `/proc/<pid>/fd/*` links (`socket:[inode]`).
 * Only called when a new listener appears, because walking every fd is the expensive part.
 */
export async function findSocketOwners(procDir: string, inodes: Set<number>): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  if (inodes.size === 0) return owners;
  const names = await readdir(procDir);
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = await readdir(join(procDir, name, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      const target = readProcLink(join(procDir, name, 'fd', fd));
      const m = target ? /^socket:\[(\d+)\]$/.exec(target) : null;
      if (!m) continue;
      const inode = Number(m[1]);
      if (inodes.has(inode) && !owners.has(inode)) owners.set(inode, Number(name));
    }
    if (owners.size === inodes.size) break;
  }
  return owners;
}
