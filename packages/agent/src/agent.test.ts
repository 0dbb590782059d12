import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Agent } from './agent.ts';
import { loadEnrollment } from './agent-state.ts';
import { Backoff } from './delivery/backoff.ts';
import { enroll } from './enroll.ts';
import { createLogger } from './logger.ts';
import { type FakeServer, newFakeStore, startFakeServer } from './test-support/fake-server.ts';
import { FixtureTree } from './test-support/fixture-tree.ts';

const quiet = createLogger('silent');
const BIN = new URL('../bin/harrier-agent.js', import.meta.url).pathname;

/** A small host: passwd, os-release, /proc with two processes and an sshd listener, auth.log. */
async function fixtureHost(): Promise<FixtureTree> {
  const t = await FixtureTree.create();
  await t.writeHost('fixture-host');
  await t.write('proc/net/tcp', '  sl  local_address rem_address   st\n');
  await t.write('usr/bin/sleep', 'sleep');
  await t.write('etc/crontab', '# empty\n');
  return t;
}

describe('Agent against a signature-checking server', () => {
  let t: FixtureTree;
  let stateRoot: string;
  let server: FakeServer;
  let n = 0;
  before(async () => {
    t = await fixtureHost();
    stateRoot = await mkdtemp(join(tmpdir(), 'harrier-agent-state-'));
  });
  afterEach(() => server?.close());
  after(async () => {
    await t.cleanup();
    await rm(stateRoot, { recursive: true, force: true });
  });

  async function enrolled() {
    server = await startFakeServer(newFakeStore());
    const stateDir = join(stateRoot, `s${n++}`);
    const rec = await enroll({
      serverUrl: server.url,
      key: server.store.enrollmentKey,
      stateDir,
      root: t.root,
    });
    return { stateDir, rec };
  }

  it('enrolls and stores the credentials owner-only', async () => {
    const { stateDir, rec } = await enrolled();
    assert.equal(rec.device_id, 'dev-1');
    assert.equal(rec.hostname, 'fixture-host');
    const st = await stat(join(stateDir, 'agent.json'));
    assert.equal(st.mode & 0o777, 0o600);
    assert.deepEqual(await loadEnrollment(stateDir), rec);
    await assert.rejects(
      enroll({ serverUrl: server.url, key: 'wrong', stateDir: join(stateRoot, 'x'), root: t.root }),
      /HTTP 401/,
    );
  });

  it('run-once collects, delivers, heartbeats, and tolerates a server without config and actions', async () => {
    const { stateDir, rec } = await enrolled();
    const agent = await Agent.open({ stateDir, enrollment: rec, root: t.root, log: quiet });
    const r = await agent.runOnce(10_000);
    assert.equal(r.outcome, 'empty');
    const types = new Set(server.store.events.map((e) => e.type));
    assert.ok(types.has('os_facts') && types.has('software'), [...types].join(','));
    assert.equal(server.store.badSignatures, 0);

    const hb = server.store.heartbeats[0]!;
    assert.equal(hb['device'], rec.device_id);
    assert.equal(hb['hostname'], 'fixture-host');
    assert.deepEqual(hb['os'], { name: 'Debian GNU/Linux', version: '12', platform: 'linux' });
    assert.equal(hb['mem_total_bytes'], 2_000_000 * 1024);
    assert.equal(hb['mem_used_bytes'], 1_000_000 * 1024);
    assert.equal(hb['uptime_s'], 100);
    assert.equal(hb['spool_dropped'], 0);
    for (const k of ['agent_version', 'cpu_pct', 'disk_used_bytes', 'disk_total_bytes'])
      assert.ok(k in hb, k);
    assert.ok(server.store.log.some((l) => l.url === '/api/v1/agents/config' && l.status === 404));

    // New activity is found on the next pass; nothing already sent is sent again.
    const before = server.store.events.length;
    await t.addProcess({
      pid: 4242,
      ppid: 1,
      comm: 'sleep',
      exe: '/usr/bin/sleep',
      argv: ['sleep', '60'],
      uid: 1000,
      startTicks: 999,
    });
    await t.write(
      'var/log/auth.log',
      'Nov 23 10:00:00 fixture-host sshd[9]: Failed password for root from 192.0.2.1 port 22 ssh2\n',
    );
    await agent.runOnce(10_000);
    const fresh = server.store.events.slice(before);
    assert.deepEqual(fresh.map((e) => e.type).sort(), ['auth', 'process_start']);
    assert.equal(fresh.find((e) => e.type === 'process_start')!.fields['User'], 'alice');
    await agent.close();
    await t.removeProcess(4242);
  });

  it('applies the server policy (ETag), runs allowed actions and refuses the rest', async () => {
    const { stateDir, rec } = await enrolled();
    server.store.config = {
      etag: '"v1"',
      document: {
        policy: {
          collect_command_lines: false,
          collectors: { software: false },
          response: { allowed_actions: ['collect_triage'] },
        },
      },
    };
    server.store.actions.push(
      { id: 'a1', type: 'collect_triage', params: {} },
      { id: 'a2', type: 'kill_process', params: { pid: 1 } },
      { id: 'a3', type: 'isolate', params: {} },
    );
    const agent = await Agent.open({ stateDir, enrollment: rec, root: t.root, log: quiet });
    await agent.runOnce(10_000);
    assert.equal(agent.policy.collectCommandLines, false);
    assert.equal(agent.policy.collectors.software, false);
    assert.ok(
      !server.store.events.some((e) => e.type === 'software'),
      'software collector disabled by policy',
    );
    assert.equal((server.store.actionResults.get('a1') as { status: string }).status, 'succeeded');
    assert.equal((server.store.actionResults.get('a2') as { status: string }).status, 'rejected');
    assert.equal((server.store.actionResults.get('a3') as { status: string }).status, 'rejected');

    await agent.pollConfig();
    const configGets = server.store.log.filter((l) => l.url === '/api/v1/agents/config');
    assert.deepEqual(
      configGets.map((l) => l.status),
      [200, 304],
    );
    await agent.close();

    // The policy survives a restart (cached with its ETag).
    const again = await Agent.open({ stateDir, enrollment: rec, root: t.root, log: quiet });
    assert.equal(again.policy.collectCommandLines, false);
    await again.close();
  });

  it('keeps events in the spool across an agent restart while the server is down', async () => {
    const { stateDir, rec } = await enrolled();
    let agent = await Agent.open({ stateDir, enrollment: rec, root: t.root, log: quiet });
    await agent.runOnce(10_000);
    const delivered = server.store.events.length;
    await server.close();

    await t.addProcess({
      pid: 5000,
      ppid: 1,
      comm: 'sleep',
      exe: '/usr/bin/sleep',
      argv: ['sleep', '1'],
      uid: 0,
      startTicks: 5000,
    });
    assert.equal(await agent.collect(), 1);
    const r = await agent.deliver();
    assert.equal(r.outcome, 'retry');
    await agent.close();

    server = await startFakeServer(server.store, server.port);
    agent = await Agent.open({
      stateDir,
      enrollment: rec,
      root: t.root,
      log: quiet,
      backoff: new Backoff(10, 100, () => 0),
    });
    assert.equal((await agent.deliver()).outcome, 'empty');
    assert.deepEqual(
      server.store.events.slice(delivered).map((e) => e.fields['ProcessId']),
      [5000],
    );
    await agent.close();
    await t.removeProcess(5000);
  });

  it('refuses a second agent on the same state directory', async () => {
    const { stateDir, rec } = await enrolled();
    const a = await Agent.open({ stateDir, enrollment: rec, root: t.root, log: quiet });
    const other = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'run-once', '--state-dir', stateDir, '--root', t.root],
        (err, _o, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(other.code, 75);
    assert.match(other.stderr, /another harrier-agent/);
    await a.close();
  });

  it('works as a command: enroll, run-once, status', async () => {
    server = await startFakeServer(newFakeStore());
    const stateDir = join(stateRoot, 'cli');
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [BIN, ...args, '--state-dir', stateDir, '--root', t.root, '--log-level', 'error'],
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    let r = await run('status');
    assert.equal(r.code, 3);
    r = await run('enroll', '--server', server.url, '--key', server.store.enrollmentKey);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /enrolled: device dev-1/);
    const saved = JSON.parse(await readFile(join(stateDir, 'agent.json'), 'utf8')) as {
      device_secret: string;
    };
    assert.equal(saved.device_secret, server.store.devices.get('dev-1'));
    r = await run('run-once');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pending 0; dropped 0/);
    r = await run('inventory');
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as {
      software: { name: string }[];
      hardware: Record<string, unknown>;
    };
    assert.deepEqual(
      printed.software.map((p) => p.name),
      ['bash'],
    );
    assert.equal(printed.hardware['hostname'], 'fixture-host');
    r = await run('status');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /device: +dev-1/);
    assert.match(r.stdout, /daemon: +not running/);
    assert.match(r.stdout, /spool: +0 pending, 0 dropped/);
  });
});
