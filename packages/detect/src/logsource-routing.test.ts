import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectionEngine } from './engine.ts';
import { resolveLogsource, ruleAcceptsLogsource } from './logsource-routing.ts';

describe('resolveLogsource', () => {
  it('maps Windows channels and Sysmon EventIDs', () => {
    assert.deepEqual(resolveLogsource({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 }), {
      product: 'windows',
      service: 'sysmon',
      category: 'process_creation',
    });
    assert.equal(
      resolveLogsource({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 22 }).category,
      'dns_query',
    );
    assert.deepEqual(resolveLogsource({ Channel: 'Security', EventID: 4624 }), {
      product: 'windows',
      service: 'security',
    });
    assert.equal(
      resolveLogsource({ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 }).category,
      'ps_script',
    );
    assert.equal(
      resolveLogsource({ Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 1116 }).service,
      'windefend',
    );
  });
  it('recognises auditd, syslog/auth, agent events and macOS', () => {
    assert.deepEqual(resolveLogsource({ type: 'EXECVE', msg: 'audit(1.2:3)' }), {
      product: 'linux',
      service: 'auditd',
    });
    assert.deepEqual(resolveLogsource({ program: 'sshd', message: 'Failed password' }), {
      product: 'linux',
      service: 'auth',
    });
    assert.deepEqual(resolveLogsource({ program: 'kernel' }), { product: 'linux', service: 'syslog' });
    assert.deepEqual(resolveLogsource({ type: 'process_start', os: 'linux' }), {
      product: 'linux',
      category: 'process_creation',
    });
    assert.deepEqual(resolveLogsource({ type: 'file_change' }, { product: 'darwin' }), {
      product: 'macos',
      category: 'file_event',
    });
    assert.deepEqual(resolveLogsource({ type: 'network_listen', os: 'windows' }), {
      product: 'windows',
      category: 'network_connection',
    });
    assert.deepEqual(resolveLogsource({ type: 'auth', os: 'linux' }), { product: 'linux', service: 'auth' });
    assert.deepEqual(resolveLogsource({ foo: 1 }, { product: 'macos' }), { product: 'macos' });
  });
});

describe('ruleAcceptsLogsource', () => {
  const sysmon13 = { product: 'windows', service: 'sysmon', category: 'registry_set' };
  it('requires every part the rule names', () => {
    assert.ok(ruleAcceptsLogsource({ product: 'windows', category: 'registry_set' }, sysmon13));
    assert.ok(
      ruleAcceptsLogsource({ product: 'windows', category: 'registry_event' }, sysmon13),
      'category alias',
    );
    assert.ok(ruleAcceptsLogsource({ product: 'windows', service: 'sysmon' }, sysmon13));
    assert.ok(ruleAcceptsLogsource({ product: 'windows' }, sysmon13));
    assert.ok(!ruleAcceptsLogsource({ product: 'windows', service: 'security' }, sysmon13));
    assert.ok(!ruleAcceptsLogsource({ product: 'linux', category: 'registry_set' }, sysmon13));
    assert.ok(!ruleAcceptsLogsource({ product: 'windows', category: 'process_creation' }, sysmon13));
  });
  it('events reach only the rules of their logsource', () => {
    const rule = (id: string, ls: string) =>
      `title: ${id}\nid: ${id}\nlogsource:\n${ls}\ndetection:\n  s:\n    Image|endswith: 'x.exe'\n  condition: s\n`;
    const engine = DetectionEngine.fromSources([
      { text: rule('win-proc', '  product: windows\n  category: process_creation') },
      { text: rule('lin-proc', '  product: linux\n  category: process_creation') },
      { text: rule('win-sec', '  product: windows\n  service: security') },
    ]);
    const ids = (logsource: Record<string, string>) =>
      engine.match({ ts: 0, logsource, fields: { Image: 'C:\\x.exe' } }).map((m) => m.rule_id);
    assert.deepEqual(ids({ product: 'windows', category: 'process_creation', service: 'sysmon' }), [
      'win-proc',
    ]);
    assert.deepEqual(ids({ product: 'linux', category: 'process_creation' }), ['lin-proc']);
    assert.deepEqual(ids({ product: 'windows', service: 'security' }), ['win-sec']);
    assert.deepEqual(ids({}), []);
    const malformed = { ts: 0, logsource: undefined, fields: null } as unknown as Parameters<
      typeof engine.match
    >[0];
    assert.deepEqual(engine.match(malformed), []);
  });
});
