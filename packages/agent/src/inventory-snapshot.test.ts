import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readHardwareFacts } from './collectors/hardware-facts.ts';
import { readHostFacts } from './collectors/host-facts.ts';
import {
  type Package,
  parseDpkgStatus,
  parseRpmList,
  SoftwareCollector,
} from './collectors/software-collector.ts';
import { buildInventorySnapshot, SNAPSHOT_LIMITS, snapshotDigest } from './inventory-snapshot.ts';
import { defaultPolicy } from './policy.ts';
import { FixtureTree } from './test-support/fixture-tree.ts';

const DPKG = `Package: libcurl4
Status: install ok installed
Maintainer: Alessandro Ghedini <ghedo@debian.org>
Architecture: amd64
Source: curl
Version: 7.88.1-10+deb12u3
Description: easy-to-use client-side URL transfer library
 Source: not a field, a description line

Package: libgcc-s1
Status: install ok installed
Origin: Debian
Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14

Package: bash
Status: install ok installed
Architecture: amd64
Source: bash
Version: 5.2.15-2+b2
`;

describe('dpkg and rpm package details', () => {
  it('keeps the source package, with or without its version, and the origin or maintainer as vendor', () => {
    assert.deepEqual(parseDpkgStatus(DPKG), [
      {
        name: 'libcurl4',
        version: '7.88.1-10+deb12u3',
        arch: 'amd64',
        manager: 'dpkg',
        sourcePackage: 'curl',
        vendor: 'Alessandro Ghedini',
      },
      {
        name: 'libgcc-s1',
        version: '12.2.0-14',
        arch: 'amd64',
        manager: 'dpkg',
        sourcePackage: 'gcc-12',
        vendor: 'Debian',
      },
      // A source package named like the binary adds nothing.
      { name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', manager: 'dpkg' },
    ]);
  });

  it('reads rpm vendor and source rpm, with rpm’s (none)', () => {
    assert.deepEqual(
      parseRpmList(
        'bash\t5.2.26-3.fc40\tx86_64\tFedora Project\tbash-5.2.26-3.fc40.src.rpm\n' +
          'curl-libs\t8.6.0-7.fc40\tx86_64\t(none)\tcurl-8.6.0-7.fc40.src.rpm\n' +
          'gpg-pubkey\td2d7d2e7-5f8d2ea5\t(none)\t(none)\t(none)\n',
      ),
      [
        { name: 'bash', version: '5.2.26-3.fc40', arch: 'x86_64', manager: 'rpm', vendor: 'Fedora Project' },
        { name: 'curl-libs', version: '8.6.0-7.fc40', arch: 'x86_64', manager: 'rpm', sourcePackage: 'curl' },
        { name: 'gpg-pubkey', version: 'd2d7d2e7-5f8d2ea5', arch: '', manager: 'rpm' },
      ],
    );
  });
});

describe('software collector and snapshots', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('var/lib/dpkg/status', DPKG);
  });
  after(() => t.cleanup());

  it('puts SourcePackage and Vendor in software events and counts changes in its revision', async () => {
    const c = new SoftwareCollector(t.root, false);
    const ctx = { now: new Date(), policy: defaultPolicy() };
    const events = await c.collect(ctx);
    assert.deepEqual(
      events.map((e) => [e.fields['Product'], e.fields['SourcePackage'], e.fields['Vendor']]),
      [
        ['libcurl4', 'curl', 'Alessandro Ghedini'],
        ['libgcc-s1', 'gcc-12', 'Debian'],
        ['bash', undefined, undefined],
      ],
    );
    assert.equal(c.revision, 1);
    await c.collect(ctx);
    assert.equal(c.revision, 1, 'an unchanged database is not a change');
    await t.write('var/lib/dpkg/status', DPKG.replace('10+deb12u3', '10+deb12u4'));
    await c.collect(ctx);
    assert.equal(c.revision, 2);
    assert.equal(c.list().find((p) => p.name === 'libcurl4')?.version, '7.88.1-10+deb12u4');
  });

  it('re-reads the databases once when its saved baseline predates source packages', async () => {
    const c = new SoftwareCollector(t.root, false);
    const ctx = { now: new Date(), policy: defaultPolicy() };
    await c.collect(ctx);
    const saved = c.exportState() as { stamp: string; packages: Package[] };
    const old = {
      stamp: saved.stamp,
      packages: saved.packages.map(({ name, version, arch, manager }) => ({ name, version, arch, manager })),
    };
    const restarted = new SoftwareCollector(t.root, false);
    restarted.importState(old);
    assert.deepEqual(await restarted.collect(ctx), [], 'same versions: no events');
    assert.equal(restarted.list().find((p) => p.name === 'libcurl4')?.sourcePackage, 'curl');
  });

  it('builds a bounded, sorted snapshot the server accepts', () => {
    const pkgs: Package[] = [
      { name: 'zlib1g', version: '1:1.2.13', arch: 'amd64', manager: 'dpkg', sourcePackage: 'zlib' },
      { name: 'bash', version: '5.2', arch: 'amd64', manager: 'dpkg', vendor: 'V'.repeat(300) },
      { name: 'half-installed', version: '', arch: 'amd64', manager: 'dpkg' },
      { name: 'bash', version: '5.2', arch: 'x86_64', manager: 'rpm' },
      { name: 'noarch', version: '1', arch: '', manager: 'rpm' },
    ];
    const { snapshot, truncated } = buildInventorySnapshot(pkgs, { cpu_cores: 2, missing: undefined });
    assert.equal(truncated, 0);
    assert.deepEqual(
      snapshot.software.map((p) => [p.source, p.name, p.arch ?? null, p.source_package ?? null]),
      [
        ['dpkg', 'bash', 'amd64', null],
        ['dpkg', 'zlib1g', 'amd64', 'zlib'],
        ['rpm', 'bash', 'x86_64', null],
        ['rpm', 'noarch', null, null],
      ],
    );
    assert.equal(snapshot.software[0]!.vendor!.length, SNAPSHOT_LIMITS.vendor);
    assert.deepEqual(snapshot.hardware, { cpu_cores: 2 });
    const reordered = buildInventorySnapshot([...pkgs].reverse(), { cpu_cores: 2 }).snapshot;
    assert.equal(snapshotDigest(reordered), snapshotDigest(snapshot), 'order does not change the digest');

    const many = Array.from({ length: SNAPSHOT_LIMITS.packages + 7 }, (_, i) => ({
      name: `p${i}`,
      version: '1',
      arch: '',
      manager: 'dpkg' as const,
    }));
    const big = buildInventorySnapshot(many, {});
    assert.equal(big.snapshot.software.length, SNAPSHOT_LIMITS.packages);
    assert.equal(big.truncated, 7);
    const wide = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, i]));
    assert.equal(Object.keys(buildInventorySnapshot([], wide).snapshot.hardware).length, 100);
  });
});

