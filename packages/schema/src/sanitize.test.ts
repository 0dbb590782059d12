import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EMAIL_REDACTED,
  SANITIZE_MAX_LENGTH,
  sanitizeJson,
  sanitizeJsonObject,
  sanitizeText,
  truncateCodePoints,
} from './sanitize.ts';

/** [input, max_len, sanitize_text(input, max_len)] computed with sec44's regexes on CPython 3.11.7. */
const PYTHON_VECTORS: [string, number, string][] = [
  ['_@@%\u007f', 5, '_@@%'],
  ['.@ \u0301@_  \u0301', 5, '.@ \u0301@'],
  ['\u65e5Z\tcocomx.io.@b\u00e9.%@\u0000\ud83d\ude00.9@-\u0301\u007f.@\u0661', 10, '\u65e5Z\tcocomx.'],
  ['_x.io.\u00df9co\u0301@ ', 5, '_x.io'],
  ['b.\ud83d\ude00\u007f.b+co\ud83d\ude00.-\u65e5\u00df\u00e99b\u00dfbx.io @%9', 5, 'b.\ud83d\ude00.b'],
  [
    'x.io\u00e9Z_\u00e9.9b\u00e9@9\u65e5\ud83d\ude00_\u0000\u65e5 \u0301co@',
    20,
    'x.io\u00e9Z_\u00e9.9b\u00e9@9\u65e5\ud83d\ude00_\u65e5 \u0301',
  ],
  ['@ .9Z.\u007f_', 20, '@ .9Z._'],
  ['\t\u0661bcom@.\u007f\u0301\u0661- -com\u0301\u0301@@\u00df_\ta ', 10, '\t\u0661bcom@.\u0301\u0661'],
  ['\u0661-\u65e5@\u0000\u00df\u0661x.io..', 10, '\u0661-\u65e5@\u00df\u0661x.io'],
  ['.co\u00e9._\u0301\u65e5.@\u00009\u0000_%. @\u0301.co', 20, '.co\u00e9._\u0301\u65e5.@9_%. @\u0301.co'],
  ['@\u007f\u0000', 10, '@'],
  [
    '@.9\u00e9\u00e9\t\u00df\u007f.\u65e59_\ud83d\ude00.\t %9',
    4096,
    '@.9\u00e9\u00e9\t\u00df.\u65e59_\ud83d\ude00.\t %9',
  ],
  ['\u0661a.Z@\t\ud83d\ude00\u007f9@\u00df', 20, '\u0661a.Z@\t\ud83d\ude009@\u00df'],
  ['\u00e9+ @ \u0301.._\ud83d\ude00\ud83d\ude00-co', 10, '\u00e9+ @ \u0301.._\ud83d\ude00'],
  ['-\u00e9a@@ @9 aZ\u0661\ud83d\ude00\u65e5+', 10, '-\u00e9a@@ @9 a'],
  [
    '@@ \ud83d\ude00 \u0000\u00df\ud83d\ude00coZacom9@@\u007f\u0301@\ud83d\ude00@co\u0000a',
    20,
    '@@ \ud83d\ude00 \u00df\ud83d\ude00coZacom9@@\u0301@\ud83d\ude00',
  ],
  [
    '\u007f%a\u00e9comx.io\u00e9\ud83d\ude00\t\u0301\u0301\u00df\u00df . .\u0661co%@',
    20,
    '%a\u00e9comx.io\u00e9\ud83d\ude00\t\u0301\u0301\u00df\u00df . ',
  ],
  [
    '.@a\u0301com\u00e9\t@\u00dfcom @9_ \u0301\u007f @\u007f9\u00e9\t\u007f',
    4096,
    '.@a\u0301com\u00e9\t@\u00dfcom @9_ \u0301 @9\u00e9\t',
  ],
  [
    '9@\u0301\u65e59_\ud83d\ude00_\u00e9x.io_.\ud83d\ude00%b\u007fZ\u0661.co.-',
    4096,
    '9@\u0301\u65e59_\ud83d\ude00_\u00e9x.io_.\ud83d\ude00%bZ\u0661.co.-',
  ],
  ['\tZco.\ud83d\ude009a\u00e9.@\u0661\ud83d\ude00  .\u00df.b', 5, '\tZco.'],
  [
    '@9\t\u00df\u0661\u0000@\u007f\u007f\ud83d\ude00+-.\u007f+-com@\u00009x.io+',
    10,
    '@9\t\u00df\u0661@\ud83d\ude00+-.',
  ],
  ['.\u65e5 @Zx.io\u0000', 4096, '.\u65e5 @Zx.io'],
  ['+@@\ud83d\ude00\u0301.x.io..9co', 10, '+@@\ud83d\ude00\u0301.x.io'],
  ['@x.io\u00df\u00e9.\u0000b\t\t%co_..Zbb_%%', 4096, '@x.io\u00df\u00e9.b\t\t%co_..Zbb_%%'],
  [' \u0661com.a\u00e9 @\ud83d\ude00\u00e9@\u65e5\u65e5Z%', 5, ' \u0661com'],
  ['bob@example.com', 4096, '[email-redacted]'],
  ['mail: bob@example.com.', 4096, 'mail: [email-redacted].'],
  ['\u00e9bob@example.com', 4096, '\u00e9bob@example.com'],
  ['x.bob@example.com', 4096, '[email-redacted]'],
  ['.bob@example.com', 4096, '.[email-redacted]'],
  ['_bob@example.com', 4096, '[email-redacted]'],
  ['bob@example.com_x', 4096, 'bob@example.com_x'],
  ['bob@example.c', 4096, 'bob@example.c'],
  ['bob@example.com\u00e9', 4096, 'bob@example.com\u00e9'],
  ['a@b.cd@e.fg', 4096, '[email-redacted]@e.fg'],
  ['bob\u0000@example.com', 4096, '[email-redacted]'],
  ['\u00e9.bob@ex.com', 4096, '\u00e9[email-redacted]'],
  ['x-.bob@ex.com', 4096, '[email-redacted]'],
];

