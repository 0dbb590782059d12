import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochToMillis, formatInstant, parseInstant } from './timestamps.ts';

const ISO = (s: string): number => Date.parse(s);

test('RFC 3339 with Z and numeric offsets', () => {
  assert.equal(parseInstant('2024-03-05T10:20:30Z'), ISO('2024-03-05T10:20:30.000Z'));
  assert.equal(parseInstant('2024-03-05t10:20:30z'), ISO('2024-03-05T10:20:30.000Z'));
  assert.equal(parseInstant('2024-03-05T10:20:30+02:00'), ISO('2024-03-05T08:20:30.000Z'));
  assert.equal(parseInstant('2024-03-05T10:20:30+0200'), ISO('2024-03-05T08:20:30.000Z'));
  assert.equal(parseInstant('2024-03-05T10:20:30+02'), ISO('2024-03-05T08:20:30.000Z'));
  assert.equal(parseInstant('2024-03-05T01:20:30-05:30'), ISO('2024-03-05T06:50:30.000Z'));
  assert.equal(parseInstant('2024-03-05T00:30:00+01:00'), ISO('2024-03-04T23:30:00.000Z'));
  assert.equal(parseInstant('2024-03-05T10:20:30-00:00'), ISO('2024-03-05T10:20:30.000Z'));
});

test('fractional seconds up to nanoseconds are truncated to milliseconds', () => {
  assert.equal(parseInstant('2025-11-02T14:03:07.123456789+01:00'), ISO('2025-11-02T13:03:07.123Z'));
  assert.equal(parseInstant('2025-11-02T14:03:07.9999999Z'), ISO('2025-11-02T14:03:07.999Z'));
  assert.equal(parseInstant('2025-11-02T14:03:07.5Z'), ISO('2025-11-02T14:03:07.500Z'));
  assert.equal(parseInstant('2025-11-02T14:03:07.05Z'), ISO('2025-11-02T14:03:07.050Z'));
  assert.equal(parseInstant('2025-11-02T14:03:07,25Z'), ISO('2025-11-02T14:03:07.250Z'));
  assert.equal(parseInstant('2025-11-02T14:03:07.Z'), undefined);
});

test('space separator, naive times (UTC), minutes only, date only, whitespace', () => {
  assert.equal(parseInstant('2024-03-05 10:20:30'), ISO('2024-03-05T10:20:30Z'));
  assert.equal(parseInstant('2024-03-05 10:20:30.250'), ISO('2024-03-05T10:20:30.250Z'));
  assert.equal(parseInstant('2024-03-05T10:20'), ISO('2024-03-05T10:20:00Z'));
  assert.equal(parseInstant('2024-03-05T10:20+01:00'), ISO('2024-03-05T09:20:00Z'));
  assert.equal(parseInstant('2024-03-05'), ISO('2024-03-05T00:00:00Z'));
  assert.equal(parseInstant('  2024-03-05T10:20:30Z\n'), ISO('2024-03-05T10:20:30Z'));
  assert.equal(parseInstant('2024-03-05 10:20:30 +0000'), ISO('2024-03-05T10:20:30Z'));
  assert.equal(parseInstant('2024-03-05 10:20:30 -0100'), ISO('2024-03-05T11:20:30Z'));
  assert.equal(parseInstant('2024-03-05 10:20:30 UTC'), ISO('2024-03-05T10:20:30Z'));
  assert.equal(parseInstant('2024-03-05 10:20:30UTC'), ISO('2024-03-05T10:20:30Z'));
});

