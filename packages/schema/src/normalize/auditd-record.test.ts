import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeAuditdRecord, parseAuditStamp } from './auditd-record.ts';

describe('normalizeAuditdRecord', () => {
  it('keeps fields and parses the audit stamp', () => {
    const e = normalizeAuditdRecord({ type: 'EXECVE', msg: 'audit(1604996384.965:93777)', a0: 'dd' });
    assert.equal(e.ts, 1604996384965);
    assert.equal(e.fields['type'], 'EXECVE');
    assert.equal(e.fields['audit_serial'], 93777);
    assert.deepEqual(e.logsource, { product: 'linux', service: 'auditd' });
    assert.equal(e.source, 'auditd');
  });
  it('tolerates a missing stamp and rejects non-objects', () => {
    assert.equal(parseAuditStamp('nope'), undefined);
    assert.equal(normalizeAuditdRecord({ type: 'CWD' }).ts, 0);
    assert.throws(() => normalizeAuditdRecord('x'), TypeError);
  });
});
