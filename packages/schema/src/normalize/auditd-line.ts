/**
 * auditd's text log (`/var/log/audit/audit.log`, and audit lines forwarded over syslog or read
 * from a file by syslog-ng) → records and events.
 *
 * A line is `[node=N ]type=T msg=audit(SECONDS.MS:SERIAL): key=value …`. Kernel records quote
 * plain strings and hex-encode untrusted ones (unquoted); user-space records carry their own
 * fields inside `msg='…'`. In the ENRICHED log format auditd appends, after a 0x1D (GS) byte,
 * the interpreted values in upper case (`ARCH=x86_64 SYSCALL=execve AUID="unset" UID="root"`).
 *
 * Each record becomes one event under Sigma's `product: linux, service: auditd` with the
 * fields as SigmaHQ's auditd rules name them (quotes stripped, hex kept, the enriched
 * `SYSCALL` name included). The records of one execve (SYSCALL, EXECVE, CWD, PATH, PROCTITLE
 * sharing a serial) also become one `process_creation` event, and PAM's USER_AUTH/USER_LOGIN
 * records an authentication event, so process and authentication rules and hunts apply too.
 */
import type { NormalizedEvent } from '../event-model.ts';
import { normalizeAuditdRecord, parseAuditStamp } from './auditd-record.ts';

/** One parsed audit line. */
export interface AuditdLine {
  /** Fields as the corpus's auditd JSON has them: `type`, `msg` (`audit(…)`), the rest. */
  record: Record<string, string>;
  /** Keys whose values were written hex-encoded (unquoted hex in a kernel record). */
  encoded: Set<string>;
}

/**
 * x86_64 syscall numbers → names for the calls SigmaHQ's auditd rules and typical audit rules
 * name (the ENRICHED format writes the name itself).
 */
const X86_64_SYSCALLS: Readonly<Record<string, string>> = {
  '0': 'read',
  '1': 'write',
  '2': 'open',
  '41': 'socket',
  '42': 'connect',
  '43': 'accept',
  '44': 'sendto',
  '49': 'bind',
  '50': 'listen',
  '56': 'clone',
  '57': 'fork',
  '58': 'vfork',
  '59': 'execve',
  '62': 'kill',
  '82': 'rename',
  '84': 'rmdir',
  '87': 'unlink',
  '88': 'symlink',
  '90': 'chmod',
  '92': 'chown',
  '99': 'sysinfo',
  '101': 'ptrace',
  '105': 'setuid',
  '106': 'setgid',
  '133': 'mknod',
  '135': 'personality',
  '157': 'prctl',
  '165': 'mount',
  '166': 'umount2',
  '175': 'init_module',
  '176': 'delete_module',
  '257': 'openat',
  '263': 'unlinkat',
  '268': 'fchmodat',
  '259': 'mknodat',
  '288': 'accept4',
  '313': 'finit_module',
  '319': 'memfd_create',
  '322': 'execveat',
  '321': 'bpf',
};

const LINE_HEAD = /^(?:node=(\S+) )?type=(\S+) msg=(audit\(\d+(?:\.\d+)?:\d+\)):?\s?/;
const GS = '\x1d';

/** True when the text looks like an audit record (so syslog and journal lines can be routed here). */
export function isAuditdLine(text: string): boolean {
  return LINE_HEAD.test(text);
}

/** Splits `key=value key="quoted" key='nested …' key={ … }` pairs. */
function splitPairs(
  text: string,
  into: Record<string, string>,
  encoded: Set<string> | undefined,
  nested: (key: string, value: string) => void,
): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq);
    if (key.length === 0 || key.includes(' ')) {
      // A stray word without `=`: skip it.
      const sp = text.indexOf(' ', i);
      i = sp < 0 ? n : sp + 1;
      continue;
    }
    i = eq + 1;
    const q = text[i];
    let value: string;
    if (q === '"' || q === "'") {
      const end = text.indexOf(q, i + 1);
      value = text.slice(i + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
      if (q === "'") {
        nested(key, value);
        continue;
      }
    } else if (q === '{') {
      const end = text.indexOf('}', i);
      value = text.slice(i, end < 0 ? n : end + 1).trim();
      i = end < 0 ? n : end + 1;
    } else {
      const sp = text.indexOf(' ', i);
      value = text.slice(i, sp < 0 ? n : sp);
      i = sp < 0 ? n : sp + 1;
      if (encoded && value.length >= 2 && value.length % 2 === 0 && /^[0-9A-F]+$/.test(value)) {
        encoded.add(key);
      }
    }
    // The first value wins: user-space records repeat keys inside msg='…' only rarely.
    if (!Object.hasOwn(into, key)) into[key] = value;
  }
}

