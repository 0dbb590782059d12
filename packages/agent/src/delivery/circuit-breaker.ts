export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Circuit breaker: after `threshold` consecutive failures it opens and refuses attempts for
 * `cooldownMs`; then one trial is let through (half-open). Success closes it; a failed trial
 * opens it again. Keeps a down server from being hammered and the agent from spinning.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private stateValue: BreakerState = 'closed';

  constructor(
    private readonly threshold = 5,
    private readonly cooldownMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an attempt may be made now (moves open → half-open after the cooldown). */
  allow(): boolean {
    if (this.stateValue === 'open' && this.now() - this.openedAt >= this.cooldownMs) {
      this.stateValue = 'half_open';
    }
    return this.stateValue !== 'open';
  }

  /** Milliseconds until an attempt is allowed again (0 when it is). */
  remainingMs(): number {
    if (this.stateValue !== 'open') return 0;
    return Math.max(0, this.cooldownMs - (this.now() - this.openedAt));
  }

  success(): void {
    this.failures = 0;
    this.stateValue = 'closed';
  }

  failure(): void {
    this.failures++;
    if (this.stateValue === 'half_open' || this.failures >= this.threshold) {
      this.stateValue = 'open';
      this.openedAt = this.now();
    }
  }

  get state(): BreakerState {
    this.allow();
    return this.stateValue;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
