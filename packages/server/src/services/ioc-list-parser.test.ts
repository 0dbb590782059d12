import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIocList } from './ioc-list-parser.ts';
import { IocMatcher, normalizeIoc } from './ioc-matcher.ts';

const defaults = { severity: 'high' as const, source: null, expiresAt: null };

test('plain-text lists: types are guessed, comments skipped, bad lines reported', () => {
  const { indicators, problems } = parseIocList(
    '# feed\n44D88612FEA8A8F36DE82E1278ABB02F\n2001:db8::1\n10.0.0.0/8\nEvil.Example.\nhttps://x.example/a?b=1  # trailing\n???\n',
    'text',
    defaults,
  );
  assert.deepEqual(
    indicators.map((i) => [i.type, i.value]),
    [
      ['hash', '44d88612fea8a8f36de82e1278abb02f'],
      ['ip', '2001:db8::1'],
      ['cidr', '10.0.0.0/8'],
      ['domain', 'evil.example'],
      ['url', 'https://x.example/a?b=1'],
    ],
  );
  assert.deepEqual(problems, [{ line: 7, message: 'cannot tell the type of "???"', value: '???' }]);
});

test('CSV lists: header columns, quoting, per-row severity and expiry', () => {
  const { indicators, problems } = parseIocList(
    'indicator,type,severity,source,expires_at\n"bad.example",domain,critical,"feed, A",2030-01-01T00:00:00Z\n1.2.3.4,ip,nonsense,,\n5.6.7.8,,low,,\n',
    'csv',
    defaults,
  );
  assert.equal(indicators.length, 2);
  assert.deepEqual(indicators[0], {
    line: 2,
    type: 'domain',
    value: 'bad.example',
    severity: 'critical',
    source: 'feed, A',
    description: null,
    expiresAt: Date.parse('2030-01-01T00:00:00Z'),
  });
  assert.equal(indicators[1]!.type, 'ip');
  assert.equal(indicators[1]!.severity, 'low');
  assert.deepEqual(problems, [{ line: 3, message: 'unknown severity "nonsense"', value: '1.2.3.4' }]);
});

test('the matcher finds each kind of indicator in the fields that carry it', () => {
  const spec = (id: string, type: 'hash' | 'ip' | 'cidr' | 'domain' | 'url', value: string) => ({
    id,
    type,
    value: normalizeIoc(type, value)!,
    severity: 'high',
    source: null,
  });
  const m = new IocMatcher([
    spec('h', 'hash', 'a'.repeat(64)),
    spec('c6', 'cidr', '2001:db8::/32'),
    spec('d', 'domain', 'evil.example'),
    spec('u', 'url', 'http://bad.example/x'),
  ]);
  const ids = (fields: Record<string, unknown>) => m.match(fields).map((h) => h.indicator.id);
  assert.deepEqual(ids({ Hashes: `MD5=00,SHA256=${'A'.repeat(64)}` }), ['h']);
  assert.deepEqual(ids({ DestinationIp: '2001:db8:1::5' }), ['c6']);
  assert.deepEqual(ids({ DestinationIp: '2001:db9::5' }), []);
  assert.deepEqual(ids({ QueryName: 'a.b.EVIL.example' }), ['d']);
  assert.deepEqual(ids({ QueryName: 'notevil.example' }), []);
  assert.deepEqual(ids({ url: 'http://bad.example/x' }), ['u']);
  assert.deepEqual(ids({ url: 'https://cdn.evil.example/p' }), ['d']);
});
