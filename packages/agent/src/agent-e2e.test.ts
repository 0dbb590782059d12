/**
 * The agent against the real Harrier server in-process (issue 8's end-to-end test): enroll,
 * collect, deliver; stop the server and keep collecting into the spool (across an agent
 * restart too); restart the server; everything is delivered, and stored exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/src/config.ts';
import { type Runtime, startRuntime } from '../../server/src/runtime.ts';
import { type TestStore, testStores } from '../../server/src/test-support/databases.ts';
import { Agent } from './agent.ts';
import type { AgentEvent } from './agent-event.ts';
import { Backoff } from './delivery/backoff.ts';
import { CircuitBreaker } from './delivery/circuit-breaker.ts';
import { enroll } from './enroll.ts';
import { createLogger } from './logger.ts';
import { FixtureTree } from './test-support/fixture-tree.ts';

const quiet = createLogger('silent');

for (const makeStore of testStores()) {
  describe(`agent ⇄ real Harrier server (${makeStore.name === 'sqliteStore' ? 'sqlite' : 'postgres'})`, () => {
    let store: TestStore;
    let t: FixtureTree;
    let stateDir: string;
    let runtime: Runtime | undefined;

    async function startServer(port = 0): Promise<{ url: string; port: number; key: string | undefined }> {
      const config = loadConfig({
        ...store.env,
        HARRIER_ADMIN_PASSWORD: 'correct horse battery staple',
        HARRIER_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        HARRIER_LOG_LEVEL: 'silent',
      });
      runtime = await startRuntime(config, { logger: false });
      await runtime.app.listen({ host: '127.0.0.1', port });
      const p = (runtime.app.server.address() as AddressInfo).port;
      return { url: `http://127.0.0.1:${p}`, port: p, key: runtime.firstRun?.enrollmentKey };
    }

    async function storedEvents(
      deviceId: string,
    ): Promise<{ id: string; category: string | null; fields: unknown }[]> {
      const db = runtime!.ctx.database.db;
      return (await db
        .selectFrom('events')
        .select(['id', 'category', 'fields'])
        .where('device_id', '=', deviceId)
        .execute()) as { id: string; category: string | null; fields: unknown }[];
    }

    before(async () => {
      store = makeStore();
      t = await FixtureTree.create();
      stateDir = await mkdtemp(join(tmpdir(), 'harrier-e2e-state-'));
      await t.writeHost('e2e-host');
    });
    after(async () => {
      await runtime?.close();
      await store.cleanup();
      await t.cleanup();
      await rm(stateDir, { recursive: true, force: true });
    });

    it('enrolls, delivers, spools through an outage and a restart, and delivers everything once', async () => {
      const server = await startServer();
      assert.ok(server.key, 'first run prints an enrollment key');
      const rec = await enroll({ serverUrl: server.url, key: server.key, stateDir, root: t.root });

      // Every event the agent spools is recorded here, so the test knows exactly what must arrive.
      const spooled: AgentEvent[] = [];
      const open = async () => {
        const agent = await Agent.open({
          stateDir,
          enrollment: rec,
          root: t.root,
          log: quiet,
          breaker: new CircuitBreaker(3, 200),
          backoff: new Backoff(10, 100),
        });
        const append = agent.spool.append.bind(agent.spool);
        agent.spool.append = async (events) => {
          spooled.push(...events);
          return append(events);
        };
        return agent;
      };
      let agent = await open();

      // 1. Online: collect and deliver.
      let pid = 100;
      const startProcess = async () => {
        pid++;
        await t.addProcess({
          pid,
          ppid: 1,
          comm: 'bash',
          exe: '/usr/bin/bash',
          argv: ['bash', '-c', `job ${pid}`],
          uid: 1000,
          startTicks: pid,
        });
      };
      assert.equal((await agent.runOnce(10_000)).outcome, 'empty');
      await startProcess();
      await t.write(
        'var/log/auth.log',
        'Nov 23 10:00:00 e2e-host sshd[7]: Accepted publickey for alice from 192.0.2.9 port 5000 ssh2\n',
      );
      assert.equal(await agent.collect(), 2);
      assert.equal((await agent.deliver()).outcome, 'empty');
      assert.equal((await agent.heartbeat()).ok, true);
      let stored = await storedEvents(rec.device_id);
      assert.equal(stored.length, spooled.length);

      // 2. The server goes away; the agent keeps collecting into its spool.
      await runtime!.close();
      runtime = undefined;
      for (let i = 0; i < 5; i++) {
        await startProcess();
        assert.equal(await agent.collect(), 1);
        assert.equal((await agent.deliver()).outcome === 'empty', false);
      }
      assert.equal((await agent.heartbeat()).ok, false);

      // 3. The agent restarts while the server is still down; the spool survives it.
      await agent.close();
      agent = await open();
      await startProcess();
      assert.equal(await agent.collect(), 1);
      assert.equal((await agent.spool.stats()).pendingEvents, 6);

      // 4. The server comes back on the same port with the same store.
      await startServer(server.port);
      await new Promise((r) => setTimeout(r, 250)); // let the breaker's cooldown pass
      assert.equal((await agent.deliver()).outcome, 'empty');
      assert.equal((await agent.heartbeat()).ok, true);

      stored = await storedEvents(rec.device_id);
      assert.equal(stored.length, spooled.length, 'every spooled event stored');
      assert.equal(new Set(stored.map((e) => e.id)).size, stored.length, 'no duplicates');
      const pids = stored
        .filter((e) => e.category === 'process_creation')
        .map(
          (e) => (typeof e.fields === 'string' ? JSON.parse(e.fields) : e.fields) as Record<string, unknown>,
        )
        .map((f) => f['ProcessId'])
        .filter((p): p is number => typeof p === 'number')
        .sort((a, b) => a - b);
      assert.deepEqual(pids, [101, 102, 103, 104, 105, 106, 107]);

      // 5. A batch resent after a lost acknowledgement is answered from the first result.
      const batch = { batch_id: 'replayed-batch', events: spooled.slice(0, 3) };
      const client = agent.client;
      const first = await client.request({
        method: 'POST',
        path: '/api/v1/ingest',
        body: batch,
        gzip: true,
        signed: true,
      });
      const second = await client.request({
        method: 'POST',
        path: '/api/v1/ingest',
        body: batch,
        gzip: true,
        signed: true,
      });
      assert.equal(first.status, 200);
      assert.deepEqual(second.json, first.json);
      assert.equal((await storedEvents(rec.device_id)).length, spooled.length, 'resent events stored once');
      await agent.close();
    });
  });
}
