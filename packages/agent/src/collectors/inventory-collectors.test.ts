import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { readHostFacts } from './host-facts.ts';
import { OsFactsCollector } from './os-facts-collector.ts';
import { parseCpuLine, ResourceSampler } from './resource-usage.ts';
import { parseDpkgStatus, parseRpmList, SoftwareCollector } from './software-collector.ts';

const DPKG = `Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b7
Description: GNU Bourne Again SHell

Package: removed-thing
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.15-1~deb12u1
`;

describe('software inventory', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('var/lib/dpkg/status', DPKG);
  });
  after(() => t.cleanup());

  it('parses dpkg status and rpm query output', () => {
    assert.deepEqual(
      parseDpkgStatus(DPKG).map((p) => [p.name, p.version]),
      [
        ['bash', '5.2.15-2+b7'],
        ['openssl', '3.0.15-1~deb12u1'],
      ],
    );
    assert.deepEqual(parseRpmList('bash\t5.2.26-3.fc40\tx86_64\n'), [
      { name: 'bash', version: '5.2.26-3.fc40', arch: 'x86_64', manager: 'rpm' },
    ]);
  });

  it('reports the full inventory once, then installs, upgrades and removals', async () => {
    const c = new SoftwareCollector(t.root, false);
    const ctx = { now: new Date(), policy: defaultPolicy() };
    const first = await c.collect(ctx);
    assert.deepEqual(
      first.map((e) => [e.fields['Product'], e.fields['ChangeType']]),
      [
        ['bash', 'present'],
        ['openssl', 'present'],
      ],
    );
    assert.equal(first[0]!.type, 'software');
    assert.deepEqual(await c.collect(ctx), [], 'unchanged database: nothing');

    await t.write(
      'var/lib/dpkg/status',
      DPKG.replace('3.0.15-1~deb12u1', '3.0.16-1~deb12u1').replace(
        'Package: bash\nStatus: install ok installed',
        'Package: bash\nStatus: deinstall ok config-files',
      ) +
        '\nPackage: netcat-traditional\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.10-47\n',
    );
    const restarted = new SoftwareCollector(t.root, false);
    restarted.importState(JSON.parse(JSON.stringify(c.exportState())));
    const changes = await restarted.collect(ctx);
    assert.deepEqual(
      changes.map((e) => [e.fields['Product'], e.fields['ChangeType'], e.fields['PreviousVersion']]),
      [
        ['openssl', 'upgraded', '3.0.15-1~deb12u1'],
        ['netcat-traditional', 'installed', undefined],
        ['bash', 'removed', undefined],
      ],
    );
  });
});

describe('host facts and resource figures', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write(
      'etc/os-release',
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    );
    await t.write(
      'proc/cpuinfo',
      'processor\t: 0\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n',
    );
    await t.write(
      'proc/meminfo',
      'MemTotal:        4000000 kB\nMemFree:          500000 kB\nMemAvailable:    1000000 kB\n',
    );
    await t.write('proc/sys/kernel/hostname', 'web1\n');
    await t.write('proc/sys/kernel/osrelease', '6.1.0-28-amd64\n');
    await t.write('proc/uptime', '12345.67 2000.00\n');
    await t.write('proc/stat', 'cpu  100 0 100 800 0 0 0 0 0 0\nbtime 1700000000\n');
  });
  after(() => t.cleanup());

  it('reads OS and hardware facts', async () => {
    const f = await readHostFacts(t.root);
    assert.equal(f.hostname, 'web1');
    assert.deepEqual(f.os, { name: 'Debian GNU/Linux', version: '12', platform: 'linux' });
    assert.equal(f.cpuCount, 2);
    assert.equal(f.cpuModel, 'Intel(R) Xeon(R) CPU @ 2.20GHz');
    assert.equal(f.memTotalBytes, 4_000_000 * 1024);
    assert.equal(f.kernel, '6.1.0-28-amd64');
    const c = new OsFactsCollector(t.root);
    const ctx = { now: new Date(), policy: defaultPolicy() };
    const [e] = await c.collect(ctx);
    assert.equal(e!.type, 'os_facts');
    assert.equal(e!.fields['OsPrettyName'], 'Debian GNU/Linux 12 (bookworm)');
    assert.deepEqual(await c.collect(ctx), [], 'unchanged facts are not repeated');
  });

  it('computes CPU % between samples, memory and disk', async () => {
    assert.deepEqual(parseCpuLine('cpu  1 2 3 4 5 6 7 8 9 10\n'), { busy: 1 + 2 + 3 + 6 + 7 + 8, total: 36 });
    const s = new ResourceSampler(t.root);
    const first = await s.sample();
    assert.equal(first.cpu_pct, 20);
    await t.write('proc/stat', 'cpu  150 0 150 900 0 0 0 0 0 0\n');
    const second = await s.sample();
    assert.equal(second.cpu_pct, 50); // 100 busy of 200 jiffies since the first sample
    assert.equal(second.mem_total_bytes, 4_000_000 * 1024);
    assert.equal(second.mem_used_bytes, 3_000_000 * 1024);
    assert.equal(second.uptime_s, 12345);
    assert.ok(second.disk_total_bytes > 0 && second.disk_used_bytes > 0);
  });
});
