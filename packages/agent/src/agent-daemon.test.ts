import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent, type AgentOptions } from './agent.ts';
import { enroll } from './enroll.ts';
import { createLogger } from './logger.ts';
import { type AgentPolicy, defaultPolicy } from './policy.ts';
import { type FakeServer, newFakeStore, startFakeServer } from './test-support/fake-server.ts';
import { FixtureTree } from './test-support/fixture-tree.ts';

const BIN = new URL('../bin/harrier-agent.js', import.meta.url).pathname;

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('daemon', () => {
  let t: FixtureTree;
  let stateRoot: string;
  let server: FakeServer;
  before(async () => {
    t = await FixtureTree.create();
    stateRoot = await mkdtemp(join(tmpdir(), 'harrier-daemon-'));
    await t.writeHost('daemon-host');
    server = await startFakeServer(newFakeStore());
  });
  after(async () => {
    await server.close();
    await t.cleanup();
    await rm(stateRoot, { recursive: true, force: true });
  });

  /** Enrolls a fresh state directory and opens an agent on it with faster intervals. */
  async function openAgent(
    name: string,
    intervals: Partial<AgentPolicy['intervals']>,
    options: Partial<AgentOptions> = {},
  ): Promise<{ agent: Agent; stateDir: string; deviceId: string }> {
    const stateDir = join(stateRoot, name);
    const rec = await enroll({
      serverUrl: server.url,
      key: server.store.enrollmentKey,
      stateDir,
      root: t.root,
    });
    const agent = await Agent.open({
      stateDir,
      enrollment: rec,
      root: t.root,
      log: createLogger('silent'),
      policy: { intervals: { ...defaultPolicy().intervals, ...intervals } },
      ...options,
    });
    return { agent, stateDir, deviceId: rec.device_id };
  }

  it('collects on its intervals, wakes the sender for new events, heartbeats, and stops on abort', async () => {
    const { agent, stateDir } = await openAgent('inproc', {
      processS: 0.05,
      fastS: 0.05,
      filesS: 0.05,
      heartbeatS: 0.2,
    });
    const controller = new AbortController();
    const running = agent.runDaemon(controller.signal);
    await until(() => server.store.heartbeats.length >= 1);
    await t.addProcess({
      pid: 77,
      ppid: 1,
      comm: 'bash',
      exe: '/usr/bin/bash',
      argv: ['bash', '-i'],
      uid: 0,
      startTicks: 77,
    });
    await until(() => server.store.events.some((e) => e.fields['ProcessId'] === 77));
    await until(() => server.store.heartbeats.length >= 2);
    controller.abort();
    await running;
    await agent.close();
    const status = JSON.parse(await readFile(join(stateDir, 'status.json'), 'utf8')) as {
      last_heartbeat_ok: boolean;
      delivery: { eventsAccepted: number };
    };
    assert.equal(status.last_heartbeat_ok, true);
    assert.ok(status.delivery.eventsAccepted >= 1);
  });

  it('sends the inventory snapshot at start and again after a software change settles', async () => {
    const { agent, stateDir, deviceId } = await openAgent(
      'inventory',
      { softwareS: 0.05 },
      { inventoryDebounceMs: 100 },
    );
    const controller = new AbortController();
    const running = agent.runDaemon(controller.signal);
    const mine = () => server.store.inventories.filter((i) => i.device === deviceId);
    const bashVersion = (i: { software: unknown[] }) =>
      (i.software as { name: string; version: string }[]).find((p) => p.name === 'bash')?.version;
    await until(() => mine().length >= 1);
    assert.equal(bashVersion(mine()[0]!), '5.2');
    await t.write(
      'var/lib/dpkg/status',
      'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.3\n',
    );
    await until(() => mine().length >= 2);
    assert.equal(bashVersion(mine()[1]!), '5.3');
    controller.abort();
    await running;
    await agent.close();
    const status = JSON.parse(await readFile(join(stateDir, 'status.json'), 'utf8')) as {
      inventory: { sent: number };
    };
    assert.equal(status.inventory.sent, 2);
  });

  it('runs as a process and exits cleanly on SIGTERM', async () => {
    const stateDir = join(stateRoot, 'proc');
    await enroll({ serverUrl: server.url, key: server.store.enrollmentKey, stateDir, root: t.root });
    const heartbeats = server.store.heartbeats.length;
    const child = spawn(
      process.execPath,
      [BIN, 'daemon', '--state-dir', stateDir, '--root', t.root, '--log-level', 'error'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => server.store.heartbeats.length > heartbeats, 20_000);
    const status = await new Promise<string>((resolve) => {
      execFile(process.execPath, [BIN, 'status', '--state-dir', stateDir], (_err, stdout) => resolve(stdout));
    });
    assert.match(status, new RegExp(`daemon: +running \\(pid ${child.pid}\\)`));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});
