import type { AgentEvent } from '../agent-event.ts';
import type { AuthOutcome, SyslogLine } from './auth-log-parser.ts';
import { notableLogService, parseAuthMessage } from './auth-log-parser.ts';
import { type CollectContext, makeEvent } from './collector.ts';

/**
 * The `auth` event for an authentication outcome (from auth.log or the journal). The
 * logsource service is the program's (`sshd`, `sudo`, `su`), as SigmaHQ's Linux rules name it; sudo
 * events also carry sudo's own keys (`USER`, `COMMAND`, `PWD`, `TTY`), which those rules use.
 */
export function authEvent(a: AuthOutcome, ctx: CollectContext): AgentEvent {
  const full = ctx.policy.collectCommandLines;
  const sudo = a.method === 'sudo';
  const what = sudo || a.method === 'su' ? a.method : `ssh login (${a.method})`;
  const service = sudo ? 'sudo' : a.method === 'su' ? 'su' : 'sshd';
  return makeEvent({
    type: 'auth',
    ts: a.ts,
    logsource: { product: 'linux', service },
    severity: a.outcome === 'failure' ? 'low' : 'informational',
    title: `${what} ${a.outcome === 'success' ? 'succeeded' : 'failed'} for ${a.user}`,
    fields: {
      Outcome: a.outcome,
      AuthMethod: a.method,
      User: a.user,
      TargetUser: a.targetUser,
      SourceIp: a.sourceIp,
      SourcePort: a.sourcePort,
      InvalidUser: a.invalidUser,
      Reason: a.reason,
      CommandLine: full ? a.command : undefined,
      CurrentDirectory: a.cwd,
      Terminal: a.tty,
      USER: sudo ? a.targetUser : undefined,
      COMMAND: sudo && full ? a.command : undefined,
      PWD: sudo ? a.cwd : undefined,
      TTY: sudo ? a.tty : undefined,
      Program: a.program,
      ProcessId: a.pid,
      Computer: a.host,
      // sudo's message contains the command; it goes only where command lines may go.
      Message: full || a.command === undefined ? a.message : undefined,
    },
  });
}

/** A `log` event carrying a notable line as it is (for keyword rules). */
export function logLineEvent(line: SyslogLine, service: string): AgentEvent {
  return makeEvent({
    type: 'log',
    ts: line.ts,
    logsource: { product: 'linux', service },
    title: `${line.program}: ${line.message.slice(0, 200)}`,
    fields: { Message: line.message, Program: line.program, ProcessId: line.pid, Computer: line.host },
  });
}

/** The event for one auth log line or journal entry: an outcome, a notable line, or nothing. */
export function authLineEvent(line: SyslogLine, ctx: CollectContext): AgentEvent | undefined {
  const outcome = parseAuthMessage(line);
  if (outcome) return authEvent(outcome, ctx);
  const service = notableLogService(line);
  if (service === undefined) return undefined;
  // With command lines off, sudo's raw lines (they contain COMMAND=…) are not forwarded.
  if (service === 'sudo' && !ctx.policy.collectCommandLines && line.message.includes('COMMAND='))
    return undefined;
  return logLineEvent(line, service);
}
