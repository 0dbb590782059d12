import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { ReaderReply, ReaderRequest } from './sqlite-reader-worker.ts';

/** A read stopped at its time limit (its reader process was killed). */
export class ReaderTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query ran longer than ${timeoutMs} ms`);
    this.name = 'ReaderTimeoutError';
  }
}

/** Every reader is busy and the queue is full; the caller should retry later. */
export class ReadersBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('every SQLite reader is busy and the queue is full');
    this.name = 'ReadersBusyError';
  }
}

/** The pool was closed (the server is shutting down). */
export class ReadersClosedError extends Error {
  constructor() {
    super('the SQLite reader pool is closed');
    this.name = 'ReadersClosedError';
  }
}

export interface ReaderPoolOptions {
  /** Reader processes (default: 1 on two cores, else 2). */
  size?: number;
  /** Reads that may wait for a free worker before new ones are refused. */
  maxQueue?: number;
}

/** Time a fresh reader process may take to load and open its connection. */
const STARTUP_LIMIT_MS = 60_000;

interface Job {
  sql: string;
  params: ReadonlyArray<string | number | boolean | null>;
  timeoutMs: number;
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

interface Reader {
  worker: ChildProcess;
  /** False until the reader has loaded and opened its connection (its limit starts then). */
  ready: boolean;
  job: Job | undefined;
  id: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Read-only SQLite connections in child processes for hunts: better-sqlite3 is synchronous, so
 * a scan over millions of events on the main connection would stall ingest acks, heartbeats and
 * the console. A read that outlives its time limit has its process killed and a fresh one takes
 * its place. Processes, not worker threads: better-sqlite3 exposes no sqlite3_interrupt, and
 * `worker.terminate()` only stops JavaScript, so a terminated thread went on scanning inside
 * SQLite (measured: a cut recursive CTE kept a core busy until the test runner gave up).
 */
export class SqliteReaderPool {
  private readonly readers: Reader[] = [];
  private readonly queue: Job[] = [];
  private readonly size: number;
  private readonly maxQueue: number;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    options: ReaderPoolOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? (availableParallelism() > 2 ? 2 : 1));
    this.maxQueue = Math.max(0, options.maxQueue ?? 16);
  }

  /** Rows of one SELECT, cut at `timeoutMs` (counted from when a worker starts it). */
  run(
    sql: string,
    params: ReadonlyArray<string | number | boolean | null>,
    timeoutMs: number,
  ): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new ReadersClosedError());
    return new Promise((resolve, reject) => {
      const job: Job = { sql, params, timeoutMs: Math.max(1, Math.floor(timeoutMs)), resolve, reject };
      const idle = this.idleReader();
      if (idle) return this.start(idle, job);
      if (this.queue.length >= this.maxQueue) {
        // Waiting for one running read to finish is the best guess; reads are cut at their limit.
        return reject(new ReadersBusyError(Math.min(30, Math.max(1, Math.ceil(job.timeoutMs / 1000)))));
      }
      this.queue.push(job);
    });
  }

  /** Reader processes alive now (started lazily, at most `size`). */
  processes(): number {
    return this.readers.length;
  }

  /** Process ids of the live readers (for tests and diagnostics). */
  pids(): number[] {
    return this.readers.map((r) => r.worker.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Stops every reader process; queued and running reads fail with ReadersClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ReadersClosedError());
    const readers = this.readers.splice(0);
    await Promise.all(
      readers.map(async (r) => {
        clearTimeout(r.timer);
        r.job?.reject(new ReadersClosedError());
        r.job = undefined;
        await kill(r.worker);
      }),
    );
  }

  private idleReader(): Reader | undefined {
    const idle = this.readers.find((r) => r.job === undefined);
    if (idle) return idle;
    if (this.readers.length < this.size) return this.spawn();
    return undefined;
  }

  private spawn(): Reader {
    const worker = fork(new URL('./sqlite-reader-worker.mjs', import.meta.url), [this.path], {
      // Rows come back structured-cloned rather than as JSON text.
      serialization: 'advanced',
      // Not the server's own flags (a test runner's, an inspector port): the shim loads tsx.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const reader: Reader = { worker, ready: false, job: undefined, id: 0, timer: undefined };
    // A reader that never finishes loading must not hold its hunt (and the queue) forever.
    reader.timer = setTimeout(
      () => this.replace(reader, new Error('a SQLite reader process did not start')),
      STARTUP_LIMIT_MS,
    );
    reader.timer.unref();
    worker.on('message', (reply: ReaderReply | 'ready') => {
      if (reply === 'ready') {
        reader.ready = true;
        clearTimeout(reader.timer);
        if (reader.job) this.arm(reader, reader.job);
        return;
      }
      const job = reader.job;
      if (!job || reply.id !== reader.id) return;
      this.finish(reader);
      if ('rows' in reply) job.resolve(reply.rows);
      else job.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    // A reader that cannot open the file or dies fails its read; a fresh one serves the next.
    worker.on('error', (error) => this.replace(reader, error));
    worker.on('exit', () => this.replace(reader, new Error('a SQLite reader process exited')));
    unref(worker);
    this.readers.push(reader);
    return reader;
  }

  private start(reader: Reader, job: Job): void {
    reader.job = job;
    reader.id = ++this.nextId;
    if (reader.ready) this.arm(reader, job);
    // Keep the server alive only while reads are in flight.
    reader.worker.ref();
    reader.worker.channel?.ref();
    reader.worker.send({ id: reader.id, sql: job.sql, params: job.params } satisfies ReaderRequest);
  }

  /** Starts the limit of `job` on `reader`; loading a fresh reader does not count against it. */
  private arm(reader: Reader, job: Job): void {
    reader.timer = setTimeout(
      () => this.replace(reader, new ReaderTimeoutError(job.timeoutMs)),
      job.timeoutMs,
    );
  }

  private finish(reader: Reader): void {
    clearTimeout(reader.timer);
    reader.timer = undefined;
    reader.job = undefined;
    unref(reader.worker);
    this.drain();
  }

  /** Kills `reader` (stuck past its limit, or dead), fails its read and frees its slot. */
  private replace(reader: Reader, error: Error): void {
    const at = this.readers.indexOf(reader);
    if (at === -1) return;
    this.readers.splice(at, 1);
    clearTimeout(reader.timer);
    const job = reader.job;
    reader.job = undefined;
    void kill(reader.worker);
    job?.reject(error);
    this.drain();
  }

  private drain(): void {
    while (!this.closed && this.queue.length > 0) {
      const idle = this.idleReader();
      if (!idle) return;
      this.start(idle, this.queue.shift()!);
    }
  }
}

function unref(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
}

/** SIGKILL: a reader stuck inside SQLite never reaches JavaScript again to honour a gentler signal. */
function kill(child: ChildProcess): Promise<void> {
  child.removeAllListeners('message');
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.on('error', () => undefined);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      unref(child);
      resolve();
    });
    // Held until it has exited, so a closing server waits for its readers.
    child.ref();
    child.kill('SIGKILL');
  });
}