/**
 * Parses one audit line (RAW or ENRICHED format, with or without a `node=` prefix). Returns
 * undefined when the line is not an audit record.
 */
export function parseAuditdLine(input: string): AuditdLine | undefined {
  const line = input.replace(/[\r\n]+$/, '');
  const head = LINE_HEAD.exec(line);
  if (!head) return undefined;
  const record: Record<string, string> = { type: head[2]!, msg: head[3]! };
  if (head[1] !== undefined) record['node'] = head[1];
  const encoded = new Set<string>();
  const body = line.slice(head[0].length);
  const gs = body.indexOf(GS);
  const raw = gs < 0 ? body : body.slice(0, gs);
  splitPairs(raw, record, encoded, (key, value) => {
    // User-space records (USER_AUTH, USER_CMD, …) nest their fields in msg='…'.
    if (key === 'msg') splitPairs(value, record, undefined, () => undefined);
    else record[key] = value;
  });
  if (gs >= 0) {
    // The interpreted fields; lower-case raw keys never collide with these upper-case names.
    splitPairs(body.slice(gs + 1), record, undefined, () => undefined);
  }
  for (const key of Object.keys(record)) if (record[key] === '(null)') delete record[key];
  nameSyscall(record);
  return { record, encoded };
}

/**
 * Adds the syscall's name (`SYSCALL`) to an x86_64 SYSCALL record that has only its number, as
 * the RAW log format writes it: SigmaHQ's auditd rules select on the name (`SYSCALL: mknod`).
 */
export function nameSyscall(record: Record<string, string>): void {
  if (record['SYSCALL'] !== undefined || record['arch'] !== 'c000003e' || record['syscall'] === undefined)
    return;
  const name = X86_64_SYSCALLS[record['syscall']];
  if (name === undefined) return;
  record['SYSCALL'] = name;
  record['ARCH'] ??= 'x86_64';
}

/** Decodes auditd's hex encoding of an untrusted string (NULs become spaces, as in PROCTITLE). */
export function decodeAuditHex(value: string): string {
  return Buffer.from(value, 'hex').toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
}

function text(line: AuditdLine, key: string): string | undefined {
  const v = line.record[key];
  if (v === undefined) return undefined;
  return line.encoded.has(key) ? decodeAuditHex(v) : v;
}

