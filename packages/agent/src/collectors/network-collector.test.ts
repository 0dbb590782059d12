import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { NetworkListenCollector } from './network-collector.ts';
import { decodeHexIp, isListener, parseNetTable } from './proc-net.ts';
import { UserResolver } from './user-resolver.ts';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (sl: number, local: string, remote: string, st: string, uid: number, inode: number) =>
  `   ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

describe('listening sockets from /proc/net', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('etc/passwd', 'root:x:0:0::/root:/bin/sh\nwww:x:33:33::/var/www:/bin/sh\n');
    await t.write('usr/sbin/sshd', 'sshd');
    await t.write('usr/sbin/nginx', 'nginx');
    await t.addProcess({
      pid: 10,
      ppid: 1,
      comm: 'sshd',
      exe: '/usr/sbin/sshd',
      argv: ['sshd: /usr/sbin/sshd -D'],
      uid: 0,
      startTicks: 1,
    });
    await t.link('proc/10/fd/3', 'socket:[1111]');
    await t.link('proc/10/fd/4', 'socket:[2222]');
    await t.write(
      'proc/net/tcp',
      HEADER +
        row(0, '00000000:0016', '00000000:0000', '0A', 0, 1111) +
        row(1, '0100007F:0277', '0100007F:A000', '01', 1000, 3333),
    );
    await t.write(
      'proc/net/tcp6',
      HEADER +
        row(
          0,
          '00000000000000000000000000000000:0016',
          '00000000000000000000000000000000:0000',
          '0A',
          0,
          2222,
        ),
    );
    await t.write('proc/net/udp', HEADER + row(0, '3500007F:0035', '00000000:0000', '07', 101, 4444));
    await t.write('proc/net/udp6', HEADER);
  });
  after(() => t.cleanup());

  it('decodes kernel hex addresses', () => {
    assert.equal(decodeHexIp('0100007F'), '127.0.0.1');
    assert.equal(decodeHexIp('00000000000000000000000000000000'), '::');
    assert.equal(decodeHexIp('00000000000000000000000001000000'), '::1');
    assert.equal(decodeHexIp('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
    assert.equal(decodeHexIp('B80D0120000000000000000001000000'), '2001:db8::1');
  });

  it('keeps LISTEN tcp and bound udp sockets only', () => {
    const tcp = parseNetTable(
      HEADER +
        row(0, '00000000:0016', '00000000:0000', '0A', 0, 1) +
        row(1, '0100007F:0277', '0100007F:A000', '01', 0, 2),
      'tcp',
    );
    assert.deepEqual(
      tcp.filter(isListener).map((s) => [s.localIp, s.localPort]),
      [['0.0.0.0', 22]],
    );
  });

  it('reports each listener once, with the owning process, then only new ones', async () => {
    const c = new NetworkListenCollector(t.root, new UserResolver(t.root));
    const ctx = { now: new Date(), policy: defaultPolicy() };
    const first = await c.collect(ctx);
    assert.deepEqual(
      first.map((e) => [
        e.fields['Protocol'],
        e.fields['DestinationIp'],
        e.fields['DestinationPort'],
        e.fields['Image'],
        e.fields['User'],
      ]),
      [
        ['tcp', '0.0.0.0', 22, '/usr/sbin/sshd', 'root'],
        ['tcp', '::', 22, '/usr/sbin/sshd', 'root'],
        ['udp', '127.0.0.53', 53, undefined, '101'],
      ],
    );
    assert.equal(first[0]!.logsource?.category, 'network_connection');
    assert.equal(first[0]!.fields['ProcessId'], 10);
    assert.equal(first[0]!.fields['Initiated'], 'false');
    assert.deepEqual(await c.collect(ctx), []);

    await t.addProcess({
      pid: 20,
      ppid: 1,
      comm: 'nginx',
      exe: '/usr/sbin/nginx',
      argv: ['nginx: master'],
      uid: 33,
      startTicks: 2,
    });
    await t.link('proc/20/fd/6', 'socket:[5555]');
    await t.write(
      'proc/net/tcp',
      HEADER +
        row(0, '00000000:0016', '00000000:0000', '0A', 0, 1111) +
        row(1, '00000000:0050', '00000000:0000', '0A', 33, 5555),
    );
    const saved = c.exportState();
    const next = await c.collect(ctx);
    assert.deepEqual(
      next.map((e) => [e.fields['DestinationPort'], e.fields['Image'], e.fields['User']]),
      [[80, '/usr/sbin/nginx', 'www']],
    );

    // A restarted collector with saved state does not repeat what it reported.
    const restarted = new NetworkListenCollector(t.root, new UserResolver(t.root));
    restarted.importState(JSON.parse(JSON.stringify(c.exportState())));
    assert.deepEqual(await restarted.collect(ctx), []);
    assert.ok(saved);
  });
});
