/**
 * What log shippers send (syslog lines, syslog-ng `format-json` and rsyslog JSON documents,
 * Windows event JSON, auditd lines and records, journal entries) → events of the model
 * (DESIGN.md §3). One batch is normalized at once so that the records of one audit event,
 * which shippers forward line by line, can be joined into one process event.
 */
import type { NormalizedEvent } from '../event-model.ts';
import { parseInstant } from '../timestamps.ts';
import { type AuditdLine, auditdEvents, nameSyscall, parseAuditdLine } from './auditd-line.ts';
import { isNotableSshdMessage, linuxLogService, parseAuthOutcome } from './auth-message.ts';
import { type JournalEntry, journalAuditLine, journalEntryRecord } from './journal-export.ts';
import { networkSensorOf, normalizeNetworkRecord } from './network-sensor.ts';
import { type LogRecord, parseSyslogMessage, SyslogParseError } from './syslog-message.ts';
import { normalizeWindowsEvent } from './windows-event.ts';

/** One thing a shipper sent, as the transport delivered it. */
export type ShipperItem =
  | { kind: 'line'; text: string }
  | { kind: 'document'; value: unknown }
  | { kind: 'journal'; entry: JournalEntry };

/** An event ready to be stamped with org, device and id. */
export interface ShippedEvent {
  event: NormalizedEvent;
  /** The machine it is about (HOST, _HOSTNAME, Computer, audit node); maps to a device. */
  host: string | undefined;
  /** Identifies the record so a resent batch is stored once. */
  key: string;
}

/** The outcome for one item: its events, or why it was refused. */
export type ShipperItemResult =
  | { ok: true; events: ShippedEvent[] }
  | { ok: false; code: string; message: string };

/** Longest message kept; the rest of a runaway line is cut. */
export const SHIPPER_MESSAGE_MAX = 32 * 1024;
/** Longest raw record kept for display. */
const RAW_MAX = 8 * 1024;

function cap(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function pidOf(value: unknown): number | undefined {
  const s = str(value);
  return s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}

function dropUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return fields;
}

/**
 * A log line as an event. sshd, sudo and su outcomes become authentication events shaped as
 * our agent's (`Outcome`, `User`, `SourceIp`, sudo's own `USER`/`COMMAND`/`PWD`/`TTY`); every
 * other line a log event whose `Message` keyword rules read. The Sigma service is the
 * program's (`sshd`, `sudo`, …), `auth` or `syslog`.
 */
export function logRecordEvent(
  rec: LogRecord,
  source: NormalizedEvent['source'],
  now: number,
): NormalizedEvent {
  const message = cap(rec.message, SHIPPER_MESSAGE_MAX);
  const program = rec.program;
  const service = linuxLogService(program, rec.facility);
  const base = {
    Program: program,
    ProcessId: rec.pid,
    Computer: rec.host,
    Facility: rec.facility,
    Priority: rec.priority,
    MsgId: rec.msgid,
    StructuredData: rec.sd && Object.keys(rec.sd).length > 0 ? rec.sd : undefined,
    Message: message,
  };
  const outcome = program ? parseAuthOutcome(program, message) : undefined;
  if (outcome) {
    const sudo = outcome.method === 'sudo';
    const what = sudo || outcome.method === 'su' ? outcome.method : `ssh login (${outcome.method})`;
    return {
      ts: rec.ts ?? now,
      source,
      logsource: { product: 'linux', category: 'authentication', service },
      severity: outcome.outcome === 'failure' ? 'low' : 'informational',
      title: `${what} ${outcome.outcome === 'success' ? 'succeeded' : 'failed'} for ${outcome.user}`,
      fields: dropUndefined({
        Outcome: outcome.outcome,
        AuthMethod: outcome.method,
        User: outcome.user,
        TargetUser: outcome.targetUser,
        SourceIp: outcome.sourceIp,
        SourcePort: outcome.sourcePort,
        InvalidUser: outcome.invalidUser,
        Reason: outcome.reason,
        CommandLine: outcome.command,
        CurrentDirectory: outcome.cwd,
        Terminal: outcome.tty,
        USER: sudo ? outcome.targetUser : undefined,
        COMMAND: sudo ? outcome.command : undefined,
        PWD: sudo ? outcome.cwd : undefined,
        TTY: sudo ? outcome.tty : undefined,
        ...base,
      }),
    };
  }
  const notable = service === 'sshd' && isNotableSshdMessage(message);
  return {
    ts: rec.ts ?? now,
    source,
    logsource: { product: 'linux', service },
    ...(notable ? { severity: 'low' as const } : {}),
    title: `${program ?? 'log'}: ${message.slice(0, 200)}`,
    fields: dropUndefined(base),
  };
}

