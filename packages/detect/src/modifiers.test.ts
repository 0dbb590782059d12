import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules } from './rule-loader.ts';
import { matches, ruleYaml } from './test-helpers.ts';

const sel = (body: string): string => `  sel:\n${body}\n  condition: sel`;

describe('string matching', () => {
  it('is case-insensitive equality by default', () => {
    assert.ok(matches(sel('    Image: C:\\Windows\\cmd.exe'), { Image: 'c:\\windows\\CMD.EXE' }));
    assert.ok(!matches(sel('    Image: C:\\Windows\\cmd.exe'), { Image: 'c:\\windows\\cmd.exe2' }));
  });
  it('contains / startswith / endswith', () => {
    assert.ok(matches(sel("    CommandLine|contains: 'WHOAMI'"), { CommandLine: 'cmd /c whoami /all' }));
    assert.ok(matches(sel("    CommandLine|startswith: 'cmd'"), { CommandLine: 'CMD /c x' }));
    assert.ok(!matches(sel("    CommandLine|startswith: 'cmd'"), { CommandLine: 'x cmd' }));
    assert.ok(matches(sel("    Image|endswith: '\\powershell.exe'"), { Image: 'C:\\x\\PowerShell.exe' }));
    assert.ok(
      !matches(sel("    Image|endswith: '\\powershell.exe'"), { Image: 'C:\\x\\powershell.exe.bak' }),
    );
  });
  it('lists are OR, |all makes them AND', () => {
    const any = sel("    CommandLine|contains:\n      - 'aaa'\n      - 'bbb'");
    assert.ok(matches(any, { CommandLine: 'xx bbb' }));
    const all = sel("    CommandLine|contains|all:\n      - 'aaa'\n      - 'bbb'");
    assert.ok(!matches(all, { CommandLine: 'xx bbb' }));
    assert.ok(matches(all, { CommandLine: 'bbb aaa' }));
  });
  it('cased makes the comparison case-sensitive', () => {
    assert.ok(matches(sel("    CommandLine|contains|cased: 'Foo'"), { CommandLine: 'xFoo' }));
    assert.ok(!matches(sel("    CommandLine|contains|cased: 'Foo'"), { CommandLine: 'xfoo' }));
  });
  it('matches numbers by value and arrays by element', () => {
    assert.ok(matches(sel('    EventID: 4688'), { EventID: 4688 }));
    assert.ok(matches(sel('    EventID: 4688'), { EventID: '4688' }));
    assert.ok(!matches(sel('    EventID: 4688'), { EventID: 46880 }));
    assert.ok(matches(sel("    Tags|contains: 'evil'"), { Tags: ['good', 'EVIL one'] }));
    assert.ok(matches(sel('    Enabled: true'), { Enabled: true }));
  });
  it('null matches missing or null fields; empty string matches only empty', () => {
    assert.ok(matches(sel('    ParentImage: null'), {}));
    assert.ok(matches(sel('    ParentImage: null'), { ParentImage: null }));
    assert.ok(!matches(sel('    ParentImage: null'), { ParentImage: 'x' }));
    assert.ok(matches(sel("    ParentImage: ''"), { ParentImage: '' }));
    assert.ok(!matches(sel("    ParentImage: ''"), {}));
  });
  it('reads dotted field names from nested objects', () => {
    assert.ok(matches(sel("    actor.alternateId: 'bob'"), { actor: { alternateId: 'Bob' } }));
  });
});

