import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('syslog listeners are off by default and read their variables', () => {
  const off = loadConfig({}, '/tmp').syslog;
  assert.equal(off.tcpPort, undefined);
  assert.equal(off.udpPort, undefined);
  assert.equal(off.host, '127.0.0.1');
  assert.equal(off.defaultOrg, 'default');
  const on = loadConfig(
    {
      HARRIER_HOST: '0.0.0.0',
      HARRIER_SYSLOG_TCP_PORT: '6514',
      HARRIER_SYSLOG_UDP_PORT: '0',
      HARRIER_SYSLOG_ORG_MAP: 'web-*=acme, 10.0.0.7=ops',
      HARRIER_SYSLOG_DEFAULT_ORG: 'none',
    },
    '/tmp',
  ).syslog;
  assert.equal(on.host, '0.0.0.0');
  assert.equal(on.tcpPort, 6514);
  assert.equal(on.udpPort, 0);
  assert.equal(on.defaultOrg, null);
  assert.deepEqual(
    on.orgMap.map((r) => [r.pattern, r.orgSlug, r.match.test('WEB-12'), r.match.test('db-1')]),
    [
      ['web-*', 'acme', true, false],
      ['10.0.0.7', 'ops', false, false],
    ],
  );
  assert.ok(on.orgMap[1]!.match.test('10.0.0.7'));
  assert.ok(!on.orgMap[1]!.match.test('10.0.0.70'));
});

test('bad syslog variables stop start-up naming the variable', () => {
  const bad: Array<[string, string]> = [
    ['HARRIER_SYSLOG_TCP_PORT', '70000'],
    ['HARRIER_SYSLOG_UDP_PORT', 'five'],
    ['HARRIER_SYSLOG_ORG_MAP', 'nohost'],
    ['HARRIER_SYSLOG_ORG_MAP', 'a b=acme'],
    ['HARRIER_SYSLOG_DEFAULT_ORG', 'Not A Slug'],
    ['HARRIER_SYSLOG_HOST', 'bad host'],
    ['HARRIER_SYSLOG_MAX_MESSAGE_BYTES', '10'],
  ];
  for (const [name, value] of bad) {
    assert.throws(
      () => loadConfig({ [name]: value }, '/tmp'),
      (e: unknown) => e instanceof ConfigError && e.variable === name,
      `${name}=${value}`,
    );
  }
});
