export interface LoginThrottleOptions {
  /** Failures per account before delays start. */
  accountFreeFailures: number;
  /** Failures per client address before delays start (covers spraying many accounts). */
  addressFreeFailures: number;
  /** First delay; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  accountFreeFailures: 5,
  addressFreeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

interface Failures {
  count: number;
  last: number;
  lockedUntil: number;
}

/**
 * Login throttling per account and per client address, with delays that double
 * with every failure past the free ones. Kept in process memory: a restart
 * forgives, which bounds how long a lock-out can be abused against a victim.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Failures>();
  private readonly addresses = new Map<string, Failures>();

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {}

  /** Seconds until another attempt is allowed for this account or address, 0 when allowed now. */
  retryAfter(account: string, address: string, now: number): number {
    const wait = Math.max(
      (this.accounts.get(account)?.lockedUntil ?? 0) - now,
      (this.addresses.get(address)?.lockedUntil ?? 0) - now,
    );
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  /** Counts a failed attempt against both keys. */
  fail(account: string, address: string, now: number): void {
    this.bump(this.accounts, account, this.options.accountFreeFailures, now);
    this.bump(this.addresses, address, this.options.addressFreeFailures, now);
  }

  /** A success clears the account's failures (the address keeps its count: it may be spraying). */
  succeed(account: string): void {
    this.accounts.delete(account);
  }

  private bump(map: Map<string, Failures>, key: string, free: number, now: number): void {
    let f = map.get(key);
    if (!f || now - f.last > this.options.windowMs) {
      f = { count: 0, last: now, lockedUntil: 0 };
      map.set(key, f);
      if (map.size > 50_000) this.prune(map, now);
    }
    f.count++;
    f.last = now;
    if (f.count >= free) {
      const delay = Math.min(this.options.baseDelayMs * 2 ** (f.count - free), this.options.maxDelayMs);
      f.lockedUntil = now + delay;
    }
  }

  private prune(map: Map<string, Failures>, now: number): void {
    for (const [k, f] of map) if (now - f.last > this.options.windowMs && f.lockedUntil < now) map.delete(k);
  }
}
