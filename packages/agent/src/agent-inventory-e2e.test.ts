/**
 * The agent's inventory snapshot against the real Harrier server in-process: the snapshot
 * arrives signed, the device's inventory lists its packages (with their source packages) and
 * hardware, and an OSV advisory naming a Debian source package finds the binary package built
 * from it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestStore, testStores } from '../../server/src/test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../../server/src/test-support/identity-fixtures.ts';
import { Agent } from './agent.ts';
import { Backoff } from './delivery/backoff.ts';
import { enroll } from './enroll.ts';
import { createLogger } from './logger.ts';
import { FixtureTree } from './test-support/fixture-tree.ts';

const DPKG_STATUS = `Package: libssl3
Status: install ok installed
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u1

Package: bash
Status: install ok installed
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Version: 5.2.15-2+b2

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14
`;

/** Debian's OpenSSL advisory as osv.dev serves it (trimmed): it names the source package, not libssl3. */
const OPENSSL_ADVISORY = {
  id: 'DSA-5532-1',
  aliases: ['CVE-2023-5363'],
  summary: 'openssl - security update',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
    },
  ],
};

for (const makeStore of testStores()) {
  describe(`agent inventory ⇄ real Harrier server (${makeStore.name === 'sqliteStore' ? 'sqlite' : 'postgres'})`, () => {
    let store: TestStore;
    let w: IdentityWorld;
    let t: FixtureTree;
    let stateDir: string;

    before(async () => {
      store = makeStore();
      w = await startIdentityWorld(store);
      await w.t.runtime.app.listen({ host: '127.0.0.1', port: 0 });
      t = await FixtureTree.create();
      stateDir = await mkdtemp(join(tmpdir(), 'harrier-inventory-state-'));
      await t.writeHost('inv-host');
      await t.write('etc/machine-id', '0123456789abcdef0123456789abcdef\n');
      await t.write('sys/block/vda/size', '41943040\n');
      await t.write('sys/class/dmi/id/sys_vendor', 'QEMU\n');
      await t.write('var/lib/dpkg/status', DPKG_STATUS);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
      await t.cleanup();
      await rm(stateDir, { recursive: true, force: true });
    });

    const get = async (url: string) => {
      const res = await w.request('GET', url, { token: w.users.admin.access });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    it('sends its snapshot at start; the inventory lists it and an OSV import finds the vulnerable package', async () => {
      const port = (w.t.runtime.app.server.address() as AddressInfo).port;
      const rec = await enroll({
        serverUrl: `http://127.0.0.1:${port}`,
        key: w.t.enrollmentKey,
        stateDir,
        root: t.root,
      });
      const agent = await Agent.open({
        stateDir,
        enrollment: rec,
        root: t.root,
        log: createLogger('silent'),
        backoff: new Backoff(10, 100),
        inventoryBackoff: new Backoff(10, 100),
      });
      try {
        await agent.runOnce(10_000);
        assert.equal(agent.inventory.stats.sent, 1, JSON.stringify(agent.inventory.stats));
        assert.equal(await agent.reportInventory(), undefined, 'nothing due right after a snapshot');

        const inv = await get(`/api/v1/devices/${rec.device_id}/inventory`);
        assert.deepEqual(
          inv.software
            .map((s: { name: string; version: string; source_package: string | null; ecosystem: string }) => [
              s.name,
              s.version,
              s.source_package,
              s.ecosystem,
            ])
            .sort(),
          [
            ['bash', '5.2.15-2+b2', null, 'Debian'],
            ['libgcc-s1', '12.2.0-14', 'gcc-12', 'Debian'],
            ['libssl3', '3.0.11-1~deb12u1', 'openssl', 'Debian'],
          ],
        );
        assert.equal(inv.hardware.hostname, 'inv-host');
        assert.equal(inv.hardware.cpu_model, 'Test CPU');
        assert.equal(inv.hardware.memory_bytes, 2_000_000 * 1024);
        assert.equal(inv.hardware.machine_id, '0123456789abcdef0123456789abcdef');
        assert.equal(inv.hardware.virtualization, 'kvm');
        assert.deepEqual(
          inv.hardware.disks.map((d: { name: string; size_bytes: number }) => [d.name, d.size_bytes]),
          [['vda', 41943040 * 512]],
        );

        const imported = await w.request('POST', '/api/v1/vulnerabilities/advisories', {
          token: w.users.admin.access,
          body: [OPENSSL_ADVISORY],
        });
        assert.equal(imported.statusCode, 200, imported.body);
        const vulns = await get(`/api/v1/devices/${rec.device_id}/vulnerabilities`);
        assert.deepEqual(
          vulns.findings.map((f: { package: string; advisory_id: string }) => [f.package, f.advisory_id]),
          [['libssl3', 'DSA-5532-1']],
        );

        // The upgrade reaches the server as a software event and, with the next snapshot, clears the finding.
        await t.write('var/lib/dpkg/status', DPKG_STATUS.replace('3.0.11-1~deb12u1', '3.0.11-1~deb12u2'));
        const result = await agent.reportInventory(true);
        assert.equal(result?.outcome, 'sent');
        await agent.deliver();
        await w.t.runtime.ctx.pipeline.idle();
        assert.deepEqual((await get(`/api/v1/devices/${rec.device_id}/vulnerabilities`)).findings, []);
      } finally {
        await agent.close();
      }
    });
  });
}
