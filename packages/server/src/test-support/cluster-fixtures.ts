import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as natsConnect } from 'nats';
import pg from 'pg';
import { busNames } from '../bus/event-messages.ts';
import { freePort } from './server-process.ts';
import type { Device } from './signed-client.ts';
import { postSigned } from './signed-client.ts';

/** NATS URL (JetStream enabled) of the test server, or undefined. Under CI its absence is an error. */
export function testNatsUrl(): string | undefined {
  const url = process.env.HARRIER_TEST_NATS_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'HARRIER_TEST_NATS_URL must be set under CI=true: the scale-out suites may not be skipped',
    );
  }
  return url || undefined;
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs` (generous: the machine is loaded). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 180_000,
  detail: () => Promise<string> = async () => '',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} ${await detail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A private nats-server (own port, own store directory) a test may stop and restart. */
export class PrivateNats {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateNats> {
    const nats = new PrivateNats(await freePort(), mkdtempSync(join(tmpdir(), 'harrier-nats-')));
    await nats.restart();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const child = spawn(
      '/usr/sbin/nats-server',
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d;
        if (out.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${out}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP proxy in front of PostgreSQL that a test can cut (every connection dropped, new ones refused). */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private open = true;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<CuttableProxy> {
    let proxy: CuttableProxy | undefined;
    const server = createServer((client) => {
      if (!proxy?.open) return client.destroy();
      const upstream = tcpConnect(targetPort, targetHost);
      proxy.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        proxy?.sockets.delete(client);
        proxy?.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    proxy = new CuttableProxy(server, port);
    return proxy;
  }

  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.open = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Removes a deployment's stream and claims bucket from a NATS server (tests, benchmarks). */
export async function dropBusStreams(natsUrl: string, namespace: string): Promise<void> {
  const nc = await natsConnect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    const names = busNames(namespace);
    await jsm.streams.delete(names.stream).catch(() => undefined);
    await jsm.streams.delete(`KV_${names.claimsBucket}`).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** Drops a PostgreSQL schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

/** A fresh PostgreSQL schema name for one test, and its cleanup. */
export function clusterSchema(url: string) {
  const schema = `cl_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  return {
    schema,
    /** Counts of stored events, alerts and alert matches (the sum of their counts). */
    async counts(): Promise<{ events: number; alerts: number; matches: number }> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const e = await client.query(`select count(*)::int as n from "${schema}".events`);
        const a = await client.query(
          `select count(*)::int as n, coalesce(sum(count), 0)::int as m from "${schema}".alerts`,
        );
        return { events: e.rows[0].n, alerts: a.rows[0].n, matches: a.rows[0].m };
      } catch {
        return { events: -1, alerts: -1, matches: -1 };
      } finally {
        await client.end();
      }
    },
    /** Drops the schema and, given the NATS server, the deployment's stream and bucket. */
    async drop(natsUrl?: string): Promise<void> {
      await dropSchema(url, schema);
      if (natsUrl) await dropBusStreams(natsUrl, schema);
    },
  };
}

/** A batch of high-severity events with stable ids: each raises exactly one alert (severity promotion). */
export function alertingBatch(batch: number, size: number): Buffer {
  const events = Array.from({ length: size }, (_, i) => ({
    id: `b${batch}-e${i}`,
    ts: Date.now(),
    type: 'process_start',
    severity: 'high',
    title: `cluster test ${batch}-${i}`,
    fields: { Image: '/usr/bin/curl', CommandLine: `curl http://example.test/${batch}/${i}` },
  }));
  return Buffer.from(JSON.stringify({ batch_id: `batch-${batch}`, events }));
}

/** Outcome counts of a sender that retries refused batches. */
export interface SendTally {
  acknowledged: number;
  refused: Map<string, number>;
}

/**
 * Sends a batch until it is acknowledged, retrying 429/503 and connection
 * errors (a process restarting) after a short pause; counts refusals by code.
 * (The agent's own Retry-After handling is tested in packages/agent.)
 */
export async function sendUntilAcknowledged(
  url: () => string,
  device: Device,
  body: Buffer,
  size: number,
  tally: SendTally,
  timeoutMs = 180_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let status = 0;
    let text = '';
    try {
      ({ status, body: text } = await postSigned(url(), '/api/v1/ingest', device, body));
    } catch {
      status = -1;
    }
    if (status === 200) {
      tally.acknowledged += size;
      return;
    }
    if (status !== 429 && status !== 503 && status !== -1) throw new Error(`ingest: ${status} ${text}`);
    let code = 'connection';
    if (status !== -1) {
      try {
        code = (JSON.parse(text) as { error: { code: string } }).error.code;
      } catch {
        code = String(status);
      }
    }
    tally.refused.set(code, (tally.refused.get(code) ?? 0) + 1);
    if (Date.now() > until) throw new Error(`batch never acknowledged (last ${status} ${text})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