test('sanitizeText matches sec44 (CPython vectors)', () => {
  for (const [input, max, expected] of PYTHON_VECTORS) {
    assert.equal(sanitizeText(input, max), expected, JSON.stringify(input));
  }
});

test('control characters are stripped, tab/LF/CR kept', () => {
  assert.equal(sanitizeText('a\x00b\x08c\td\ne\rf\x0bg\x0ch\x1fi\x7fj\x80'), 'abc\td\ne\rfghij\x80');
});

test('e-mail redaction uses Unicode word boundaries like Python', () => {
  assert.equal(sanitizeText('user bob@example.com logged in'), `user ${EMAIL_REDACTED} logged in`);
  assert.equal(sanitizeText('bob@example.com,alice@corp.co.uk'), `${EMAIL_REDACTED},${EMAIL_REDACTED}`);
  // No boundary between é and b in Python: the address is not redacted from "b".
  assert.equal(sanitizeText('ébob@example.com'), 'ébob@example.com');
  assert.equal(sanitizeText('日本bob@example.com'), '日本bob@example.com');
  assert.equal(sanitizeText('bob@example.comé'), 'bob@example.comé');
  assert.equal(sanitizeText('not an email: bob@localhost'), 'not an email: bob@localhost');
  // Control characters go first, so they cannot hide an address.
  assert.equal(sanitizeText('bob\x00@exam\x01ple.com'), EMAIL_REDACTED);
});

test('truncation counts code points, as Python does', () => {
  assert.equal(sanitizeText('x'.repeat(5000)).length, SANITIZE_MAX_LENGTH);
  assert.equal(sanitizeText('😀'.repeat(4096)), '😀'.repeat(4096));
  assert.equal(sanitizeText('😀'.repeat(4097)), '😀'.repeat(4096));
  assert.equal(truncateCodePoints('a😀b', 2), 'a😀');
  assert.equal(truncateCodePoints('a😀b', 1), 'a');
  assert.equal(truncateCodePoints('\ud800\ud800x', 2), '\ud800\ud800');
  assert.equal(truncateCodePoints('abc', 0), '');
  // Redaction happens before truncation.
  assert.equal(sanitizeText('bob@example.com', 5), '[emai');
});

test('sanitizeJson recurses over keys and values and keeps other scalars', () => {
  const input = {
    'user\x00name': 'bob@example.com',
    nested: { list: ['ok\x07', 1, 2.5, true, null, { 'k@x.io': 'v' }] },
    n: 0,
    b: false,
    bytes: new Uint8Array([0x68, 0xff, 0x69]),
  };
  const snapshot = JSON.stringify(input.nested);
  assert.deepEqual(sanitizeJson(input), {
    username: EMAIL_REDACTED,
    nested: { list: ['ok', 1, 2.5, true, null, { [EMAIL_REDACTED]: 'v' }] },
    n: 0,
    b: false,
    bytes: 'h\ufffdi',
  });
  assert.equal(JSON.stringify(input.nested), snapshot, 'input untouched');
  assert.deepEqual(sanitizeJson({ 'a\x00': 1, a: 2 }), { a: 2 });
  assert.deepEqual(sanitizeJson({ x: 'y'.repeat(10) }, 3), { x: 'yyy' });
  assert.equal(sanitizeJson(undefined), 'undefined');
  const proto = sanitizeJson(JSON.parse('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
  assert.ok(Object.hasOwn(proto, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('sanitizeJsonObject accepts only objects (details_json)', () => {
  assert.deepEqual(sanitizeJsonObject({ a: 'b' }), { a: 'b' });
  assert.equal(sanitizeJsonObject([]), undefined);
  assert.equal(sanitizeJsonObject('x'), undefined);
  assert.equal(sanitizeJsonObject(null), undefined);
});
