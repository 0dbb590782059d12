import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostFacts } from './host-facts.ts';
import { readText } from './read-file.ts';

/** One block device (`/sys/block/<name>`). */
export interface DiskFact {
  name: string;
  size_bytes: number;
  rotational: boolean;
  removable: boolean;
  model?: string;
}

/** More disks than this are summarised by the count alone (a SAN host can have hundreds). */
const MAX_DISKS = 64;

/** Kernel pseudo block devices that are not disks. */
const NOT_A_DISK = /^(?:loop|ram|zram|fd|sr|nbd)\d/;

async function sysText(root: string, rel: string): Promise<string | undefined> {
  const text = (await readText(join(root, rel)))?.trim();
  return text ? text : undefined;
}

/** Block devices with their sizes (512-byte sectors in sysfs), skipping loop, RAM and optical devices. */
export async function readDisks(root: string): Promise<DiskFact[]> {
  let names: string[];
  try {
    names = (await readdir(join(root, 'sys/block'))).sort();
  } catch {
    return [];
  }
  const disks: DiskFact[] = [];
  for (const name of names) {
    if (NOT_A_DISK.test(name) || disks.length >= MAX_DISKS) continue;
    const sectors = Number(await sysText(root, `sys/block/${name}/size`));
    if (!Number.isFinite(sectors) || sectors <= 0) continue;
    const model = await sysText(root, `sys/block/${name}/device/model`);
    disks.push({
      name,
      size_bytes: sectors * 512,
      rotational: (await sysText(root, `sys/block/${name}/queue/rotational`)) === '1',
      removable: (await sysText(root, `sys/block/${name}/removable`)) === '1',
      ...(model ? { model } : {}),
    });
  }
  return disks;
}

// DMI vendor and product names of the common hypervisors and clouds.
const HYPERVISORS: [RegExp, string][] = [
  [/qemu|kvm/i, 'kvm'],
  [/vmware/i, 'vmware'],
  [/virtualbox|innotek/i, 'virtualbox'],
  [/xen/i, 'xen'],
  [/microsoft corporation/i, 'hyper-v'],
  [/amazon ec2/i, 'amazon'],
  [/google compute engine/i, 'google'],
  [/openstack/i, 'openstack'],
  [/parallels/i, 'parallels'],
  [/bochs/i, 'bochs'],
];

/**
 * What the host runs on: a container runtime (its marker files), a hypervisor (DMI names, or
 * the CPU's `hypervisor` flag when DMI says nothing), or `none`. The same cheap checks
 * systemd-detect-virt starts with, without running it.
 */
export async function detectVirtualization(root: string, dmi: string, cpuinfo: string): Promise<string> {
  const container = await sysText(root, 'run/systemd/container');
  if (container) return container;
  if ((await readText(join(root, '.dockerenv'))) !== undefined) return 'docker';
  if ((await readText(join(root, 'run/.containerenv'))) !== undefined) return 'podman';
  for (const [pattern, name] of HYPERVISORS) if (pattern.test(dmi)) return name;
  return /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo) ? 'vm' : 'none';
}

/**
 * The hardware facts of an inventory snapshot: the host facts the os_facts collector reports
 * plus machine id, DMI identity (vendor, product, serial where readable: sysfs keeps serials
 * root-only), disks and virtualization. Keys are snake_case, values JSON; absent facts are left out.
 */
export async function readHardwareFacts(root: string, host: HostFacts): Promise<Record<string, unknown>> {
  const dmi = async (name: string) => sysText(root, `sys/class/dmi/id/${name}`);
  const vendor = await dmi('sys_vendor');
  const product = await dmi('product_name');
  const cpuinfo = (await readText(join(root, 'proc/cpuinfo'))) ?? '';
  const facts: Record<string, unknown> = {
    hostname: host.hostname,
    os_name: host.os.name,
    os_version: host.os.version,
    os_pretty_name: host.osPrettyName,
    os_id: host.osId,
    kernel: host.kernel,
    arch: host.arch,
    cpu_model: host.cpuModel,
    cpu_cores: host.cpuCount,
    memory_bytes: host.memTotalBytes,
    machine_id: await sysText(root, 'etc/machine-id'),
    system_vendor: vendor,
    product_name: product,
    serial: await dmi('product_serial'),
    board_serial: await dmi('board_serial'),
    bios_version: await dmi('bios_version'),
    virtualization: await detectVirtualization(root, `${vendor ?? ''} ${product ?? ''}`, cpuinfo),
    disks: await readDisks(root),
  };
  for (const [key, value] of Object.entries(facts))
    if (value === undefined || value === '') delete facts[key];
  return facts;
}
