import assert from 'node:assert/strict';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { AuthLogCollector } from './auth-log-collector.ts';
import { parseAuthLine } from './auth-log-parser.ts';
import { JournalAuthCollector } from './journal-auth-collector.ts';

const NOW = new Date(2026, 10, 23, 16, 0, 0);

describe('auth.log parsing', () => {
  it('recognises sshd and sudo outcomes', () => {
    const cases: [string, Record<string, unknown> | undefined][] = [
      [
        'Nov 23 15:01:02 web1 sshd[811]: Accepted publickey for alice from 203.0.113.5 port 50522 ssh2: ED25519 SHA256:abc',
        {
          outcome: 'success',
          method: 'publickey',
          user: 'alice',
          sourceIp: '203.0.113.5',
          sourcePort: 50522,
          pid: 811,
        },
      ],
      [
        'Nov 23 15:01:03 web1 sshd[812]: Failed password for root from 198.51.100.7 port 40000 ssh2',
        { outcome: 'failure', method: 'password', user: 'root', sourceIp: '198.51.100.7', sourcePort: 40000 },
      ],
      [
        'Nov 23 15:01:04 web1 sshd[813]: Failed password for invalid user admin from 198.51.100.7 port 40001 ssh2',
        { outcome: 'failure', method: 'password', user: 'admin', invalidUser: true },
      ],
      [
        'Nov 23 15:01:05 web1 sshd[814]: Invalid user oracle from 198.51.100.8 port 40002',
        { outcome: 'failure', method: 'none', user: 'oracle', invalidUser: true, sourcePort: 40002 },
      ],
      [
        '2026-11-23T15:01:06.123456+00:00 web1 sshd[815]: Accepted password for bob from 2001:db8::7 port 2222 ssh2',
        { outcome: 'success', method: 'password', user: 'bob', sourceIp: '2001:db8::7' },
      ],
      [
        'Nov 23 15:02:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id -u',
        {
          outcome: 'success',
          method: 'sudo',
          user: 'alice',
          targetUser: 'root',
          command: '/usr/bin/id -u',
          cwd: '/home/alice',
        },
      ],
      [
        'Nov 23 15:02:01 web1 sudo:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
        { outcome: 'failure', reason: '3 incorrect password attempts', command: '/bin/bash' },
      ],
      [
        'Nov 23 15:02:02 web1 sudo:      eve : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh',
        { outcome: 'failure', user: 'eve', reason: 'user NOT in sudoers' },
      ],
      [
        'Nov 23 15:02:03 web1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)',
        undefined,
      ],
      ['Nov 23 15:02:04 web1 CRON[99]: pam_unix(cron:session): session opened for user root', undefined],
      [
        'Nov 23 15:03:00 web1 su[120]: (to root) alice on pts/2',
        { outcome: 'success', method: 'su', user: 'alice', targetUser: 'root', tty: 'pts/2' },
      ],
      ['Nov 23 15:03:01 web1 su[121]: FAILED SU (to root) eve on pts/3', { outcome: 'failure', user: 'eve' }],
      ['garbage line', undefined],
    ];
    for (const [line, expected] of cases) {
      const got = parseAuthLine(line, NOW);
      if (expected === undefined) assert.equal(got, undefined, line);
      else
        for (const [k, v] of Object.entries(expected))
          assert.deepEqual(got?.[k as keyof typeof got], v, `${k} in ${line}`);
    }
  });

  it('puts a December line read in January into the previous year', () => {
    const got = parseAuthLine(
      'Dec 31 23:59:59 h sshd[1]: Invalid user x from 10.0.0.1',
      new Date(2027, 0, 1, 0, 5),
    );
    assert.equal(got?.ts.getFullYear(), 2026);
  });
});

