/** What an auth.log line says about an authentication attempt. */
export interface AuthOutcome {
  ts: Date;
  host: string;
  program: string;
  pid?: number;
  outcome: 'success' | 'failure';
  /** sshd: password, publickey, keyboard-interactive/pam, none; sudo: sudo; su: su. */
  method: string;
  user: string;
  targetUser?: string;
  sourceIp?: string;
  sourcePort?: number;
  invalidUser?: boolean;
  command?: string;
  cwd?: string;
  tty?: string;
  reason?: string;
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

const SSH_ACCEPTED = /^Accepted (\S+) for (\S+) from (\S+) port (\d+)/;
const SSH_FAILED_INVALID = /^Failed (\S+) for invalid user (.*?) from (\S+) port (\d+)/;
const SSH_FAILED = /^Failed (\S+) for (\S+) from (\S+) port (\d+)/;
const SSH_INVALID_USER = /^Invalid user (.*?) from (\S+)(?: port (\d+))?/;

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

// sshd messages that signal an attack or a broken client/server rather than routine chatter;
// SigmaHQ's sshd rules (lnx_sshd_susp_ssh, CVE-2023-2283) match keywords in exactly these.
const SSHD_NOTABLE =
  /error|fatal|corrupt|unexpected|incorrect signature|invalid (?:certificate|elliptic)|unsupported key|compensation attack|bad client|failed to generate/i;

/**
 * The Sigma service of a line that is not an authentication outcome but is still worth
 * sending as it is (a `log` event), so keyword rules can match it; `undefined` otherwise.
 */
export function notableLogService(line: SyslogLine): string | undefined {
  if (line.program === 'sshd' || line.program.startsWith('sshd-')) {
    return SSHD_NOTABLE.test(line.message) ? 'sshd' : undefined;
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
 * Interprets one message of sshd or sudo (from a syslog line or a journal entry), or
 * `undefined` when it is not an authentication outcome we track.
 */
export function parseAuthMessage(base: {
  ts: Date;
  host: string;
  program: string;
  pid?: number | undefined;
  message: string;
}): AuthOutcome | undefined {
  const { program, message } = base;

  if (program === 'sshd' || program.startsWith('sshd-')) {
    let s = SSH_ACCEPTED.exec(message);
    if (s) {
      return {
        ...base,
        outcome: 'success',
        method: s[1]!,
        user: s[2]!,
        sourceIp: s[3]!,
        sourcePort: Number(s[4]),
      };
    }
    s = SSH_FAILED_INVALID.exec(message);
    if (s) {
      return {
        ...base,
        outcome: 'failure',
        method: s[1]!,
        user: s[2]!,
        sourceIp: s[3]!,
        sourcePort: Number(s[4]),
        invalidUser: true,
      };
    }
    s = SSH_FAILED.exec(message);
    if (s) {
      return {
        ...base,
        outcome: 'failure',
        method: s[1]!,
        user: s[2]!,
        sourceIp: s[3]!,
        sourcePort: Number(s[4]),
      };
    }
    s = SSH_INVALID_USER.exec(message);
    if (s) {
      return {
        ...base,
        outcome: 'failure',
        method: 'none',
        user: s[1]!,
        sourceIp: s[2]!,
        sourcePort: s[3] ? Number(s[3]) : undefined,
        invalidUser: true,
        reason: 'invalid user',
      };
    }
    return undefined;
  }

  if (program === 'sudo') return parseSudo(message, base);
  if (program === 'su') {
    // util-linux su: "(to root) alice on pts/0" and "FAILED SU (to root) alice on pts/0".
    const m = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)/.exec(message);
    if (!m) return undefined;
    return {
      ...base,
      outcome: m[1] ? 'failure' : 'success',
      method: 'su',
      user: m[3]!,
      targetUser: m[2]!,
      tty: m[4]!,
    };
  }
  return undefined;
}

/**
 * sudo's summary line: `user : TTY=… ; PWD=… ; USER=… ; COMMAND=…` on success, with a reason
 * first on failure (`3 incorrect password attempts ; TTY=…`, `user NOT in sudoers ; …`).
 */
function parseSudo(
  message: string,
  base: { ts: Date; host: string; program: string; pid?: number | undefined; message: string },
): AuthOutcome | undefined {
  const m = /^\s*(\S+) : (.*)$/.exec(message);
  if (!m) return undefined;
  const parts = m[2]!.split(' ; ');
  const kv = new Map<string, string>();
  let reason: string | undefined;
  for (const [i, part] of parts.entries()) {
    const eq = /^([A-Z]+)=(.*)$/.exec(part);
    if (eq) kv.set(eq[1]!, eq[2]!);
    else if (i === 0) reason = part.trim();
  }
  if (!kv.has('COMMAND') && !kv.has('USER')) return undefined;
  return {
    ...base,
    outcome: reason === undefined ? 'success' : 'failure',
    method: 'sudo',
    user: m[1]!,
    targetUser: kv.get('USER'),
    command: kv.get('COMMAND'),
    cwd: kv.get('PWD'),
    tty: kv.get('TTY'),
    reason,
  };
}
