import { execFile } from 'node:child_process';
import type { ActionResult, AgentAction } from './delivery/management.ts';
import type { AgentPolicy } from './policy.ts';

/** Hooks the executor needs from the running agent. */
export interface ActionHooks {
  /** Runs every collector now and returns a short summary (for `collect_triage`). */
  triage(): Promise<Record<string, unknown>>;
}

const OUTPUT_CAP = 64 * 1024;

function done(status: ActionResult['status'], output?: unknown, error?: string): ActionResult {
  return { status, output, error, finished_at: new Date().toISOString() };
}

/**
 * Executes response actions the policy allows (`allowedActions`); everything else is
 * `rejected`, so a monitoring-only device (seed 002's stance) stays monitoring-only.
 * `run_command` additionally requires the program to be on the policy's `allowedCommands`.
 * Network isolation is not implemented by this agent and reports `failed`.
 */
export async function executeAction(
  action: AgentAction,
  policy: AgentPolicy,
  hooks: ActionHooks,
): Promise<ActionResult> {
  if (action.type === 'ping') return done('succeeded', { pong: true });
  if (!policy.allowedActions.includes(action.type)) {
    return done('rejected', undefined, `action ${action.type} not allowed by policy`);
  }
  switch (action.type) {
    case 'kill_process': {
      const pid = Number(action.params['pid']);
      if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) {
        return done('failed', undefined, 'invalid pid');
      }
      try {
        process.kill(pid, 'SIGKILL');
        return done('succeeded', { pid });
      } catch (err) {
        return done('failed', undefined, (err as Error).message);
      }
    }
    case 'collect_triage':
      return done('succeeded', await hooks.triage());
    case 'run_command': {
      const raw = action.params['command'] ?? action.params['argv'];
      const argv = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/\s+/) : [];
      const program = argv[0];
      if (!program || !policy.allowedCommands.includes(program)) {
        return done('rejected', undefined, 'command not on the approved list');
      }
      return new Promise((resolve) => {
        execFile(
          program,
          argv.slice(1),
          { timeout: 60_000, maxBuffer: OUTPUT_CAP },
          (err, stdout, stderr) => {
            const output = { stdout: stdout.slice(0, OUTPUT_CAP), stderr: stderr.slice(0, OUTPUT_CAP) };
            resolve(err ? done('failed', output, err.message) : done('succeeded', output));
          },
        );
      });
    }
    default:
      return done('failed', undefined, `action ${action.type} is not supported by this agent`);
  }
}