/** A syslog-ng `format-json`, rsyslog or ECS-style JSON log document as a log line, if it is one. */
function documentRecord(doc: Record<string, unknown>): LogRecord | undefined {
  // syslog-ng's macro names (format-json --scope rfc5424 / elasticsearch-http()).
  const upper = str(doc['MESSAGE']) ?? (typeof doc['MESSAGE'] === 'string' ? '' : undefined);
  if (upper !== undefined || str(doc['PROGRAM']) !== undefined) {
    const sd = isObject(doc['_SDATA']) ? (doc['_SDATA'] as LogRecord['sd']) : undefined;
    return {
      ts: parseInstant(doc['ISODATE'] ?? doc['@timestamp'] ?? doc['DATE'] ?? doc['R_ISODATE']),
      host: str(doc['HOST']),
      program: str(doc['PROGRAM']),
      pid: pidOf(doc['PID']),
      facility: str(doc['FACILITY']),
      priority: str(doc['PRIORITY']) ?? str(doc['LEVEL']),
      msgid: str(doc['MSGID']),
      sd,
      message: upper ?? '',
    };
  }
  // rsyslog's JSON templates (omelasticsearch) and ECS-style documents.
  const message = doc['message'] ?? doc['msg'];
  if (typeof message !== 'string') return undefined;
  const host = isObject(doc['host']) ? str(doc['host']['name'] ?? doc['host']['hostname']) : str(doc['host']);
  const process = isObject(doc['process']) ? doc['process'] : undefined;
  const log = isObject(doc['log']) && isObject(doc['log']['syslog']) ? doc['log']['syslog'] : undefined;
  return {
    ts: parseInstant(doc['@timestamp'] ?? doc['timestamp'] ?? doc['timereported'] ?? doc['time']),
    host: host ?? str(doc['hostname']),
    program: str(
      doc['program'] ?? doc['programname'] ?? doc['appname'] ?? doc['app_name'] ?? process?.['name'],
    ),
    pid: pidOf(doc['pid'] ?? doc['procid'] ?? process?.['pid']),
    facility: str(doc['facility'] ?? (isObject(log?.['facility']) ? log['facility']['name'] : undefined)),
    priority: str(
      doc['severity'] ?? doc['level'] ?? (isObject(log?.['severity']) ? log['severity']['name'] : undefined),
    ),
    message,
  };
}

/** Events of one item other than audit records, which the batch joins afterwards. */
type Parsed =
  | { ok: true; events: ShippedEvent[]; audit: AuditdLine[]; host: string | undefined }
  | { ok: false; code: string; message: string };

function fromRecord(
  rec: LogRecord,
  source: NormalizedEvent['source'],
  key: string,
  raw: string | undefined,
  now: number,
): Parsed {
  const audit = parseAuditdLine(rec.message);
  if (audit) return { ok: true, events: [], audit: [audit], host: rec.host };
  const event = logRecordEvent(rec, source, now);
  if (raw !== undefined) event.raw = cap(raw, RAW_MAX);
  return { ok: true, events: [{ event, host: rec.host, key }], audit: [], host: rec.host };
}

function parseLine(text: string, now: number): Parsed {
  const line = text.replace(/[\r\n]+$/, '');
  if (line.trim() === '') return { ok: false, code: 'empty_line', message: 'The line is empty.' };
  const audit = parseAuditdLine(line);
  if (audit) return { ok: true, events: [], audit: [audit], host: undefined };
  let rec: LogRecord;
  try {
    rec = parseSyslogMessage(line, now);
  } catch (error) {
    if (error instanceof SyslogParseError)
      return { ok: false, code: 'invalid_syslog', message: error.message };
    throw error;
  }
  return fromRecord(rec, 'syslog', `line:${line}`, line, now);
}

