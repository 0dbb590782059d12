import {
  isNotableSshdMessage,
  type AuthOutcome as MessageOutcome,
  parseAuthOutcome,
} from '../../../schema/src/normalize/auth-message.ts';

/**
 * What an auth.log line says about an authentication attempt: the server's interpretation of
 * the message (`@harrier/schema`, imported by file so the agent does not load the whole
 * package index with TypeBox) plus where the line came from.
 */
export interface AuthOutcome extends MessageOutcome {
  ts: Date;
  host: string;
  program: string;
  pid?: number | undefined;
  message: string;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

// "Nov 23 15:28:42 host prog[pid]: msg" (RFC 3164, local time) or
// "2026-11-23T15:28:42.123456+00:00 host prog[pid]: msg" (rsyslog's high-precision format).
const LINE =
  /^(?:([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?))\s+(\S+)\s+([^\s:[]+)(?:\[(\d+)\])?:\s?(.*)$/;

/**
 * Parses a syslog timestamp. RFC 3164 has no year: the current one is assumed, or the
 * previous one when that would put the line more than a day in the future (a December line
 * read in January).
 */
function parseTs(m: RegExpExecArray, now: Date): Date | undefined {
  if (m[6]) {
    const d = new Date(m[6]);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  let d = new Date(now.getFullYear(), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  if (d.getTime() - now.getTime() > 86_400_000) {
    d = new Date(now.getFullYear() - 1, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  }
  return d;
}

/** The parts of a syslog line. */
export interface SyslogLine {
  ts: Date;
  host: string;
  program: string;
  pid?: number | undefined;
  message: string;
}

/** Splits an auth.log line into timestamp, host, program, pid and message. */
export function parseSyslogLine(line: string, now: Date): SyslogLine | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const ts = parseTs(m, now);
  if (!ts) return undefined;
  return { ts, host: m[7]!, program: m[8]!, pid: m[9] ? Number(m[9]) : undefined, message: m[10]! };
}

/** Parses one auth.log line into an outcome, or `undefined` when it is not one we track. */
export function parseAuthLine(line: string, now: Date): AuthOutcome | undefined {
  const parsed = parseSyslogLine(line, now);
  return parsed ? parseAuthMessage(parsed) : undefined;
}

/**
 * The Sigma service of a line that is not an authentication outcome but is still worth
 * sending as it is (a `log` event), so keyword rules can match it; `undefined` otherwise.
 */
export function notableLogService(line: SyslogLine): string | undefined {
  if (line.program === 'sshd' || line.program.startsWith('sshd-')) {
    return isNotableSshdMessage(line.message) ? 'sshd' : undefined;
  }
  if (line.program === 'pkexec' || line.program === 'polkitd') return 'auth';
  if (
    line.program === 'sudo' &&
    /authentication failure|NOT in sudoers|incorrect password/.test(line.message)
  ) {
    return 'sudo';
  }
  return undefined;
}

/**
 * Interprets one message of sshd, sudo or su (from a syslog line or a journal entry), or
 * `undefined` when it is not an authentication outcome we track.
 */
export function parseAuthMessage(base: SyslogLine): AuthOutcome | undefined {
  const outcome = parseAuthOutcome(base.program, base.message);
  return outcome ? { ...base, ...outcome } : undefined;
}
