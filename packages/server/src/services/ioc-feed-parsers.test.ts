import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type IocListDefaults, parseIocList } from './ioc-list-parser.ts';
import { IocMatcher, normalizeIoc } from './ioc-matcher.ts';
import { parseMispExport } from './ioc-misp-parser.ts';
import { parseStixBundle } from './ioc-stix-parser.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/intel/${name}`, import.meta.url), 'utf8');
const DEFAULTS: IocListDefaults = { severity: 'medium', source: null, expiresAt: null };
const NOW = Date.UTC(2026, 10, 21);

test('STIX 2.1 bundle: hashes, addresses and ranges, domains, URLs, e-mail; expiry, source, severity', () => {
  const { indicators, problems } = parseStixBundle(fixture('stix-bundle.json'), DEFAULTS, NOW);
  const got = indicators.map((i) => `${i.line} ${i.type} ${i.value}`);
  assert.deepEqual(got, [
    '2 hash aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
    '3 ip 198.51.100.23',
    '3 cidr 203.0.113.0/24',
    '4 domain badcorp.example',
    '4 url http://dl.badcorp.example:8080/payload.bin?id=7',
    '5 email billing@phish.example',
  ]);
  const hash = indicators[0]!;
  assert.equal(hash.source, 'ACME CERT');
  assert.equal(hash.severity, 'critical');
  assert.equal(hash.description, 'Emotet loader: Loader dropped by the November campaign');
  assert.equal(indicators[1]!.expiresAt, Date.parse('2099-01-01T00:00:00Z'));
  assert.equal(indicators[3]!.severity, 'high');
  assert.equal(indicators[5]!.severity, 'medium');
  assert.deepEqual(
    problems.map((p) => [p.line, p.skipped === true, p.message]),
    [
      [6, false, 'patterns joined by AND are not matched (each side alone would over-match)'],
      [7, true, 'expired (valid_until has passed)'],
      [8, true, 'pattern_type "yara" is not read'],
    ],
  );
});

test('STIX: not JSON and not a bundle are reported, not thrown', () => {
  assert.match(parseStixBundle('{', DEFAULTS).problems[0]!.message, /^not JSON/);
  assert.match(parseStixBundle('{"a":1}', DEFAULTS).problems[0]!.message, /not a STIX bundle/);
});

test('MISP export: to_ids attributes of the event and its objects; composite values; threat level; creator', () => {
  const { indicators, problems } = parseMispExport(fixture('misp-event.json'), DEFAULTS);
  assert.deepEqual(
    indicators.map((i) => `${i.line} ${i.type} ${i.value}`),
    [
      '1 ip 198.51.100.23',
      '2 domain login.phish.example',
      '3 url https://login.phish.example/o365/auth.php',
      '4 hash 44d88612fea8a8f36de82e1278abb02f',
      '5 email billing@phish.example',
      '6 ip 203.0.113.77',
      '7 hash 3395856ce81f2b7382dee72602f798b642f14140',
      '11 hash aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
    ],
  );
  for (const i of indicators) {
    assert.equal(i.severity, 'high');
    assert.equal(i.source, 'CIRCL');
  }
  assert.equal(indicators[0]!.description, 'C2');
  assert.equal(indicators[1]!.description, 'Phishing campaign targeting finance (November)');
  assert.deepEqual(
    problems.map((p) => [p.line, p.skipped === true]),
    [
      [8, true],
      [9, true],
      [10, false],
      [12, true],
    ],
  );
  assert.equal(problems[2]!.message, '"not-an-ip" is not a valid ip');
});

test('MISP: the REST search answer and an empty document', () => {
  const one = JSON.parse(fixture('misp-event.json'));
  const r = parseMispExport(JSON.stringify({ response: [one, one] }), DEFAULTS);
  assert.equal(r.indicators.length, 16);
  assert.match(parseMispExport('[]', DEFAULTS).problems[0]!.message, /not a MISP export/);
});

test('CSV and plain lists from files, with a problem per unreadable line', () => {
  const csv = parseIocList(fixture('indicators.csv'), 'csv', DEFAULTS);
  assert.deepEqual(
    csv.indicators.map((i) => `${i.line} ${i.type} ${i.severity}`),
    ['2 ip critical', '3 cidr high', '4 domain high', '5 url high', '6 hash critical', '7 email medium'],
  );
  assert.equal(csv.indicators[0]!.expiresAt, Date.parse('2099-01-01T00:00:00Z'));
  assert.deepEqual(csv.problems, [{ line: 8, message: '"999.1.1.1" is not a valid ip', value: '999.1.1.1' }]);
  const text = parseIocList(fixture('indicators.txt'), 'text', DEFAULTS);
  assert.deepEqual(
    text.indicators.map((i) => i.type),
    ['ip', 'cidr', 'domain', 'url', 'hash', 'email'],
  );
  assert.equal(text.problems.length, 1);
  assert.equal(text.problems[0]!.line, 8);
});

test('e-mail indicators match sender and recipient fields, display names included', () => {
  assert.equal(normalizeIoc('email', 'Billing@Phish.Example'), 'billing@phish.example');
  assert.equal(normalizeIoc('email', 'mailto:a@b.example'), 'a@b.example');
  assert.equal(normalizeIoc('email', 'nobody'), undefined);
  const m = new IocMatcher([
    { id: 'e', type: 'email', value: 'billing@phish.example', severity: 'high', source: null },
  ]);
  const hits = m.match({ from: 'Billing Dept <Billing@phish.example>', to: 'x@corp.example' });
  assert.deepEqual(
    hits.map((h) => [h.indicator.id, h.field, h.observed]),
    [['e', 'from', 'billing@phish.example']],
  );
  assert.deepEqual(m.match({ from: 'someone@else.example' }), []);
});