describe('hardware facts', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write(
      'etc/os-release',
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n',
    );
    await t.write('proc/cpuinfo', 'processor\t: 0\nmodel name\t: Xeon\nflags\t\t: fpu hypervisor sse\n');
    await t.write('proc/meminfo', 'MemTotal: 4000000 kB\n');
    await t.write('etc/machine-id', 'abc123\n');
    await t.write('sys/block/sda/size', '1000\n');
    await t.write('sys/block/sda/queue/rotational', '1\n');
    await t.write('sys/block/sda/device/model', 'Disk Model\n');
    await t.write('sys/block/nvme0n1/size', '2000\n');
    await t.write('sys/block/nvme0n1/queue/rotational', '0\n');
    await t.write('sys/block/loop0/size', '10\n');
    await t.write('sys/block/sr0/size', '0\n');
    await t.write('sys/class/dmi/id/product_name', 'Standard PC\n');
    await t.write('sys/class/dmi/id/product_serial', 'SER-42\n');
  });
  after(() => t.cleanup());

  it('reports disks, identity and virtualization, leaving out what is absent', async () => {
    const facts = await readHardwareFacts(t.root, await readHostFacts(t.root));
    assert.deepEqual(facts['disks'], [
      { name: 'nvme0n1', size_bytes: 2000 * 512, rotational: false, removable: false },
      { name: 'sda', size_bytes: 1000 * 512, rotational: true, removable: false, model: 'Disk Model' },
    ]);
    assert.equal(facts['machine_id'], 'abc123');
    assert.equal(facts['serial'], 'SER-42');
    assert.equal(facts['cpu_model'], 'Xeon');
    assert.equal(facts['cpu_cores'], 1);
    assert.equal(facts['memory_bytes'], 4_000_000 * 1024);
    assert.equal(facts['os_pretty_name'], 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(facts['virtualization'], 'vm', 'the CPU flag when DMI names no hypervisor');
    assert.equal('board_serial' in facts, false);

    await t.write('.dockerenv', '');
    assert.equal((await readHardwareFacts(t.root, await readHostFacts(t.root)))['virtualization'], 'docker');
  });
});
