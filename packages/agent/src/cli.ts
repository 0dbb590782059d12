import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from './agent.ts';
import { loadEnrollment, resolveStateDir } from './agent-state.ts';
import { readJsonFile } from './atomic-file.ts';
import { SoftwareCollector } from './collectors/software-collector.ts';
import { Spool } from './delivery/spool.ts';
import { enroll } from './enroll.ts';
import { hostInventorySnapshot } from './inventory-snapshot.ts';
import { createLogger, parseLogLevel } from './logger.ts';
import { defaultPolicy } from './policy.ts';
import { LockedError, lockHolder } from './process-lock.ts';
import { AGENT_VERSION } from './version.ts';

const USAGE = `harrier-agent ${AGENT_VERSION}: Harrier endpoint agent

Usage:
  harrier-agent enroll --server URL --key ENROLLMENT_KEY [--state-dir DIR]
  harrier-agent run-once [--state-dir DIR] [--timeout SECONDS]
  harrier-agent daemon   [--state-dir DIR]
  harrier-agent status   [--state-dir DIR]
  harrier-agent inventory            print the inventory snapshot the agent sends (JSON; sends nothing)

Options:
  --state-dir DIR   state directory (default $HARRIER_AGENT_STATE_DIR or /var/lib/harrier-agent)
  --root DIR        filesystem root the collectors read (default /; for testing)
  --ca-file FILE    extra CA certificate for an https server ($HARRIER_AGENT_CA_FILE)
  --log-level L     debug | info | warn | error ($HARRIER_AGENT_LOG_LEVEL, default info)
`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      key: { type: 'string' },
      'state-dir': { type: 'string' },
      root: { type: 'string' },
      'ca-file': { type: 'string' },
      'log-level': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (values.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 64;
  }
  const stateDir = resolveStateDir(values['state-dir']);
  const root = values.root ?? process.env['HARRIER_AGENT_ROOT'] ?? '/';
  const caFile = values['ca-file'] ?? process.env['HARRIER_AGENT_CA_FILE'];
  const log = createLogger(parseLogLevel(values['log-level'] ?? process.env['HARRIER_AGENT_LOG_LEVEL']));

  switch (command) {
    case 'enroll': {
      const server = values.server ?? process.env['HARRIER_AGENT_SERVER'];
      const key = values.key ?? process.env['HARRIER_AGENT_ENROLLMENT_KEY'];
      if (!server || !key) {
        process.stderr.write('enroll needs --server URL and --key ENROLLMENT_KEY\n');
        return 64;
      }
      try {
        new URL(server);
      } catch {
        process.stderr.write(`--server is not a URL: ${server}\n`);
        return 64;
      }
      const rec = await enroll({ serverUrl: server, key, stateDir, root, caFile });
      process.stdout.write(
        `enrolled: device ${rec.device_id} (org ${rec.org_id}); credentials in ${join(stateDir, 'agent.json')}\n`,
      );
      return 0;
    }
    case 'inventory': {
      const software = new SoftwareCollector(root);
      await software.collect({ now: new Date(), policy: defaultPolicy() });
      const { snapshot, truncated } = await hostInventorySnapshot(root, software.list());
      process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
      if (truncated > 0) process.stderr.write(`${truncated} packages beyond the 50,000 limit left out\n`);
      return 0;
    }
    case 'run-once':
    case 'daemon': {
      const enrollment = await loadEnrollment(stateDir);
      if (!enrollment) {
        process.stderr.write(`not enrolled: run "harrier-agent enroll" first (state dir ${stateDir})\n`);
        return 3;
      }
      let agent: Agent;
      try {
        agent = await Agent.open({ stateDir, enrollment, root, log, caFile });
      } catch (err) {
        if (err instanceof LockedError) {
          process.stderr.write(`${err.message}\n`);
          return 75;
        }
        throw err;
      }
      try {
        if (command === 'run-once') {
          const timeout = Number(values.timeout ?? 60);
          const r = await agent.runOnce((Number.isFinite(timeout) ? timeout : 60) * 1000);
          const stats = await agent.spool.stats();
          process.stdout.write(
            `collected ${JSON.stringify(agent.status().collected)}; delivered ${agent.sender.stats.eventsAccepted} events; ` +
              `pending ${stats.pendingEvents}; dropped ${stats.dropped}\n`,
          );
          return r.outcome === 'empty' ? 0 : 2;
        }
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        await agent.runDaemon(controller.signal);
        return 0;
      } finally {
        await agent.close();
      }
    }
    case 'status': {
      const enrollment = await loadEnrollment(stateDir);
      if (!enrollment) {
        process.stdout.write(`not enrolled (state dir ${stateDir})\n`);
        return 3;
      }
      const pid = await lockHolder(stateDir);
      const status = (await readJsonFile(join(stateDir, 'status.json'))) as
        | Record<string, unknown>
        | undefined;
      const meta = (await readJsonFile(join(stateDir, 'spool', 'meta.json'))) as
        | { dropped?: number }
        | undefined;
      let pending: number | string = 'unknown (daemon holds the spool)';
      if (pid === undefined) {
        const spool = await Spool.open(join(stateDir, 'spool'), { maxBytes: Number.MAX_SAFE_INTEGER });
        pending = (await spool.stats()).pendingEvents;
        await spool.close();
      }
      const lines = [
        `device:      ${enrollment.device_id} (org ${enrollment.org_id})`,
        `server:      ${enrollment.server_url}`,
        `enrolled at: ${enrollment.enrolled_at}`,
        `daemon:      ${pid !== undefined ? `running (pid ${pid})` : 'not running'}`,
        `spool:       ${pending} pending, ${meta?.dropped ?? 0} dropped`,
      ];
      if (status) {
        lines.push(
          `heartbeat:   ${status['last_heartbeat_at'] ?? 'never'} (ok: ${status['last_heartbeat_ok']})`,
        );
        lines.push(`delivery:    ${JSON.stringify(status['delivery'])}`);
        if (status['inventory']) lines.push(`inventory:   ${JSON.stringify(status['inventory'])}`);
        if (status['iocs']) lines.push(`indicators:  ${JSON.stringify(status['iocs'])}`);
        lines.push(`collected:   ${JSON.stringify(status['collected'])}`);
        lines.push(`updated at:  ${status['updated_at']}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      return 64;
  }
}

/** Runs `main` and exits with its code; failures print one line, not a stack. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`harrier-agent: ${err.message}\n`);
      process.exit(1);
    },
  );
}

// `node --import tsx src/cli.ts …` runs it directly; the bin shim calls runCli itself.
if ((process.argv[1] ?? '').endsWith('/cli.ts')) runCli(process.argv.slice(2));
