import { Worker } from 'node:worker_threads';
import { GroupCommitQueue } from './group-commit-queue.ts';
import { type IngestWriter, type WriteJob, type WriteOutcome, WriterFailedError } from './write-jobs.ts';

/**
 * The ingest writer for embedded SQLite: one worker thread owns the write
 * connection and commits each group of jobs in one transaction.
 */
export class SqliteIngestWriter implements IngestWriter {
  private readonly worker: Worker;
  private readonly queue: GroupCommitQueue;
  private seq = 0;
  private readonly waiting = new Map<number, (outcomes: Array<WriteOutcome | { error: string }>) => void>();
  private failure: Error | undefined;

  constructor(path: string, synchronous: 'NORMAL' | 'FULL', maxWaitingJobs = 20_000) {
    this.worker = new Worker(new URL('./sqlite-writer-worker.mjs', import.meta.url), {
      workerData: { path, synchronous },
    });
    this.worker.on(
      'message',
      (message: { seq?: number; outcomes?: Array<WriteOutcome | { error: string }> }) => {
        if (message.seq === undefined || !message.outcomes) return;
        const done = this.waiting.get(message.seq);
        this.waiting.delete(message.seq);
        // Keep the process alive only while writes are in flight.
        if (this.waiting.size === 0) this.worker.unref();
        done?.(message.outcomes);
      },
    );
    this.worker.on('error', (error) => {
      this.failure = error;
      for (const done of this.waiting.values()) done([]);
      this.waiting.clear();
    });
    this.worker.unref();
    this.queue = new GroupCommitQueue((jobs) => this.commit(jobs), maxWaitingJobs);
  }

  submit(job: WriteJob): Promise<WriteOutcome> {
    return this.queue.submit(job);
  }

  depth(): number {
    return this.queue.depth();
  }

  async close(): Promise<void> {
    await this.queue.close();
    if (this.failure) return;
    await new Promise<void>((resolve) => {
      this.worker.ref();
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('close');
    });
    await this.worker.terminate();
  }

  private commit(jobs: WriteJob[]): Promise<Array<WriteOutcome | Error>> {
    if (this.failure) return Promise.resolve(jobs.map(() => new WriterFailedError(this.failure)));
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, (outcomes) => {
        resolve(
          jobs.map((_, i) => {
            const o = outcomes[i];
            if (o === undefined) return new WriterFailedError(this.failure ?? 'writer stopped');
            if ('error' in o) return new WriterFailedError(o.error);
            return o;
          }),
        );
      });
      this.worker.ref();
      this.worker.postMessage({ seq, jobs });
    });
  }
}
