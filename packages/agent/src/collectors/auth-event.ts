import type { AgentEvent } from '../agent-event.ts';
import type { AuthOutcome } from './auth-log-parser.ts';
import { type CollectContext, makeEvent } from './collector.ts';

/** The `auth` event for an authentication outcome (from auth.log or the journal). */
export function authEvent(a: AuthOutcome, ctx: CollectContext): AgentEvent {
  const full = ctx.policy.collectCommandLines;
  const what = a.method === 'sudo' ? 'sudo' : `ssh login (${a.method})`;
  return makeEvent({
    type: 'auth',
    ts: a.ts,
    logsource: { product: 'linux', service: 'auth' },
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
      Program: a.program,
      ProcessId: a.pid,
      Computer: a.host,
      // sudo's message contains the command; it goes only where command lines may go.
      Message: full || a.command === undefined ? a.message : undefined,
    },
  });
}