describe('wildcards and escapes', () => {
  it('* and ? are wildcards in plain values', () => {
    assert.ok(matches(sel("    Image: '*\\cmd.exe'"), { Image: 'C:\\Windows\\cmd.exe' }));
    // `\*` escapes the star, so a backslash before a wildcard is written `\\*`.
    assert.ok(matches(sel("    Image: 'c:\\\\*\\cmd.exe'"), { Image: 'C:\\Windows\\System32\\cmd.exe' }));
    assert.ok(!matches(sel("    Image: 'c:\\*\\cmd.exe'"), { Image: 'C:\\Windows\\System32\\cmd.exe' }));
    assert.ok(matches(sel("    Image: 'cm?.exe'"), { Image: 'cmd.exe' }));
    assert.ok(!matches(sel("    Image: 'cm?.exe'"), { Image: 'cmdd.exe' }));
    assert.ok(matches(sel("    CommandLine: '*a*b*c*'"), { CommandLine: 'xxaxxbxxcxx' }));
    assert.ok(!matches(sel("    CommandLine: '*a*b*c*'"), { CommandLine: 'xxcxxbxxaxx' }));
    assert.ok(matches(sel("    CommandLine: 'a*b*c'"), { CommandLine: 'a-b-c' }));
    assert.ok(!matches(sel("    CommandLine: 'a*bc*c'"), { CommandLine: 'abc' }));
  });
  it('escaped wildcards are literal; \\\\ is one backslash; other backslashes stay', () => {
    assert.ok(matches(sel("    Name: 'a\\*b'"), { Name: 'a*b' }));
    assert.ok(!matches(sel("    Name: 'a\\*b'"), { Name: 'axxb' }));
    assert.ok(matches(sel("    Name: 'a\\?b'"), { Name: 'a?b' }));
    assert.ok(!matches(sel("    Name: 'a\\?b'"), { Name: 'axb' }));
    // \\\\\\* → \\ \\ \\* : two backslashes then a literal star (SigmaHQ's ShareName idiom)
    assert.ok(matches(sel("    ShareName: '\\\\\\\\\\*\\IPC$'"), { ShareName: '\\\\*\\IPC$' }));
    // \\\\* → backslash then wildcard
    assert.ok(matches(sel("    Path: 'C:\\\\*'"), { Path: 'C:\\anything' }));
  });
});

describe('regular expressions', () => {
  it('re is unanchored and case-sensitive; i, m, s flags', () => {
    assert.ok(matches(sel("    CommandLine|re: 'whoami\\s+/all'"), { CommandLine: 'x whoami  /all y' }));
    assert.ok(!matches(sel("    CommandLine|re: 'WHOAMI'"), { CommandLine: 'whoami' }));
    assert.ok(matches(sel("    CommandLine|re|i: 'WHOAMI'"), { CommandLine: 'whoami' }));
    assert.ok(matches(sel("    CommandLine|re: '(?i)WHOAMI'"), { CommandLine: 'whoami' }));
    assert.ok(matches(sel("    CommandLine|re|m: '^b$'"), { CommandLine: 'a\nb\nc' }));
    assert.ok(!matches(sel("    CommandLine|re: '^b$'"), { CommandLine: 'a\nb\nc' }));
    assert.ok(matches(sel("    CommandLine|re|s: 'a.b'"), { CommandLine: 'a\nb' }));
    assert.ok(!matches(sel("    CommandLine|re: 'a.b'"), { CommandLine: 'a\nb' }));
  });
});

describe('encoding modifiers', () => {
  it('base64 encodes the value', () => {
    const b64 = Buffer.from('Invoke-Mimikatz').toString('base64');
    assert.ok(
      matches(sel("    CommandLine|base64|contains: 'Invoke-Mimikatz'"), { CommandLine: `x ${b64} y` }),
    );
  });
  it('base64offset finds the value at any byte offset', () => {
    const rule = sel("    CommandLine|base64offset|contains: 'http://'");
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const enc = Buffer.from(`${prefix}http://evil`).toString('base64');
      assert.ok(matches(rule, { CommandLine: `powershell -enc ${enc}` }), `offset ${prefix.length}`);
    }
    assert.ok(!matches(rule, { CommandLine: Buffer.from('https://x').toString('base64') }));
  });
  it('wide / utf16le / utf16be / utf16 encode before base64', () => {
    const le = Buffer.from('whoami', 'utf16le');
    assert.ok(
      matches(sel("    CommandLine|wide|base64offset|contains: 'whoami'"), {
        CommandLine: le.toString('base64'),
      }),
    );
    assert.ok(
      matches(sel("    CommandLine|utf16le|base64|contains: 'whoami'"), {
        CommandLine: le.toString('base64'),
      }),
    );
    const be = Buffer.from(le).swap16();
    assert.ok(
      matches(sel("    CommandLine|utf16be|base64|contains: 'whoami'"), {
        CommandLine: be.toString('base64'),
      }),
    );
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
    assert.ok(
      matches(sel("    CommandLine|utf16|base64|contains: 'whoami'"), {
        CommandLine: bom.toString('base64'),
      }),
    );
  });
  it('windash expands dash variants', () => {
    const rule = sel("    CommandLine|windash|contains: ' -enc '");
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      assert.ok(matches(rule, { CommandLine: `powershell ${d}enc abc` }), `dash ${d}`);
    }
    assert.ok(!matches(rule, { CommandLine: 'powershell +enc abc' }));
  });
});

