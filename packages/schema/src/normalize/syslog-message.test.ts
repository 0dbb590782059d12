import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureBytes } from './capture-fixtures.ts';
import { parseSyslogMessage, SyslogFramer, SyslogParseError } from './syslog-message.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('SyslogFramer', () => {
  it('splits rsyslog omfwd octet-counted RFC 5424 frames (counts include the newline)', () => {
    const framer = new SyslogFramer();
    const frames = framer.push(captureBytes('rsyslog_omfwd_tcp_rfc5424_octet_counted.txt'));
    assert.equal(frames.length, 2);
    assert.match(frames[0]!, /^<133>1 .* ssh2\n$/);
    assert.match(frames[1]!, /^<85>1 .*COMMAND=\/bin\/bash\n$/);
  });

  it('reassembles frames split at any byte and mixes octet counting with newline framing', () => {
    const bytes = Buffer.concat([
      captureBytes('syslog-ng_syslog_rfc5424_octet_counted.txt'),
      captureBytes('syslog-ng_network_bsd.txt'),
    ]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const framer = new SyslogFramer();
      const frames = [
        ...framer.push(bytes.subarray(0, cut)),
        ...framer.push(bytes.subarray(cut)),
        ...framer.end(),
      ];
      assert.equal(frames.length, 2, `cut at ${cut}`);
      assert.match(frames[1]!, /^<38>Nov 23 07:00:00 vm sshd\[123\]: Accepted publickey/);
    }
  });

  it('keeps a last line without newline for end() and refuses oversized frames', () => {
    const framer = new SyslogFramer(100);
    assert.deepEqual(framer.push(Buffer.from('<13>Nov 23 07:00:00 h p: a')), []);
    assert.deepEqual(framer.end(), ['<13>Nov 23 07:00:00 h p: a']);
    assert.throws(() => new SyslogFramer(100).push(Buffer.from('500 <13>1 …')), SyslogParseError);
    assert.throws(() => new SyslogFramer(100).push(Buffer.from('12x')), SyslogParseError);
    assert.throws(
      () => new SyslogFramer(10).push(Buffer.from('<13>a very long line without end')),
      SyslogParseError,
    );
  });
});

describe('parseSyslogMessage', () => {
  it('reads syslog-ng syslog() RFC 5424 with structured data', () => {
    const [frame] = new SyslogFramer().push(captureBytes('syslog-ng_syslog_rfc5424_octet_counted.txt'));
    const r = parseSyslogMessage(frame!, NOW);
    assert.equal(r.ts, Date.UTC(2026, 10, 23, 7, 0, 0));
    assert.equal(r.host, 'vm');
    assert.equal(r.program, 'sshd');
    assert.equal(r.pid, 123);
    assert.equal(r.facility, 'auth');
    assert.equal(r.priority, 'info');
    assert.deepEqual(r.sd, { meta: { sequenceId: '1' } });
    assert.equal(r.message, 'Accepted publickey for root from 127.0.0.3 port 51000 ssh2');
  });

  it('reads rsyslog RFC 5424 with nil fields and microsecond times', () => {
    const frames = new SyslogFramer().push(captureBytes('rsyslog_omfwd_tcp_rfc5424_octet_counted.txt'));
    const a = parseSyslogMessage(frames[0]!, NOW);
    assert.equal(a.ts, Date.parse('2026-11-23T07:51:57.742Z'));
    assert.equal(a.facility, 'local0');
    assert.equal(a.priority, 'notice');
    assert.equal(a.pid, undefined);
    assert.equal(a.sd, undefined);
    assert.equal(a.message, 'Failed password for root from 127.0.0.4 port 40000 ssh2');
    const b = parseSyslogMessage(frames[1]!, NOW);
    assert.equal(b.facility, 'authpriv');
    assert.deepEqual(b.sd, { timeQuality: { tzKnown: '1', isSynced: '0' } });
    assert.equal(b.message, 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash');
  });

  it('reads RFC 3164 from syslog-ng network() and rsyslog UDP (tag without colon)', () => {
    const bsd = parseSyslogMessage(captureBytes('syslog-ng_network_bsd.txt').toString(), NOW);
    assert.deepEqual(
      { ...bsd },
      {
        ts: Date.UTC(2026, 10, 23, 7, 0, 0),
        host: 'vm',
        program: 'sshd',
        pid: 123,
        facility: 'auth',
        priority: 'info',
        message: 'Accepted publickey for root from 127.0.0.3 port 51000 ssh2',
      },
    );
    const datagrams = captureBytes('rsyslog_omfwd_udp_bsd.txt').toString().split('\n<<DGRAM-END>>\n');
    const sudo = parseSyslogMessage(datagrams[1]!, NOW);
    assert.equal(sudo.program, 'sudo');
    assert.equal(sudo.host, 'vm');
    assert.equal(sudo.message, 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash');
    assert.equal(parseSyslogMessage(datagrams[0]!, NOW).program, 'sshd');
  });

  it('puts a December line received in January into last year', () => {
    const r = parseSyslogMessage('<13>Dec 31 23:59:59 h p: x', Date.UTC(2027, 0, 1, 0, 0, 5));
    assert.equal(r.ts, Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it('handles escapes in structured data, a missing host and bad input', () => {
    const r = parseSyslogMessage('<14>1 - - app - - [x@1 a="q\\"b\\]c\\\\d"] \uFEFFhi', NOW);
    assert.deepEqual(r.sd, { 'x@1': { a: 'q"b]c\\d' } });
    assert.equal(r.message, 'hi');
    assert.equal(r.ts, undefined);
    assert.equal(parseSyslogMessage('<13>Nov 23 07:00:00 myprog[5]: hello', NOW).program, 'myprog');
    assert.throws(() => parseSyslogMessage('', NOW), SyslogParseError);
    assert.throws(() => parseSyslogMessage('hello world', NOW), SyslogParseError);
    assert.throws(() => parseSyslogMessage('<999>1 - - - - - - x', NOW), SyslogParseError);
    assert.throws(() => parseSyslogMessage('<13>1 notatime h a - - - x', NOW), SyslogParseError);
    assert.throws(() => parseSyslogMessage('<13>1 - h a - - [unterminated x', NOW), SyslogParseError);
  });
});
