import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(new URL('../../../..', import.meta.url).pathname);

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  enrollmentKey: string | undefined;
  output: () => string;
  /** Peak resident set size (VmHWM) of the server process, in bytes. */
  peakRss(): number;
  /** User+system CPU seconds the server process has used so far. */
  cpuSeconds(): number;
  /** Sends the signal and waits for the exit; after `timeoutMs` it kills with SIGKILL and resolves 'timeout'. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null | 'timeout'>;
}

/** Starts `harrier serve` (with `args`, e.g. `--role detect`) as a child process and waits until it listens. */
export async function startServer(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS passes flags to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, resolve(root, 'packages/server/bin/harrier.js'), 'serve', ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        HARRIER_PORT: String(port),
        HARRIER_HOST: '127.0.0.1',
        HARRIER_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 120_000);
    const check = () => {
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    enrollmentKey: /Enrollment key:\s+(\S+)/.exec(out)?.[1],
    output: () => out,
    peakRss() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return kb * 1024;
      } catch {
        return 0;
      }
    },
    cpuSeconds() {
      try {
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(((Number(fields[11]) + Number(fields[12])) / 100).toFixed(1));
      } catch {
        return 0;
      }
    },
    stop(signal = 'SIGTERM', timeoutMs = 90_000) {
      return new Promise((res) => {
        if (child.exitCode !== null) return res(child.exitCode);
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          res('timeout');
        }, timeoutMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          res(code);
        });
        child.kill(signal);
      });
    },
  };
}