test('calendar validation: leap years, impossible dates and times', () => {
  assert.equal(parseInstant('2024-02-29T00:00:00Z'), ISO('2024-02-29T00:00:00Z'));
  assert.equal(parseInstant('2000-02-29T00:00:00Z'), ISO('2000-02-29T00:00:00Z'));
  assert.equal(parseInstant('2023-02-29T00:00:00Z'), undefined);
  assert.equal(parseInstant('1900-02-29T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-02-30T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-04-31T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-13-01T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-00-01T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-01-00T00:00:00Z'), undefined);
  assert.equal(parseInstant('2024-01-01T24:00:00Z'), undefined);
  assert.equal(parseInstant('2024-01-01T23:60:00Z'), undefined);
  assert.equal(parseInstant('2024-01-01T23:59:61Z'), undefined);
  assert.equal(parseInstant('2016-12-31T23:59:60Z'), ISO('2017-01-01T00:00:00Z'));
  assert.equal(parseInstant('2024-01-01T10:00:00+24:00'), undefined);
  assert.equal(parseInstant('2024-01-01T10:00:00+01:60'), undefined);
});

test('rejects garbage and near-misses', () => {
  for (const bad of [
    'not-a-date',
    '',
    '   ',
    '2024',
    '2024-1-5',
    '2024/01/05 10:00:00',
    '2024-01-05T10',
    '2024-01-05T10:00:00ZZ',
    '2024-01-05T10:00:00+01:00:00',
    '2024-01-05T10:00:00 PST',
    '2024-01-05X10:00:00',
    '2024-01-05T10:00:00.123abc',
    '05/01/2024',
    'Tue, 05 Jan 2024 10:00:00 GMT',
    '１２３４-01-01',
    '1e9',
    '12345678',
  ]) {
    assert.equal(parseInstant(bad), undefined, bad);
  }
  for (const bad of [null, undefined, true, {}, [], Number.NaN, Number.POSITIVE_INFINITY, new Date('x')]) {
    assert.equal(parseInstant(bad), undefined, String(bad));
  }
});

test('epoch numbers: seconds, milliseconds, micro- and nanoseconds', () => {
  const ms = ISO('2025-11-02T14:03:07.123Z');
  assert.equal(parseInstant(1762092187), ISO('2025-11-02T14:03:07Z'));
  assert.equal(parseInstant(1762092187.123), ms);
  assert.equal(parseInstant(ms), ms);
  assert.equal(parseInstant(ms * 1000 + 456), ms);
  assert.equal(parseInstant(1762092187123456789n), ms);
  assert.equal(parseInstant(0), 0);
  assert.equal(parseInstant(-86400), -86_400_000);
  assert.equal(parseInstant('1762092187'), ISO('2025-11-02T14:03:07Z'));
  assert.equal(parseInstant('1762092187.123'), ms);
  assert.equal(parseInstant('1762092187123'), ms);
  assert.equal(parseInstant(new Date(ms)), ms);
  assert.equal(epochToMillis(Number.NaN), undefined);
  assert.equal(epochToMillis(1e300), undefined);
});

test('years outside 1970..2099 and old dates', () => {
  assert.equal(parseInstant('0001-01-01T00:00:00Z'), new Date('0001-01-01T00:00:00Z').getTime());
  assert.equal(parseInstant('1969-12-31T23:59:59.999Z'), -1);
  assert.equal(parseInstant('9999-12-31T23:59:59.999Z'), ISO('9999-12-31T23:59:59.999Z'));
});

test('agrees with Date.parse on many generated RFC 3339 strings', () => {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pad = (v: number, w = 2): string => String(v).padStart(w, '0');
  for (let k = 0; k < 5000; k++) {
    const year = 1900 + rnd(300);
    const month = 1 + rnd(12);
    const day = 1 + rnd(28);
    const oh = rnd(15);
    const om = rnd(4) * 15;
    const sign = rnd(2) ? '+' : '-';
    const frac = pad(rnd(1000), 3);
    const base = `${year}-${pad(month)}-${pad(day)}T${pad(rnd(24))}:${pad(rnd(60))}:${pad(rnd(60))}.${frac}`;
    const s = `${base}${sign}${pad(oh)}:${pad(om)}`;
    assert.equal(parseInstant(s), Date.parse(s), s);
    assert.equal(parseInstant(`${base}Z`), Date.parse(`${base}Z`), base);
  }
});

test('formatInstant is RFC 3339 UTC', () => {
  assert.equal(formatInstant(0), '1970-01-01T00:00:00.000Z');
  assert.equal(parseInstant(formatInstant(1762092187123)), 1762092187123);
});