function int(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

/** An event derived from a group of records, with the key that makes a resend idempotent. */
export interface AuditdEvent {
  event: NormalizedEvent;
  key: string;
  host: string | undefined;
  /** Index of the input line it came from (a group's events: its first line). */
  line: number;
}

/** Quotes a command-line argument the way a shell user would read it back. */
function quoteArg(arg: string): string {
  return arg === '' || /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

function processEvent(group: AuditdLine[], ts: number): NormalizedEvent | undefined {
  const execve = group.find((l) => l.record['type'] === 'EXECVE');
  if (!execve) return undefined;
  const syscall = group.find((l) => l.record['type'] === 'SYSCALL');
  const cwd = group.find((l) => l.record['type'] === 'CWD');
  const argc = int(execve.record['argc']) ?? 0;
  const args: string[] = [];
  for (let i = 0; i < Math.min(argc, 4096); i++) {
    const a = text(execve, `a${i}`);
    if (a === undefined) break;
    args.push(a);
  }
  const s = syscall?.record ?? {};
  const image = (syscall && text(syscall, 'exe')) ?? args[0];
  const user = s['UID'] ?? s['uid'];
  const fields: Record<string, unknown> = {
    Image: image,
    CommandLine: args.map(quoteArg).join(' '),
    CurrentDirectory: cwd ? text(cwd, 'cwd') : undefined,
    ProcessId: int(s['pid']),
    ParentProcessId: int(s['ppid']),
    User: user,
    LogonId: s['ses'],
    // auid is the login user, kept across su/sudo; "unset" (4294967295) for daemons.
    LoginUser: s['AUID'] ?? s['auid'],
    EffectiveUser: s['EUID'] ?? s['euid'],
    Terminal: s['tty'],
    ProcessName: syscall ? text(syscall, 'comm') : undefined,
    AuditKey: s['key'],
    Computer: execve.record['node'],
  };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return {
    ts,
    source: 'auditd',
    logsource: { product: 'linux', category: 'process_creation', service: 'auditd' },
    title: `process started: ${String(fields['CommandLine']).slice(0, 200)}`,
    fields,
  };
}

const AUTH_TYPES = new Set(['USER_AUTH', 'USER_LOGIN', 'USER_ERR']);

function authEvent(line: AuditdLine, ts: number): NormalizedEvent | undefined {
  const r = line.record;
  if (!AUTH_TYPES.has(r['type']!) || (r['res'] !== 'success' && r['res'] !== 'failed')) return undefined;
  const failed = r['res'] === 'failed';
  const exe = r['exe'];
  const program = exe?.split('/').pop();
  const user = r['acct'] ?? r['ID'] ?? r['id'] ?? r['AUID'];
  const addr = r['addr'] !== undefined && r['addr'] !== '?' ? r['addr'] : undefined;
  const fields: Record<string, unknown> = {
    Outcome: failed ? 'failure' : 'success',
    AuthMethod: r['op'],
    User: user,
    SourceIp: addr,
    Image: exe,
    Program: program,
    Terminal: r['terminal'],
    ProcessId: int(r['pid']),
    RecordType: r['type'],
    Computer: r['node'],
  };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return {
    ts,
    source: 'auditd',
    logsource: { product: 'linux', category: 'authentication', service: 'auditd' },
    severity: failed ? 'low' : 'informational',
    title: `${r['op'] ?? r['type']} ${failed ? 'failed' : 'succeeded'} for ${user ?? '?'}`,
    fields,
  };
}

/**
 * Turns the audit records of one batch into events: one per record (auditd rules), plus one
 * process event per execve and one authentication event per PAM outcome. Records are grouped
 * by serial within the batch, so a batch should hold whole groups (auditd writes a group's
 * records together, and shippers forward them in order).
 */
export function auditdEvents(
  lines: readonly AuditdLine[],
  /** The sender's host of each line, for records without a `node=`. */
  hosts: ReadonlyArray<string | undefined> = [],
): AuditdEvent[] {
  const out: AuditdEvent[] = [];
  const groups = new Map<string, AuditdLine[]>();
  const first = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    const event = normalizeAuditdRecord({ ...line.record });
    const node = line.record['node'] ?? hosts[index];
    // Serials are per machine: the group key names the node too.
    const serial = `${node ?? ''}|${line.record['msg']}`;
    out.push({
      event,
      host: node,
      key: `auditd:${node ?? ''}:${serial}:${line.record['type']}:${JSON.stringify(line.record)}`,
      line: index,
    });
    const g = groups.get(serial);
    if (g) g.push(line);
    else {
      groups.set(serial, [line]);
      first.set(serial, index);
    }
    const stamp = parseAuditStamp(line.record['msg']);
    const auth = stamp ? authEvent(line, stamp.ts) : undefined;
    if (auth) out.push({ event: auth, host: node, key: `auditd:${node ?? ''}:${serial}:auth`, line: index });
  }
  for (const [serial, group] of groups) {
    const stamp = parseAuditStamp(serial);
    const proc = stamp ? processEvent(group, stamp.ts) : undefined;
    const node = group[0]!.record['node'] ?? hosts[first.get(serial)!];
    if (proc) {
      out.push({
        event: proc,
        host: node,
        key: `auditd:${node ?? ''}:${serial}:process`,
        line: first.get(serial)!,
      });
    }
  }
  return out;
}
