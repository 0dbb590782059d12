import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capturedRequests } from './capture-fixtures.ts';
import {
  JournalExportError,
  journalAuditLine,
  journalEntryRecord,
  parseJournalExport,
} from './journal-export.ts';

describe('parseJournalExport', () => {
  it('reads the body systemd-journal-upload sent', () => {
    const upload = capturedRequests().find((r) => r.url === '/upload')!;
    const entries = parseJournalExport(Buffer.from(upload.body, 'utf8'));
    assert.equal(entries.length, 2);
    assert.equal(
      entries[0]!['MESSAGE'],
      'Failed password for invalid user test from 127.0.0.5 port 1234 ssh2',
    );
    assert.match(entries[1]!['__CURSOR']!, /;i=2;/);
    const rec = journalEntryRecord(entries[0]!);
    assert.deepEqual(
      { ...rec },
      {
        ts: 1700000000000,
        host: 'host1',
        program: 'sshd',
        pid: 4242,
        facility: undefined,
        priority: 'notice',
        message: 'Failed password for invalid user test from 127.0.0.5 port 1234 ssh2',
      },
    );
  });

  it('reads binary fields and a last entry without its blank line', () => {
    const value = Buffer.from('line one\nline two', 'utf8');
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(value.length));
    const body = Buffer.concat([
      Buffer.from('__REALTIME_TIMESTAMP=1\nMESSAGE\n'),
      size,
      value,
      Buffer.from('\nPRIORITY=3\n\n__REALTIME_TIMESTAMP=2\nMESSAGE=x'),
    ]);
    const entries = parseJournalExport(body);
    assert.equal(entries.length, 2);
    assert.equal(entries[0]!['MESSAGE'], 'line one\nline two');
    assert.equal(entries[0]!['PRIORITY'], '3');
    assert.equal(entries[1]!['MESSAGE'], 'x');
  });

  it('refuses malformed streams', () => {
    assert.throws(() => parseJournalExport(Buffer.from('bad name=1\n\n')), JournalExportError);
    assert.throws(() => parseJournalExport(Buffer.from('MESSAGE\n\x05\x00')), JournalExportError);
    const huge = Buffer.concat([
      Buffer.from('MESSAGE\n'),
      Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from('x\n'),
    ]);
    assert.throws(() => parseJournalExport(huge), JournalExportError);
    assert.throws(() => parseJournalExport(Buffer.from('A=1\n\nA=2\n\nA=3\n\n'), 2), JournalExportError);
  });

  it('rebuilds audit lines of the audit transport', () => {
    const line = journalAuditLine({
      _TRANSPORT: 'audit',
      _AUDIT_TYPE_NAME: 'EXECVE',
      _AUDIT_ID: '77',
      _SOURCE_REALTIME_TIMESTAMP: '1700000000123456',
      MESSAGE: 'EXECVE argc=1 a0="id"',
    });
    assert.equal(line, 'type=EXECVE msg=audit(1700000000.123:77): argc=1 a0="id"');
    assert.equal(journalAuditLine({ MESSAGE: 'x' }), undefined);
  });
});
