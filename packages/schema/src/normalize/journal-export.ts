/**
 * systemd's journal export format (`application/vnd.fdo.journal`), as systemd-journal-upload
 * sends it: entries separated by an empty line, each field `KEY=value\n`, or for values with
 * newlines or binary data `KEY\n` + 64-bit little-endian length + bytes + `\n`.
 * See https://systemd.io/JOURNAL_EXPORT_FORMATS/.
 */
import type { LogRecord } from './syslog-message.ts';
import { SYSLOG_FACILITIES, SYSLOG_SEVERITIES } from './syslog-message.ts';

/** One journal entry: field name → value (binary values decoded as UTF-8). */
export type JournalEntry = Record<string, string>;

/** A malformed export stream; the route answers 400 with the message. */
export class JournalExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalExportError';
  }
}

const FIELD_NAME = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Parses a complete export stream into entries. Throws {@link JournalExportError} naming the
 * byte offset of the first malformed field. A final entry without its blank line is kept.
 */
export function parseJournalExport(body: Buffer, maxEntries = Number.POSITIVE_INFINITY): JournalEntry[] {
  const entries: JournalEntry[] = [];
  let entry: JournalEntry = {};
  let fields = 0;
  let pos = 0;
  const n = body.length;
  while (pos < n) {
    const nl = body.indexOf(0x0a, pos);
    const end = nl < 0 ? n : nl;
    if (end === pos) {
      // Blank line: the entry is complete.
      if (fields > 0) {
        entries.push(entry);
        if (entries.length > maxEntries) {
          throw new JournalExportError(`more than ${maxEntries} entries in one upload`);
        }
      }
      entry = {};
      fields = 0;
      pos = end + 1;
      continue;
    }
    const eq = body.indexOf(0x3d, pos);
    if (eq >= 0 && eq < end) {
      const name = body.toString('latin1', pos, eq);
      if (!FIELD_NAME.test(name)) throw new JournalExportError(`bad field name at byte ${pos}`);
      entry[name] = body.toString('utf8', eq + 1, end);
    } else {
      // Binary-safe form: NAME\n <le64 size> <data> \n
      const name = body.toString('latin1', pos, end);
      if (!FIELD_NAME.test(name)) throw new JournalExportError(`bad field name at byte ${pos}`);
      if (nl < 0 || end + 9 > n)
        throw new JournalExportError(`truncated binary field ${name} at byte ${pos}`);
      const size = body.readBigUInt64LE(end + 1);
      const start = end + 9;
      if (size > BigInt(n - start - 1)) {
        throw new JournalExportError(`binary field ${name} at byte ${pos} runs past the end`);
      }
      const stop = start + Number(size);
      if (body[stop] !== 0x0a)
        throw new JournalExportError(`binary field ${name} at byte ${pos} is not terminated`);
      entry[name] = body.toString('utf8', start, stop);
      fields++;
      pos = stop + 1;
      continue;
    }
    fields++;
    pos = end + 1;
  }
  if (fields > 0) entries.push(entry);
  return entries;
}

function int(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

/** The time of an entry: when the source says it happened, else when the journal received it. */
export function journalEntryTime(entry: JournalEntry): number | undefined {
  const us = entry['_SOURCE_REALTIME_TIMESTAMP'] ?? entry['__REALTIME_TIMESTAMP'];
  if (us === undefined || !/^\d{1,20}$/.test(us)) return undefined;
  return Math.floor(Number(us) / 1000);
}

/** A journal entry as a log line (syslog identifier, PID, facility and priority by name). */
export function journalEntryRecord(entry: JournalEntry): LogRecord {
  const facility = int(entry['SYSLOG_FACILITY']);
  const priority = int(entry['PRIORITY']);
  return {
    ts: journalEntryTime(entry),
    host: entry['_HOSTNAME'],
    program: entry['SYSLOG_IDENTIFIER'] ?? entry['_COMM'],
    pid: int(entry['SYSLOG_PID'] ?? entry['_PID']),
    facility: facility !== undefined ? SYSLOG_FACILITIES[facility] : undefined,
    priority: priority !== undefined ? SYSLOG_SEVERITIES[priority] : undefined,
    message: entry['MESSAGE'] ?? '',
  };
}

/**
 * The audit line of an entry journald read from the kernel's audit socket (`_TRANSPORT=audit`),
 * rebuilt in audit.log's form so the auditd parser applies; undefined for other entries.
 */
export function journalAuditLine(entry: JournalEntry): string | undefined {
  if (entry['_TRANSPORT'] !== 'audit') return undefined;
  const type = entry['_AUDIT_TYPE_NAME'];
  const id = entry['_AUDIT_ID'];
  const ts = entry['_SOURCE_REALTIME_TIMESTAMP'] ?? entry['__REALTIME_TIMESTAMP'];
  const message = entry['MESSAGE'];
  if (!type || !id || !ts || message === undefined) return undefined;
  const sec = ts.slice(0, -6) || '0';
  const ms = ts.slice(-6, -3).padStart(3, '0');
  // journald's MESSAGE starts with the type name (`SYSCALL arch=…`).
  const rest = message.startsWith(`${type} `) ? message.slice(type.length + 1) : message;
  return `type=${type} msg=audit(${sec}.${ms}:${id}): ${rest}`;
}