describe('type modifiers', () => {
  it('cidr for IPv4 and IPv6', () => {
    const v4 = sel("    DestinationIp|cidr: '10.0.0.0/8'");
    assert.ok(matches(v4, { DestinationIp: '10.1.2.3' }));
    assert.ok(!matches(v4, { DestinationIp: '11.1.2.3' }));
    assert.ok(matches(v4, { DestinationIp: '::ffff:10.1.2.3' }));
    const v6 = sel("    DestinationIp|cidr:\n      - 'fe80::/10'\n      - '2001:db8::/32'");
    assert.ok(matches(v6, { DestinationIp: 'FE80::1%eth0' }));
    assert.ok(matches(v6, { DestinationIp: '2001:db8:1::5' }));
    assert.ok(!matches(v6, { DestinationIp: '2001:db9::5' }));
    assert.ok(!matches(v6, { DestinationIp: 'not-an-ip' }));
  });
  it('exists', () => {
    assert.ok(matches(sel('    Foo|exists: true'), { Foo: '' }));
    assert.ok(!matches(sel('    Foo|exists: true'), {}));
    assert.ok(matches(sel('    Foo|exists: false'), {}));
  });
  it('fieldref compares two fields', () => {
    assert.ok(matches(sel('    ParentImage|fieldref: Image'), { Image: 'A.exe', ParentImage: 'a.exe' }));
    assert.ok(!matches(sel('    ParentImage|fieldref: Image'), { Image: 'A.exe', ParentImage: 'b.exe' }));
    assert.ok(
      matches(sel('    CommandLine|fieldref|contains: Image'), {
        Image: 'a.exe',
        CommandLine: 'run a.exe now',
      }),
    );
    assert.ok(
      matches(sel('    CommandLine|fieldref|endswith: Image'), { Image: 'a.exe', CommandLine: 'run a.exe' }),
    );
  });
  it('gt / gte / lt / lte', () => {
    assert.ok(matches(sel('    Count|gt: 5'), { Count: 6 }));
    assert.ok(!matches(sel('    Count|gt: 5'), { Count: 5 }));
    assert.ok(matches(sel('    Count|gte: 5'), { Count: '5' }));
    assert.ok(matches(sel('    Count|lt: 5'), { Count: 4 }));
    assert.ok(matches(sel('    Count|lte: 5'), { Count: 5 }));
    assert.ok(!matches(sel('    Count|lte: 5'), { Count: 'many' }));
  });
  it('expand substitutes configured placeholder values', () => {
    const rule = sel("    Computer|expand: '%dcs%'");
    const opts = { placeholders: { dcs: ['DC1', 'DC2'] } };
    assert.ok(matches(rule, { Computer: 'dc2' }, opts));
    assert.ok(!matches(rule, { Computer: 'ws1' }, opts));
    const loaded = loadRules([{ text: ruleYaml(rule) }]);
    assert.equal(loaded.errors[0]?.code, 'unresolved_placeholder');
  });
});

describe('keywords', () => {
  it('keyword lists search every field value', () => {
    const rule = "  keywords:\n    - 'mimikatz'\n    - 'sekurlsa'\n  condition: keywords";
    assert.ok(matches(rule, { CommandLine: 'run Mimikatz.exe' }));
    assert.ok(matches(rule, { Other: { nested: 'x sekurlsa y' } }));
    assert.ok(!matches(rule, { CommandLine: 'calc' }));
  });
  it('keywords with inner wildcards match inside one value; |cased keywords keep case', () => {
    const rule = "  keywords:\n    - 'net*user'\n  condition: keywords";
    assert.ok(matches(rule, { CommandLine: 'NET.exe user /add' }));
    assert.ok(!matches(rule, { A: 'net', B: 'user' }), 'a keyword does not span two values');
    const cased = "  kw:\n    '|cased':\n      - 'Secret'\n  condition: kw";
    assert.ok(matches(cased, { A: 'x Secret y' }));
    assert.ok(!matches(cased, { A: 'x secret y' }));
  });
  it('keyword maps with |all need every keyword', () => {
    const rule = "  kw:\n    '|all':\n      - 'dd'\n      - 'if='\n  condition: kw";
    assert.ok(matches(rule, { a0: 'dd', a1: 'if=/dev/zero' }));
    assert.ok(!matches(rule, { a0: 'dd' }));
  });
});