describe('AuthLogCollector tail', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
  });
  after(() => t.cleanup());
  const ctx = () => ({ now: NOW, policy: defaultPolicy() });
  const log = () => t.path('var/log/auth.log');

  it('starts at the end, follows appends, holds back partial lines, survives rotation and truncation', async () => {
    await t.write(
      'var/log/auth.log',
      'Nov 23 14:00:00 h sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2\n',
    );
    const c = new AuthLogCollector(t.root);
    assert.deepEqual(await c.collect(ctx()), [], 'history is not replayed');

    await appendFile(
      log(),
      'Nov 23 15:00:00 h sshd[2]: Accepted password for alice from 10.0.0.2 port 2 ssh2\nNov 23 15:00:01 h sshd[3]: Failed pass',
    );
    let events = await c.collect(ctx());
    assert.deepEqual(
      events.map((e) => e.fields['User']),
      ['alice'],
    );
    assert.equal(events[0]!.type, 'auth');
    assert.deepEqual(events[0]!.logsource, { product: 'linux', service: 'sshd' });
    assert.equal(events[0]!.fields['Outcome'], 'success');
    assert.equal(events[0]!.fields['SourceIp'], '10.0.0.2');

    await appendFile(log(), 'word for bob from 10.0.0.3 port 3 ssh2\n');
    events = await c.collect(ctx());
    assert.deepEqual(
      events.map((e) => [e.fields['User'], e.fields['Outcome'], e.severity]),
      [['bob', 'failure', 'low']],
    );

    // logrotate: the old file moves to .1 (with a last line we had not read yet), a new one starts.
    await appendFile(log(), 'Nov 23 15:10:00 h sshd[4]: Invalid user zed from 10.0.0.4 port 4\n');
    await rename(log(), `${log()}.1`);
    await writeFile(
      log(),
      'Nov 23 15:11:00 h sudo:   alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/true\n',
    );
    const state = JSON.parse(JSON.stringify(c.exportState()));
    const restarted = new AuthLogCollector(t.root);
    restarted.importState(state);
    events = await restarted.collect(ctx());
    assert.deepEqual(
      events.map((e) => e.fields['User']),
      ['zed', 'alice'],
    );
    assert.equal(events[1]!.fields['CommandLine'], '/bin/true');
    assert.deepEqual(events[1]!.logsource, { product: 'linux', service: 'sudo' });
    assert.equal(events[1]!.fields['USER'], 'root', "sudo's own key, as SigmaHQ's sudo rules use it");

    // Notable lines that are not outcomes are forwarded as they are, for keyword rules.
    await appendFile(
      log(),
      'Nov 23 15:12:00 h sshd[6]: error: Corrupted MAC on input. [preauth]\n' +
        'Nov 23 15:12:01 h sshd[6]: Connection closed by 10.0.0.9 port 6 [preauth]\n' +
        'Nov 23 15:12:02 h pkexec[7]: alice: The value for environment variable XAUTHORITY contains suspicious content [USER=root] [TTY=/dev/pts/0]\n',
    );
    events = await restarted.collect(ctx());
    assert.deepEqual(
      events.map((e) => [e.type, e.logsource?.service, e.fields['Program']]),
      [
        ['log', 'sshd', 'sshd'],
        ['log', 'auth', 'pkexec'],
      ],
    );
    assert.equal(events[0]!.fields['Message'], 'error: Corrupted MAC on input. [preauth]');

    // copytruncate: the file shrinks, reading restarts at 0.
    await writeFile(
      log(),
      'Nov 23 15:20:00 h sshd[5]: Accepted publickey for carol from 10.0.0.5 port 5 ssh2\n',
    );
    events = await restarted.collect(ctx());
    assert.deepEqual(
      events.map((e) => e.fields['User']),
      ['carol'],
    );
  });
});

describe('JournalAuthCollector', () => {
  it('follows the journal by cursor and parses sshd and sudo messages', async () => {
    const calls: string[][] = [];
    const entry = (cursor: string, id: string, msg: string | number[], pid = '42') =>
      JSON.stringify({
        __CURSOR: cursor,
        __REALTIME_TIMESTAMP: '1763910000000000',
        _HOSTNAME: 'deb12',
        SYSLOG_IDENTIFIER: id,
        _PID: pid,
        MESSAGE: msg,
      });
    const outputs = [
      [
        entry(
          'c1',
          'sshd-session',
          'Accepted publickey for alice from 192.0.2.1 port 4000 ssh2: ED25519 SHA256:x',
        ),
        entry('c2', 'sudo', [...Buffer.from(' bob : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id')]),
        entry('c3', 'sshd', 'Connection closed by 192.0.2.1 port 4000'),
      ].join('\n'),
      '',
    ];
    const c = new JournalAuthCollector(async (args) => {
      calls.push(args);
      return outputs.shift() ?? '';
    });
    const ctx = { now: new Date(1763910000000), policy: defaultPolicy() };
    const events = await c.collect(ctx);
    assert.deepEqual(
      events.map((e) => [e.fields['Program'], e.fields['User'], e.fields['Outcome'], e.fields['Computer']]),
      [
        ['sshd-session', 'alice', 'success', 'deb12'],
        ['sudo', 'bob', 'success', 'deb12'],
      ],
    );
    assert.equal(events[1]!.fields['CommandLine'], '/bin/id');
    assert.ok(calls[0]!.includes('--since=@1763910000'));
    const restarted = new JournalAuthCollector(async (args) => {
      calls.push(args);
      return '';
    });
    restarted.importState(JSON.parse(JSON.stringify(c.exportState())));
    await restarted.collect(ctx);
    assert.ok(calls[1]!.includes('--after-cursor=c3'), calls[1]!.join(' '));
  });
});
