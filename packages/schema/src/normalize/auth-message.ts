/**
 * What an sshd, sudo or su log message says about an authentication attempt, for log lines
 * that arrive from shippers (syslog, journal, syslog-ng/rsyslog JSON). The interpretation is
 * the one our agent applies to auth.log, so an sshd failure looks the same whichever way it
 * reached the server, and the same Sigma rules and hunts find it.
 */

/** An authentication outcome read from one message. */
export interface AuthOutcome {
  outcome: 'success' | 'failure';
  /** sshd: password, publickey, keyboard-interactive/pam, none; sudo: sudo; su: su. */
  method: string;
  user: string;
  targetUser?: string | undefined;
  sourceIp?: string | undefined;
  sourcePort?: number | undefined;
  invalidUser?: boolean | undefined;
  command?: string | undefined;
  cwd?: string | undefined;
  tty?: string | undefined;
  reason?: string | undefined;
}

const SSH_ACCEPTED = /^Accepted (\S+) for (\S+) from (\S+) port (\d+)/;
const SSH_FAILED_INVALID = /^Failed (\S+) for invalid user (.*?) from (\S+) port (\d+)/;
const SSH_FAILED = /^Failed (\S+) for (\S+) from (\S+) port (\d+)/;
const SSH_INVALID_USER = /^Invalid user (.*?) from (\S+)(?: port (\d+))?/;

// sshd messages that signal an attack or a broken client rather than routine chatter;
// SigmaHQ's sshd keyword rules (lnx_sshd_susp_ssh, CVE-2023-2283) match exactly these.
const SSHD_NOTABLE =
  /error|fatal|corrupt|unexpected|incorrect signature|invalid (?:certificate|elliptic)|unsupported key|compensation attack|bad client|failed to generate/i;

function isSshd(program: string): boolean {
  return program === 'sshd' || program.startsWith('sshd-');
}

/**
 * The Sigma `service` of a Linux log line: the program's own service where SigmaHQ has one
 * (`sshd`, `sudo`, `su`, `cron`, `vsftpd`), `auth` for other authentication programs and the
 * auth facilities, `syslog` for the rest.
 */
export function linuxLogService(program: string | undefined, facility: string | undefined): string {
  const p = (program ?? '').toLowerCase();
  if (isSshd(p)) return 'sshd';
  if (p === 'sudo' || p === 'su' || p === 'vsftpd') return p;
  if (p === 'cron' || p === 'crond' || p === 'anacron') return 'cron';
  if (p === 'pkexec' || p === 'polkitd' || p === 'login' || p === 'passwd' || p === 'systemd-logind') {
    return 'auth';
  }
  const f = (facility ?? '').toLowerCase();
  if (f === 'auth' || f === 'authpriv' || f === '4' || f === '10') return 'auth';
  return 'syslog';
}

/** True when an sshd line that is not an outcome is still notable (keyword rules look for it). */
export function isNotableSshdMessage(message: string): boolean {
  return SSHD_NOTABLE.test(message);
}

/** Interprets one message of sshd, sudo or su; `undefined` when it is not an outcome. */
export function parseAuthOutcome(program: string, message: string): AuthOutcome | undefined {
  if (isSshd(program)) return parseSshd(message);
  if (program === 'sudo') return parseSudo(message);
  if (program === 'su') {
    // util-linux su: "(to root) alice on pts/0" and "FAILED SU (to root) alice on pts/0".
    const m = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)/.exec(message);
    if (!m) return undefined;
    return {
      outcome: m[1] ? 'failure' : 'success',
      method: 'su',
      user: m[3]!,
      targetUser: m[2]!,
      tty: m[4]!,
    };
  }
  return undefined;
}

function parseSshd(message: string): AuthOutcome | undefined {
  let s = SSH_ACCEPTED.exec(message);
  if (s) {
    return { outcome: 'success', method: s[1]!, user: s[2]!, sourceIp: s[3]!, sourcePort: Number(s[4]) };
  }
  s = SSH_FAILED_INVALID.exec(message);
  if (s) {
    return {
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
    return { outcome: 'failure', method: s[1]!, user: s[2]!, sourceIp: s[3]!, sourcePort: Number(s[4]) };
  }
  s = SSH_INVALID_USER.exec(message);
  if (s) {
    return {
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

/**
 * sudo's summary line: `user : TTY=… ; PWD=… ; USER=… ; COMMAND=…` on success, with a reason
 * first on failure (`3 incorrect password attempts ; TTY=…`, `user NOT in sudoers ; …`).
 */
function parseSudo(message: string): AuthOutcome | undefined {
  const m = /^\s*(\S+) : (.*)$/.exec(message);
  if (!m) return undefined;
  const kv = new Map<string, string>();
  let reason: string | undefined;
  for (const [i, part] of m[2]!.split(' ; ').entries()) {
    const eq = /^([A-Z]+)=(.*)$/.exec(part);
    if (eq) kv.set(eq[1]!, eq[2]!);
    else if (i === 0) reason = part.trim();
  }
  if (!kv.has('COMMAND') && !kv.has('USER')) return undefined;
  return {
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
