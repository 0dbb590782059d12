import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditdEvents, decodeAuditHex, isAuditdLine, parseAuditdLine } from './auditd-line.ts';
import { captureBytes } from './capture-fixtures.ts';

const lines = () =>
  captureBytes('auditd_enriched_sample.log')
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('parseAuditdLine', () => {
  it('reads every line of the ENRICHED capture, with the interpreted fields after GS', () => {
    const parsed = lines().map(parseAuditdLine);
    assert.ok(parsed.every((p) => p !== undefined));
    const syscall = parsed.find((p) => p!.record['type'] === 'SYSCALL' && p!.record['comm'] === 'echo')!;
    assert.equal(syscall.record['msg'], 'audit(1795420390.430:38)');
    assert.equal(syscall.record['exe'], '/usr/bin/echo');
    assert.equal(syscall.record['key'], 'exec_test');
    assert.equal(syscall.record['SYSCALL'], 'execve');
    assert.equal(syscall.record['ARCH'], 'x86_64');
    assert.equal(syscall.record['AUID'], 'unset');
    assert.equal(syscall.record['syscall'], '59');
    const execve = parsed.find((p) => p!.record['type'] === 'EXECVE' && p!.record['a1'] === 'hello-audit');
    assert.equal(execve!.record['a0'], '/bin/echo');
    const sockaddr = parsed.find((p) => p!.record['type'] === 'SOCKADDR')!;
    assert.equal(sockaddr.record['SADDR'], '{ saddr_fam=netlink nlnk-fam=16 nlnk-pid=0 }');
    const proctitle = parsed.find((p) => p!.record['type'] === 'PROCTITLE')!;
    assert.ok(proctitle.encoded.has('proctitle'));
    assert.equal(decodeAuditHex(proctitle.record['proctitle']!), 'auditd -n -c /tmp/clients/audit');
    // (null) values are absent, as in the corpus's records.
    assert.equal(parsed[1]!.record['key'], undefined);
  });

  it('reads user-space records, node prefixes and refuses other text', () => {
    const r = parseAuditdLine(
      'node=web1 type=USER_AUTH msg=audit(1700000000.123:77): pid=42 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=10.0.0.9 addr=10.0.0.9 terminal=ssh res=failed\'\x1dUID="root" AUID="unset"',
    )!;
    assert.equal(r.record['node'], 'web1');
    assert.equal(r.record['acct'], 'alice');
    assert.equal(r.record['res'], 'failed');
    assert.equal(r.record['op'], 'PAM:authentication');
    assert.equal(r.record['UID'], 'root');
    assert.equal(isAuditdLine('hello'), false);
    assert.equal(parseAuditdLine('type=SYSCALL without stamp'), undefined);
  });
});

describe('auditdEvents', () => {
  it('makes one auditd event per record and one process_creation event per execve', () => {
    const parsed = lines().map((l) => parseAuditdLine(l)!);
    const events = auditdEvents(
      parsed,
      parsed.map(() => 'vm'),
    );
    const records = events.filter((e) => e.event.logsource.category === undefined);
    assert.equal(records.length, parsed.length);
    assert.ok(records.every((e) => e.event.logsource.service === 'auditd' && e.host === 'vm'));
    const procs = events.filter((e) => e.event.logsource.category === 'process_creation');
    assert.deepEqual(
      procs.map((p) => p.event.fields['CommandLine']),
      ['sleep 0.5', '/bin/echo hello-audit', 'id', 'sleep 1.5', 'auditctl -D'],
    );
    const echo = procs[1]!.event;
    assert.equal(echo.ts, 1795420390430);
    assert.deepEqual(echo.logsource, { product: 'linux', category: 'process_creation', service: 'auditd' });
    assert.equal(echo.fields['Image'], '/usr/bin/echo');
    assert.equal(echo.fields['CurrentDirectory'], '/tmp/clients');
    assert.equal(echo.fields['User'], 'root');
    assert.equal(echo.fields['ParentProcessId'], 23330);
    assert.equal(echo.fields['ProcessId'], 23427);
    // Keys are unique, so a resend maps every event to the same id.
    assert.equal(new Set(events.map((e) => e.key)).size, events.length);
  });

  it('decodes hex-encoded arguments and turns PAM outcomes into authentication events', () => {
    const group = [
      'type=SYSCALL msg=audit(1700000000.5:9): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=1000 tty=pts0 ses=3 comm="sh" exe="/usr/bin/dash" key=(null)',
      'type=EXECVE msg=audit(1700000000.5:9): argc=3 a0="sh" a1="-c" a2=6563686F2068692074686572650A',
      'type=USER_LOGIN msg=audit(1700000001.0:10): pid=5 uid=0 auid=1000 ses=3 msg=\'op=login id=1000 exe="/usr/sbin/sshd" hostname=? addr=10.1.2.3 terminal=/dev/pts/1 res=success\'',
    ].map((l) => parseAuditdLine(l)!);
    const events = auditdEvents(group);
    const proc = events.find((e) => e.event.logsource.category === 'process_creation')!;
    assert.equal(proc.event.fields['CommandLine'], 'sh -c "echo hi there\n"');
    assert.equal(proc.event.fields['User'], '1000');
    const auth = events.find((e) => e.event.logsource.category === 'authentication')!;
    assert.equal(auth.event.fields['Outcome'], 'success');
    assert.equal(auth.event.fields['SourceIp'], '10.1.2.3');
    assert.equal(auth.event.fields['User'], '1000');
    assert.equal(auth.line, 2);
    // RAW format: the syscall name is filled in from the x86_64 table.
    assert.equal(group[0]!.record['SYSCALL'], 'execve');
    assert.equal(group[0]!.record['ARCH'], 'x86_64');
  });
});