function parseDocument(value: unknown, now: number): Parsed {
  if (typeof value === 'string') return parseLine(value, now);
  if (!isObject(value)) {
    return {
      ok: false,
      code: 'invalid_document',
      message: 'Each document must be a JSON object or a string.',
    };
  }
  if (isObject(value['Event'])) {
    let event: NormalizedEvent;
    try {
      event = normalizeWindowsEvent(value);
    } catch (error) {
      return { ok: false, code: 'invalid_event', message: (error as Error).message };
    }
    const f = event.fields;
    if (!event.ts) event.ts = now;
    const host = str(f['Computer']);
    const key =
      f['EventRecordID'] !== undefined && host !== undefined
        ? `win:${host}:${String(f['Channel'])}:${String(f['EventRecordID'])}`
        : `doc:${JSON.stringify(value)}`;
    return { ok: true, events: [{ event, host, key }], audit: [], host };
  }
  if (
    typeof value['type'] === 'string' &&
    typeof value['msg'] === 'string' &&
    value['msg'].startsWith('audit(')
  ) {
    // An auditd record already split into fields (the corpus's JSONL, auditbeat-like shippers).
    const record: Record<string, string> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== null && v !== undefined) record[k] = typeof v === 'string' ? v : JSON.stringify(v);
    nameSyscall(record);
    return { ok: true, events: [], audit: [{ record, encoded: new Set() }], host: str(value['node']) };
  }
  if (typeof value['MESSAGE'] === 'string' && value['__REALTIME_TIMESTAMP'] !== undefined) {
    const entry: JournalEntry = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') entry[k] = v;
    return parseJournal(entry, now);
  }
  const sensor = networkSensorOf(value);
  const r = sensor === undefined ? undefined : normalizeNetworkRecord(sensor, value, now);
  // Sensor records of kinds not read (EVE stats, Zeek x509…) are kept as documents below.
  if (sensor !== undefined && r?.ok) {
    // Zeek's `host` is the HTTP Host header, not the sensor.
    const host = r.host ?? str(value['_system_name']) ?? str(value['hostname']);
    return {
      ok: true,
      events: [{ event: r.event, host, key: `${sensor}:${JSON.stringify(value)}` }],
      audit: [],
      host,
    };
  }
  const rec = documentRecord(value);
  if (rec) return fromRecord(rec, 'syslog', `doc:${JSON.stringify(value)}`, undefined, now);
  // Anything else is kept as it is, so nothing a shipper delivers is lost: hunting still finds it.
  const ts = parseInstant(value['@timestamp'] ?? value['timestamp'] ?? value['ts'] ?? value['time']);
  const host = str(value['host']) ?? str(value['hostname']) ?? str(value['Computer']);
  return {
    ok: true,
    events: [
      {
        event: { ts: ts ?? now, source: 'bulk', logsource: {}, fields: value },
        host,
        key: `doc:${JSON.stringify(value)}`,
      },
    ],
    audit: [],
    host,
  };
}

function parseJournal(entry: JournalEntry, now: number): Parsed {
  const auditLine = journalAuditLine(entry);
  const audit = auditLine !== undefined ? parseAuditdLine(auditLine) : undefined;
  if (audit) return { ok: true, events: [], audit: [audit], host: entry['_HOSTNAME'] };
  const key = `journal:${entry['__CURSOR'] ?? JSON.stringify(entry)}`;
  const rec = journalEntryRecord(entry);
  const parsed = fromRecord(rec, 'journal', key, undefined, now);
  if (parsed.ok) {
    for (const e of parsed.events) {
      // The journal's trusted fields say who really logged the line.
      const f = e.event.fields;
      if (entry['_EXE'] !== undefined) f['Image'] = entry['_EXE'];
      if (entry['_CMDLINE'] !== undefined && f['CommandLine'] === undefined)
        f['CommandLine'] = entry['_CMDLINE'];
      if (entry['_SYSTEMD_UNIT'] !== undefined) f['Unit'] = entry['_SYSTEMD_UNIT'];
      if (entry['_UID'] !== undefined) f['UserId'] = entry['_UID'];
    }
  }
  return parsed;
}

/**
 * Normalizes one batch of shipper items; the result has one entry per item, in order. Audit
 * records anywhere in the batch are grouped by serial: their process and authentication events
 * are reported on the group's first item. Never throws for bad input.
 */
export function normalizeShipperItems(
  items: readonly ShipperItem[],
  now: number = Date.now(),
): ShipperItemResult[] {
  const parsed: Parsed[] = items.map((item) => {
    if (item.kind === 'line') return parseLine(item.text, now);
    if (item.kind === 'journal') return parseJournal(item.entry, now);
    return parseDocument(item.value, now);
  });
  const auditLines: AuditdLine[] = [];
  const owner: number[] = [];
  const hosts: Array<string | undefined> = [];
  for (const [i, p] of parsed.entries()) {
    if (!p.ok) continue;
    for (const line of p.audit) {
      auditLines.push(line);
      owner.push(i);
      hosts.push(p.host);
    }
  }
  const results: ShipperItemResult[] = parsed.map((p) =>
    p.ok ? { ok: true, events: [...p.events] } : { ok: false, code: p.code, message: p.message },
  );
  if (auditLines.length > 0) {
    for (const a of auditdEvents(auditLines, hosts)) {
      const r = results[owner[a.line]!]!;
      if (r.ok) r.events.push({ event: a.event, host: a.host, key: a.key });
    }
  }
  return results;
}
