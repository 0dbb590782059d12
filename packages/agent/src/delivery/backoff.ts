/**
 * Exponential backoff with "full jitter" (AWS architecture blog): the n-th retry waits a
 * uniform random time in [base, min(cap, base·2^n)], so a fleet that lost the server at the
 * same moment does not come back in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly capMs = 5 * 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next retry; each call doubles the ceiling. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(this.baseMs + this.random() * Math.max(0, ceiling - this.baseMs));
  }

  /** Back to the first step after a success. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
