import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { FileHasher } from './file-hasher.ts';
import { parseProcStat } from './proc-process.ts';
import { ProcessCollector } from './process-collector.ts';
import { UserResolver } from './user-resolver.ts';

const BTIME = 1_700_000_000;

describe('ProcessCollector on a fixture /proc', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('proc/stat', `cpu  100 0 50 1000 10 0 0 0 0 0\nbtime ${BTIME}\n`);
    await t.write(
      'etc/passwd',
      'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    );
    await t.write('usr/bin/bash', 'bash-binary');
    await t.write('usr/bin/curl', 'curl-binary');
    await t.write('usr/lib/systemd/systemd', 'systemd-binary');
    await t.addProcess({
      pid: 1,
      ppid: 0,
      comm: 'systemd',
      exe: '/usr/lib/systemd/systemd',
      argv: ['/sbin/init'],
      uid: 0,
      startTicks: 1,
    });
    await t.addProcess({
      pid: 100,
      ppid: 1,
      comm: 'bash',
      exe: '/usr/bin/bash',
      argv: ['-bash'],
      uid: 1000,
      startTicks: 500,
    });
  });
  after(() => t.cleanup());

  it('parses stat lines whose command contains spaces and parentheses', () => {
    const st = parseProcStat('42 (my (weird) cmd) S 7 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0');
    assert.deepEqual(st, { pid: 42, comm: 'my (weird) cmd', ppid: 7, startTicks: 12345 });
  });

  it('baselines silently, then reports new processes with Sigma fields and hashes', async () => {
    const hasher = new FileHasher();
    const c = new ProcessCollector(t.root, hasher, new UserResolver(t.root));
    const ctx = { now: new Date(), policy: defaultPolicy() };
    assert.deepEqual(await c.collect(ctx), []);

    await t.addProcess({
      pid: 200,
      ppid: 100,
      comm: 'curl',
      exe: '/usr/bin/curl',
      argv: ['curl', '-s', 'http://example.com/x.sh', '--user', 'bob@example.com'],
      uid: 1000,
      startTicks: 900,
      cwd: '/home/alice',
    });
    const events = await c.collect(ctx);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.type, 'process_start');
    assert.deepEqual(e.logsource, { product: 'linux', category: 'process_creation' });
    assert.equal(e.ts, new Date((BTIME + 9) * 1000).toISOString());
    const sha = createHash('sha256').update('curl-binary').digest('hex').toUpperCase();
    assert.deepEqual(
      { ...e.fields },
      {
        Image: '/usr/bin/curl',
        CommandLine: 'curl -s http://example.com/x.sh --user [email-redacted]',
        ProcessId: 200,
        ParentProcessId: 100,
        ParentImage: '/usr/bin/bash',
        ParentCommandLine: '-bash',
        User: 'alice',
        CurrentDirectory: '/home/alice',
        Hashes: `SHA256=${sha}`,
        ProcessName: 'curl',
      },
    );
    assert.equal(await c.collect(ctx).then((x) => x.length), 0, 'nothing new on the next scan');

    // Same binary again: the hash comes from the cache.
    await t.addProcess({
      pid: 201,
      ppid: 100,
      comm: 'curl',
      exe: '/usr/bin/curl',
      argv: ['curl'],
      uid: 0,
      startTicks: 950,
    });
    const again = await c.collect(ctx);
    assert.equal(again[0]!.fields['User'], 'root');
    assert.equal(again[0]!.fields['Hashes'], `SHA256=${sha}`);
    assert.equal(hasher.hits, 1);
  });

  it('omits command lines when the policy turns them off', async () => {
    const c = new ProcessCollector(t.root, new FileHasher(), new UserResolver(t.root));
    const policy = { ...defaultPolicy(), collectCommandLines: false };
    await c.collect({ now: new Date(), policy });
    await t.addProcess({
      pid: 300,
      ppid: 100,
      comm: 'curl',
      exe: '/usr/bin/curl',
      argv: ['curl', 'secret'],
      uid: 0,
      startTicks: 1000,
    });
    const [e] = await c.collect({ now: new Date(), policy });
    assert.equal(e!.fields['Image'], '/usr/bin/curl');
    assert.equal(e!.fields['CommandLine'], undefined);
    assert.equal(e!.fields['ParentCommandLine'], undefined);
    await t.removeProcess(300);
  });

  it('treats a reused pid as a new process and reports starts that happened while stopped', async () => {
    const ctx = { now: new Date(), policy: defaultPolicy() };
    const c = new ProcessCollector(t.root, new FileHasher(), new UserResolver(t.root));
    await c.collect(ctx);
    const saved = JSON.parse(JSON.stringify(c.exportState()));

    // While "stopped": pid 200 exits and is reused, and a new process starts.
    await t.removeProcess(200);
    await t.addProcess({
      pid: 200,
      ppid: 1,
      comm: 'bash',
      exe: '/usr/bin/bash',
      argv: ['bash', '-c', 'id'],
      uid: 0,
      startTicks: 5000,
    });
    await t.addProcess({
      pid: 400,
      ppid: 1,
      comm: 'bash',
      exe: '/usr/bin/bash',
      argv: ['bash'],
      uid: 0,
      startTicks: 5001,
    });

    const restarted = new ProcessCollector(t.root, new FileHasher(), new UserResolver(t.root));
    restarted.importState(saved);
    const events = await restarted.collect(ctx);
    assert.deepEqual(
      events.map((e) => [e.fields['ProcessId'], e.fields['CommandLine']]),
      [
        [200, 'bash -c id'],
        [400, 'bash'],
      ],
    );
  });

  it('skips kernel threads', async () => {
    const c = new ProcessCollector(t.root, new FileHasher(), new UserResolver(t.root));
    const ctx = { now: new Date(), policy: defaultPolicy() };
    await c.collect(ctx);
    await t.write('proc/500/stat', '500 (kworker/0:1) I 2 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 6000 0 0\n');
    await t.write('proc/500/cmdline', '');
    assert.deepEqual(await c.collect(ctx), []);
  });
});
