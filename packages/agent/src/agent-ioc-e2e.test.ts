/**
 * The agent's threat-intel loop against the real Harrier server in-process: an IP indicator
 * created through the API reaches the agent (signed pull), a connection to that address in
 * the fixture's /proc becomes an `ioc_hit` event, and the server stores it and raises its
 * IOC alert.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
// 10.0.0.5:50000 → 203.0.113.66:443, established, inode 9191 (kernel hex is little-endian).
const CONNECTION =
  '   0: 0500000A:C350 427100CB:01BB 01 00000000:00000000 00:00000000 00000000     0        0 9191 1 0000000000000000 100 0 0 10 0\n';

for (const makeStore of testStores()) {
  describe(`agent threat intel ⇄ real Harrier server (${makeStore.name === 'sqliteStore' ? 'sqlite' : 'postgres'})`, () => {
    let store: TestStore;
    let w: IdentityWorld;
    let t: FixtureTree;
    let stateDir: string;

    before(async () => {
      store = makeStore();
      w = await startIdentityWorld(store);
      await w.t.runtime.app.listen({ host: '127.0.0.1', port: 0 });
      t = await FixtureTree.create();
      stateDir = await mkdtemp(join(tmpdir(), 'harrier-ioc-state-'));
      await t.writeHost('ioc-host');
      await t.write('usr/bin/curl', 'curl');
      await t.addProcess({
        pid: 77,
        ppid: 1,
        comm: 'curl',
        exe: '/usr/bin/curl',
        argv: ['curl', 'https://203.0.113.66/'],
        uid: 0,
        startTicks: 5,
      });
      await t.link('proc/77/fd/3', 'socket:[9191]');
      await t.write('proc/net/tcp', HEADER + CONNECTION);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
      await t.cleanup();
      await rm(stateDir, { recursive: true, force: true });
    });

    const api = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const res = await w.request(method, url, { token: w.users.admin.access, body });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };

    it('pulls an indicator created through the API and reports the connection to it', async () => {
      const ioc = await api('POST', '/api/v1/iocs', {
        type: 'ip',
        value: '203.0.113.66',
        severity: 'critical',
      });
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
        iocBackoff: new Backoff(10, 100),
      });
      try {
        await agent.runOnce(10_000);
        assert.equal(agent.iocs.stats.pulls, 1, JSON.stringify(agent.iocs.stats));
        assert.deepEqual(
          agent.iocs.list().map((i) => [i.id, i.type, i.value, i.severity]),
          [[ioc.id, 'ip', '203.0.113.66', 'critical']],
        );
        const saved = JSON.parse(await readFile(join(stateDir, 'iocs.json'), 'utf8'));
        assert.equal(saved.indicators[0].value, '203.0.113.66');
        assert.equal(await agent.pullIocs(), undefined, 'nothing due right after a pull');
        await w.t.runtime.ctx.pipeline.idle();

        const events = await api('GET', `/api/v1/events?q=${encodeURIComponent(`IocId:${ioc.id}`)}&limit=10`);
        assert.equal(events.items.length, 1, JSON.stringify(events.items));
        const hit = await api('GET', `/api/v1/events/${events.items[0].id}`);
        assert.equal(hit.logsource.category, 'threat-intel');
        assert.equal(hit.severity, 'critical');
        assert.equal(hit.fields.DestinationIp, '203.0.113.66');
        assert.equal(hit.fields.DestinationPort, 443);
        assert.equal(hit.fields.Image, '/usr/bin/curl');
        assert.equal(hit.fields.ProcessId, 77);
        assert.equal(hit.fields.ioc_match, true, 'the server matched it at ingest too');

        const alerts = await api('GET', '/api/v1/alerts?kind=ioc&limit=50');
        assert.equal(
          alerts.items.filter((a: { title: string }) => a.title === 'IOC match: 203.0.113.66').length,
          1,
          JSON.stringify(alerts.items.map((a: { title: string }) => a.title)),
        );

        // The connection is still open a minute later: not reported again within the hour.
        await agent.runOnce(10_000);
        await w.t.runtime.ctx.pipeline.idle();
        const again = await api('GET', `/api/v1/events?q=${encodeURIComponent(`IocId:${ioc.id}`)}&limit=10`);
        assert.equal(again.items.length, 1);
      } finally {
        await agent.close();
      }
    });
  });
}
