import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { detectCommand } from './detect-command.ts';

const rule = `title: Whoami
id: rule-whoami
level: medium
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image|endswith: '\\whoami.exe'
  condition: sel
`;
const badRule = 'title: Bad\nid: rule-bad\ndetection:\n  sel:\n    A|nope: 1\n  condition: sel\n';

function sysmon(image: string) {
  return {
    Event: {
      System: {
        EventID: 1,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        TimeCreated: { '#attributes': { SystemTime: '2020-01-01 00:00:00.000' } },
      },
      EventData: { Image: image },
    },
  };
}

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await detectCommand(argv, { stdout, stderr });
  return { code, out, err };
}

describe('harrier detect', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'harrier-detect-'));
    mkdirSync(join(dir, 'rules', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'rules', 'nested', 'whoami.yml'), rule);
    writeFileSync(join(dir, 'rules', 'bad.yaml'), badRule);
    writeFileSync(join(dir, 'rules', 'README.md'), 'not a rule');
    const hit = sysmon('C:\\Windows\\System32\\whoami.exe');
    const miss = sysmon('C:\\Windows\\System32\\calc.exe');
    writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(miss)}\n${JSON.stringify(hit)}\n`);
    writeFileSync(join(dir, 'b.json'), JSON.stringify([hit, miss, hit]));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(hit, null, 2));
    writeFileSync(join(dir, 'broken.json'), '{"Event": ');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per match and a summary', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.json');
    const c = join(dir, 'c.json');
    const { code, out, err } = await run(['--rules', join(dir, 'rules'), a, b, c]);
    assert.equal(code, 0, err);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines, [
      { file: a, index: 1, rule_id: 'rule-whoami', rule_title: 'Whoami', level: 'medium' },
      { file: b, index: 0, rule_id: 'rule-whoami', rule_title: 'Whoami', level: 'medium' },
      { file: b, index: 2, rule_id: 'rule-whoami', rule_title: 'Whoami', level: 'medium' },
      { file: c, index: 0, rule_id: 'rule-whoami', rule_title: 'Whoami', level: 'medium' },
    ]);
    assert.match(err, /events: 6/);
    assert.match(err, /rules loaded: 1 \(from 2 files\)/);
    assert.match(err, /rules unsupported: 1 unknown_modifier=1/);
    assert.match(err, /bad\.yaml:5:5 unknown_modifier \(rule-bad\)/);
    assert.match(err, /matches: 4/);
    assert.match(err, /events\/s: \d+/);
  });

  it('accepts several rule paths after --rules and --rules=path', async () => {
    const rulesDir = join(dir, 'rules');
    const { code, out } = await run([
      `--rules=${join(rulesDir, 'nested', 'whoami.yml')}`,
      join(dir, 'c.json'),
    ]);
    assert.equal(code, 0);
    assert.equal(out.trim().split('\n').length, 1);
    const two = await run([
      '--rules',
      join(rulesDir, 'nested'),
      join(rulesDir, 'bad.yaml'),
      join(dir, 'c.json'),
    ]);
    assert.equal(two.code, 0);
    assert.match(two.err, /from 2 files/);
  });

  it('exits 2 on unusable arguments', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['--rules', join(dir, 'rules')])).code, 2);
    assert.equal((await run([join(dir, 'a.jsonl')])).code, 2);
    assert.equal((await run(['--rules', join(dir, 'missing'), join(dir, 'a.jsonl')])).code, 2);
    assert.equal((await run(['--rules', join(dir, 'rules'), join(dir, 'missing.json')])).code, 2);
    assert.equal((await run(['--bogus', '--rules', join(dir, 'rules'), join(dir, 'a.jsonl')])).code, 2);
    const broken = await run(['--rules', join(dir, 'rules'), join(dir, 'broken.json')]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /cannot parse/);
  });
});
