import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureBytes, capturedRequests } from './capture-fixtures.ts';
import { parseBulkBody } from './es-bulk.ts';
import { parseJournalExport } from './journal-export.ts';
import { normalizeShipperItems, type ShippedEvent } from './shipper-events.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

function only(results: ReturnType<typeof normalizeShipperItems>): ShippedEvent[] {
  return results.flatMap((r) => {
    assert.ok(r.ok, JSON.stringify(r));
    return r.events;
  });
}

describe('normalizeShipperItems', () => {
  it('syslog-ng http() JSON array of Windows event lines', () => {
    const req = capturedRequests().find((r) => r.url === '/ingest/syslog-ng/raw')!;
    const docs = JSON.parse(req.body) as unknown[];
    const events = only(
      normalizeShipperItems(
        docs.map((value) => ({ kind: 'document', value })),
        NOW,
      ),
    );
    assert.equal(events.length, docs.length);
    const e = events[0]!;
    assert.equal(e.event.source, 'windows');
    assert.deepEqual(e.event.logsource, {
      product: 'windows',
      category: 'process_creation',
      service: 'sysmon',
    });
    assert.equal(e.event.fields['Image'], 'C:\\Windows\\System32\\rundll32.exe');
    assert.equal(e.host, 'MSEDGEWIN10');
    assert.equal(e.key, 'win:MSEDGEWIN10:Microsoft-Windows-Sysmon/Operational:10674');
  });

  it('syslog-ng format-json NDJSON: an sshd failure becomes an authentication event', () => {
    const req = capturedRequests().find((r) => r.url === '/ingest/syslog-ng/json')!;
    const docs = req.body.split('\n').map((l) => JSON.parse(l) as unknown);
    const [ssh, other] = only(
      normalizeShipperItems(
        docs.map((value) => ({ kind: 'document', value })),
        NOW,
      ),
    );
    assert.deepEqual(ssh!.event.logsource, { product: 'linux', category: 'authentication', service: 'sshd' });
    assert.equal(ssh!.event.ts, Date.UTC(2026, 10, 23, 7, 51, 13));
    assert.equal(ssh!.host, 'vm');
    assert.equal(ssh!.event.fields['Outcome'], 'failure');
    assert.equal(ssh!.event.fields['User'], 'admin');
    assert.equal(ssh!.event.fields['InvalidUser'], true);
    assert.equal(ssh!.event.fields['SourceIp'], '127.0.0.2');
    assert.equal(ssh!.event.fields['Facility'], 'auth');
    assert.deepEqual(other!.event.logsource, { product: 'linux', service: 'syslog' });
    assert.equal(other!.event.fields['Message'], 'hello structured');
    assert.deepEqual(other!.event.fields['StructuredData'], {
      timeQuality: { tzKnown: '1', isSynced: '0' },
      'origin@32473': { ip: '127.0.0.1' },
    });
  });

  it('bulk documents of syslog-ng and rsyslog: sudo keeps the keys Sigma sudo rules read', () => {
    const bulks = capturedRequests().filter((r) => r.url === '/_bulk');
    const docs = bulks.flatMap((r) => parseBulkBody(r.body).map((a) => a.doc));
    const events = only(
      normalizeShipperItems(
        docs.map((value) => ({ kind: 'document', value })),
        NOW,
      ),
    );
    assert.equal(events[0]!.event.fields['Outcome'], 'success');
    assert.equal(events[0]!.event.fields['AuthMethod'], 'publickey');
    assert.equal(events[0]!.event.fields['ProcessId'], 123);
    const sudo = events[3]!.event;
    assert.deepEqual(sudo.logsource, { product: 'linux', category: 'authentication', service: 'sudo' });
    assert.equal(sudo.fields['USER'], 'root');
    assert.equal(sudo.fields['COMMAND'], '/bin/bash');
    assert.equal(sudo.fields['User'], 'alice');
    assert.equal(sudo.ts, Date.parse('2026-11-23T07:51:59.737Z'));
  });

  it('journal entries and syslog lines of every capture', () => {
    const upload = capturedRequests().find((r) => r.url === '/upload')!;
    const entries = parseJournalExport(Buffer.from(upload.body));
    const journal = only(
      normalizeShipperItems(
        entries.map((entry) => ({ kind: 'journal', entry })),
        NOW,
      ),
    );
    assert.equal(journal[0]!.event.source, 'journal');
    assert.equal(journal[0]!.event.fields['Outcome'], 'failure');
    assert.equal(journal[1]!.event.fields['COMMAND'], '/usr/bin/id');
    assert.match(journal[0]!.key, /^journal:s=/);
    const lines = [
      captureBytes('syslog-ng_network_bsd.txt').toString(),
      ...captureBytes('rsyslog_omfwd_udp_bsd.txt')
        .toString()
        .split('\n<<DGRAM-END>>\n')
        .filter((l) => l.trim()),
    ];
    const syslog = only(
      normalizeShipperItems(
        lines.map((text) => ({ kind: 'line', text })),
        NOW,
      ),
    );
    assert.deepEqual(
      syslog.map((e) => [e.event.source, e.event.logsource.service, e.event.fields['Outcome']]),
      [
        ['syslog', 'sshd', 'success'],
        ['syslog', 'sshd', 'failure'],
        ['syslog', 'sudo', 'success'],
      ],
    );
    assert.equal(typeof syslog[0]!.event.raw, 'string');
  });

  it('auditd lines from a file or inside syslog messages join into process events', () => {
    const audit = captureBytes('auditd_enriched_sample.log')
      .toString()
      .split('\n')
      .filter((l) => l);
    const asSyslog = audit.map((l) => ({
      kind: 'line' as const,
      text: `<14>1 2026-11-23T07:00:00Z vm audispd - - - ${l}`,
    }));
    const results = normalizeShipperItems(asSyslog, NOW);
    const events = only(results);
    const procs = events.filter((e) => e.event.logsource.category === 'process_creation');
    assert.equal(procs.length, 5);
    assert.ok(procs.every((p) => p.host === 'vm'));
    const direct = only(
      normalizeShipperItems(
        audit.map((text) => ({ kind: 'line', text })),
        NOW,
      ),
    );
    assert.equal(direct.length, events.length);
    assert.equal(direct.find((e) => e.event.logsource.category === 'process_creation')!.host, undefined);
  });

  it('reports bad items without throwing, and keeps unknown documents', () => {
    const results = normalizeShipperItems(
      [
        { kind: 'line', text: 'plain words' },
        { kind: 'line', text: '' },
        { kind: 'document', value: 42 },
        { kind: 'document', value: { Event: { nope: 1 } } },
        { kind: 'document', value: { Event: {} } },
        { kind: 'document', value: { '@timestamp': '2026-01-01T00:00:00Z', host: 'h', custom: 1 } },
      ],
      NOW,
    );
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.code)),
      ['invalid_syslog', 'empty_line', 'invalid_document', 'invalid_event', 'invalid_event', 'ok'],
    );
    const kept = results[5]!;
    assert.ok(kept.ok);
    assert.equal(kept.events[0]!.event.source, 'bulk');
    assert.equal(kept.events[0]!.event.ts, Date.UTC(2026, 0, 1));
    assert.equal(kept.events[0]!.host, 'h');
  });
});
