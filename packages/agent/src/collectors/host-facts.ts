import { arch, hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { OsInfo } from '../agent-event.ts';
import { parseColonLines, parseKeyValueLines, readText } from './read-file.ts';

/** OS and hardware facts of the host. */
export interface HostFacts {
  hostname: string;
  os: OsInfo;
  osPrettyName: string;
  osId: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  memTotalBytes: number;
}

/**
 * Reads `/etc/os-release` (or `/usr/lib/os-release`), `/proc/cpuinfo`, `/proc/meminfo` and the
 * kernel's hostname and release below `root`.
 */
export async function readHostFacts(root: string): Promise<HostFacts> {
  const osRelease = parseKeyValueLines(
    (await readText(join(root, 'etc/os-release'))) ??
      (await readText(join(root, 'usr/lib/os-release'))) ??
      '',
  );
  const cpuinfo = (await readText(join(root, 'proc/cpuinfo'))) ?? '';
  const meminfo = parseColonLines((await readText(join(root, 'proc/meminfo'))) ?? '');
  const hostname =
    (
      (await readText(join(root, 'proc/sys/kernel/hostname'))) ?? (await readText(join(root, 'etc/hostname')))
    )?.trim() || osHostname();
  const kernel = ((await readText(join(root, 'proc/sys/kernel/osrelease'))) ?? '').trim();
  const processors = cpuinfo.split('\n').filter((l) => /^processor\s*:/.test(l)).length;
  const model = /^(?:model name|Model|Hardware|cpu model)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? '';
  return {
    hostname,
    os: {
      name: osRelease.get('NAME') ?? 'Linux',
      version: osRelease.get('VERSION_ID') ?? osRelease.get('VERSION') ?? kernel,
      platform: 'linux',
    },
    osPrettyName: osRelease.get('PRETTY_NAME') ?? osRelease.get('NAME') ?? 'Linux',
    osId: osRelease.get('ID') ?? 'linux',
    kernel,
    arch: arch(),
    cpuModel: model,
    cpuCount: processors,
    memTotalBytes: kib(meminfo.get('MemTotal')),
  };
}

/** `"16318464 kB"` → bytes. */
export function kib(value: string | undefined): number {
  const n = value ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) ? n * 1024 : 0;
}
