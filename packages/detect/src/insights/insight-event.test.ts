import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HarrierEvent } from '@harrier/schema';
import { contributionOf } from './day-aggregate.ts';
import { insightEventOf } from './insight-event.ts';

const base = { id: 'e1', org_id: 'o1', device_id: 'd1', ts: Date.UTC(2026, 1, 15), received_at: 0 };

function event(over: Partial<HarrierEvent>): HarrierEvent {
  return { ...base, source: 'native', logsource: {}, fields: {}, ...over } as HarrierEvent;
}

describe('insightEventOf', () => {
  it('takes a sec44 event exactly as its agent sent it', () => {
    const raw = {
      ts: base.ts,
      source: 'auth',
      severity: 'WARN',
      platform: 'macos',
      title: 'macos_failed_login',
      details_json: { event_type: 'failed_login', username: 'bob' },
    };
    const e = insightEventOf(event({ source: 'sec44', raw, severity: 'medium', fields: { User: 'bob' } }));
    assert.deepEqual(e, {
      ts: base.ts,
      source: 'auth',
      severity: 'WARN',
      title: 'macos_failed_login',
      details: { event_type: 'failed_login', username: 'bob' },
    });
  });

  it('maps our agent’s process starts from a temp path by meaning', () => {
    const e = insightEventOf(
      event({
        logsource: { product: 'linux', category: 'process_creation' },
        severity: 'informational',
        title: 'Process /tmp/x',
        fields: { Image: '/tmp/x', ProcessId: 42, User: 'root' },
      }),
    );
    assert.equal(e.source, 'process');
    assert.equal(e.severity, 'INFO');
    assert.deepEqual(e.details, { exe: '/tmp/x', process_name: 'x', pid: 42, username: 'root' });
    const c = contributionOf(e);
    assert.equal(c.suspiciousExec, true);
    assert.equal(c.processKey, 'x|/tmp/x');
  });

  it('counts a listening socket as a listener, an outgoing connection not', () => {
    const listen = insightEventOf(
      event({
        logsource: { product: 'linux', category: 'network_connection' },
        fields: { DestinationIp: '0.0.0.0', DestinationPort: 22, Initiated: 'false', SocketState: 'LISTEN' },
      }),
    );
    assert.equal(contributionOf(listen).listenerKey, '0.0.0.0:22');
    const outgoing = insightEventOf(
      event({
        logsource: { product: 'windows', category: 'network_connection', service: 'sysmon' },
        fields: {
          DestinationIp: '93.184.216.34',
          DestinationPort: 443,
          Initiated: 'true',
          Image: 'C:\\x.exe',
        },
      }),
    );
    assert.equal(outgoing.source, 'network');
    assert.equal(contributionOf(outgoing).listenerKey, undefined);
  });

  it('counts failed logons from Windows (4625), sshd via shippers and our agent', () => {
    const windows = insightEventOf(
      event({
        source: 'windows',
        logsource: { product: 'windows', service: 'security' },
        severity: 'low',
        fields: { EventID: 4625, TargetUserName: 'admin' },
      }),
    );
    assert.equal(windows.source, 'auth');
    assert.equal(windows.details.event_type, 'failed_login');
    assert.equal(contributionOf(windows).failedLogin, true);
    const sshd = insightEventOf(
      event({
        source: 'syslog',
        logsource: { product: 'linux', category: 'authentication', service: 'sshd' },
        severity: 'low',
        title: 'ssh login (password) failed for root',
        fields: { Outcome: 'failure', User: 'root', SourceIp: '203.0.113.9' },
      }),
    );
    assert.equal(contributionOf(sshd).failedLogin, true);
    const success = insightEventOf(
      event({
        logsource: { product: 'linux', service: 'sshd' },
        severity: 'informational',
        title: 'ssh login (publickey) succeeded for alice',
        fields: { Outcome: 'success', User: 'alice' },
      }),
    );
    assert.equal(success.source, 'auth');
    assert.equal(contributionOf(success).failedLogin, false);
  });

  it('puts everything else in system (a process driver) and maps severities onto INFO/WARN/HIGH', () => {
    const e = insightEventOf(
      event({ logsource: { product: 'linux', service: 'cron' }, severity: 'critical' }),
    );
    assert.equal(e.source, 'system');
    assert.equal(e.severity, 'HIGH');
    assert.equal(contributionOf(e).category, 'process');
    assert.equal(insightEventOf(event({ severity: 'medium' })).severity, 'WARN');
    assert.equal(insightEventOf(event({})).severity, 'INFO');
  });
});
