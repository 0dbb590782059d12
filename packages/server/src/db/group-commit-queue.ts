import { type WriteJob, type WriteOutcome, WriterOverloadedError } from './write-jobs.ts';

interface Pending {
  job: WriteJob;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * Collects jobs while one group is being committed and hands the next group to
 * `commitGroup` as soon as the previous one finishes: under load every
 * transaction carries everything that arrived meanwhile (group commit), and an
 * idle writer commits a lone job at once.
 */
export class GroupCommitQueue {
  private waiting: Pending[] = [];
  private inFlight = 0;
  private busy = false;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly commitGroup: (jobs: WriteJob[]) => Promise<Array<WriteOutcome | Error>>,
    private readonly maxWaitingJobs: number,
  ) {}

  submit(job: WriteJob): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new Error('writer is closed'));
    if (this.waiting.length >= this.maxWaitingJobs) return Promise.reject(new WriterOverloadedError());
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      if (!this.busy) queueMicrotask(() => this.pump());
    });
  }

  depth(): number {
    return this.waiting.length + this.inFlight;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.busy && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      this.inFlight = group.length;
      let outcomes: Array<WriteOutcome | Error>;
      try {
        outcomes = await this.commitGroup(group.map((p) => p.job));
      } catch (error) {
        outcomes = group.map(() => (error instanceof Error ? error : new Error(String(error))));
      }
      group.forEach((p, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof Error || outcome === undefined) p.reject(outcome ?? new Error('no outcome'));
        else p.resolve(outcome);
      });
      this.inFlight = 0;
    }
    this.busy = false;
    if (this.drained) this.drained();
  }
}
