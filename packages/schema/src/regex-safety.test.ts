import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRegexSafety, splitInlineFlags } from './regex-safety.ts';

const unsafe = (p: string, flags?: string) => {
  const r = checkRegexSafety(p, flags);
  assert.equal(r.safe, false, `expected ${p} to be refused`);
  assert.ok(r.reason && r.reason.length > 0, 'a refusal carries a reason');
  return r.reason!;
};
const safe = (p: string, flags?: string) => {
  const r = checkRegexSafety(p, flags);
  assert.deepEqual(r, { safe: true }, `expected ${p} to be accepted: ${r.reason}`);
};

test('classic catastrophic shapes are refused', () => {
  for (const p of [
    '(a+)+$',
    '(a*)*b',
    '(a|a)*c',
    '(a|ab)*c',
    '(\\w|\\d)+$',
    '(.*a){12}',
    '(x\\w*y)+$',
    '(\\w+\\.\\w+)+$',
    '^(([a-z])+.)+[A-Z]([a-z])+$',
    '(a?)+',
    '(?:a+){20}',
    '(a{1,3})+$',
    '([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    '(?=(a+)+$)',
  ]) {
    unsafe(p);
  }
});

test('backreferences, huge counts, long and invalid patterns are refused', () => {
  assert.match(unsafe('(a)\\1'), /backreference/);
  assert.match(unsafe('(?<x>a)\\k<x>'), /backreference/);
  assert.match(unsafe('a{100000}'), /repetition count/);
  assert.match(unsafe('(a{100}){101}'), /multiply/);
  assert.match(unsafe('a'.repeat(1001)), /longer than/);
  assert.match(unsafe('(abc'), /invalid/);
  assert.match(unsafe('[z-a]'), /invalid/);
  assert.match(unsafe('abc', 'g'), /flags/);
  assert.match(unsafe('abc', 'ii'), /flags/);
  assert.match(unsafe('.*a.*b.*c.*d.*e'), /polynomial/);
  assert.match(unsafe(`${'('.repeat(60)}a${')'.repeat(60)}`), /deeper/);
});

test('everyday patterns, including SigmaHQ ones, are accepted', () => {
  for (const p of [
    'powershell',
    '^C:\\\\Windows\\\\System32\\\\.*\\.exe$',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '([^,]*,)+',
    '(\\w+\\.)+com$',
    '(ab+)+',
    '(foo|bar)+baz',
    '[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}',
    '(?i)/lib/python3\\.([5-9]|[0-9]{2})/site-packages/',
    '[^/]{100,}$',
    '.{1000,}',
    '(.){200,}',
    'https?://(?:(?:25[0-5]|(?:2[0-4]|1\\d|[1-9])?\\d)(?:\\.|\\b)){4}',
    '[a-f0-9]{4,8}\\.(?:[a-z0-9\\-]+\\.){2}[a-z0-9\\-]+',
    '(?i)(ipfs\\.io/|ipfs\\.io\\s).+\\..+@.+\\.[a-z]+',
    '[Rr][Uu][Nn][Dd][Ll][Ll]32(?:\\.[Ee][Xx][Ee])? \\S+?\\w:\\S+?:',
    'cmd.{0,5}(?:/c|/r).+powershell.+(?:\\$\\{?input\\}?|noexit).+"',
    '\\p{L}+',
    '[\\u0041-\\u005a]+\\x41',
    '(?<name>abc)(?=x)(?!y)(?<=z)',
  ]) {
    safe(p);
  }
  safe('\\p{L}+', 'u');
  safe('abc', 'ims');
});

test('case-insensitive flag widens overlap decisions', () => {
  safe('(A+a)+$');
  unsafe('(A+a)+$', 'i');
  unsafe('(a|A)+$', 'i');
  safe('(a|A)+$', '');
});

test('inline flags are split off', () => {
  assert.deepEqual(splitInlineFlags('(?i)abc'), { source: 'abc', flags: 'i' });
  assert.deepEqual(splitInlineFlags('(?is)abc', 'i'), { source: 'abc', flags: 'is' });
  assert.deepEqual(splitInlineFlags('abc', 'm'), { source: 'abc', flags: 'm' });
});

test('the refused corpus shape is refused; separator-split repetition is accepted', () => {
  assert.equal(checkRegexSafety('(?:.*\\)){1,}x').safe, false);
  assert.equal(checkRegexSafety('([^,]*,)+x').safe, true);
});
