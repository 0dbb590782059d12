/**
 * At most one report per key per window, in bounded memory: keys whose window has passed are
 * dropped first, and beyond `maxKeys` the longest-quiet ones go (they could only report again
 * early, never be lost). A `Map` keeps insertion order, and a key is re-inserted when it
 * reports, so the first entries are always the oldest.
 */
export class HitLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    readonly windowMs = 3600_000,
    readonly maxKeys = 10_000,
  ) {}

  /** True (and remembered) when `key` has not reported within the window before `now`. */
  allow(key: string, now: number): boolean {
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.windowMs && now >= at) return false;
    this.last.delete(key);
    this.last.set(key, now);
    this.prune(now);
    return true;
  }

  get size(): number {
    return this.last.size;
  }

  /** Drops the oldest keys beyond the bound, and (given `now`) those whose window has passed. */
  private prune(now?: number): void {
    for (const [key, at] of this.last) {
      if (this.last.size <= this.maxKeys && (now === undefined || now - at < this.windowMs)) break;
      this.last.delete(key);
    }
  }

  /** The remembered keys and times (persisted so a restart does not repeat an hour's reports). */
  exportState(): [string, number][] {
    return [...this.last];
  }

  importState(entries: unknown): void {
    this.last.clear();
    if (!Array.isArray(entries)) return;
    const valid = entries.filter(
      (e): e is [string, number] =>
        Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number' && Number.isFinite(e[1]),
    );
    valid.sort((a, b) => a[1] - b[1]);
    for (const [key, at] of valid) this.last.set(key, at);
    // Expired keys go at the next report; the clock here may not be the one reports use.
    this.prune();
  }
}
