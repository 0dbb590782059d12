import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

interface CacheEntry {
  key: string;
  sha256: string;
}

/**
 * SHA-256 of files with a cache keyed by path + mtime + size, so an unchanged binary is read
 * once, not at every process start. Bounded: the oldest entries go first.
 */
export class FileHasher {
  private readonly cache = new Map<string, CacheEntry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = 4096,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  /**
   * Hash of the file at `openPath`, cached under `cacheName` (the path reported in events;
   * for a process it differs from `/proc/<pid>/exe`, which is what we open so deleted or
   * namespaced binaries still hash). `undefined` when unreadable or larger than the cap.
   */
  async hash(openPath: string, cacheName: string = openPath): Promise<string | undefined> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(openPath);
    } catch {
      return undefined;
    }
    if (!st.isFile() || st.size > this.maxBytes) return undefined;
    const key = `${st.mtimeMs}:${st.size}:${st.ino}`;
    const hit = this.cache.get(cacheName);
    if (hit && hit.key === key) {
      this.hits++;
      // Refresh recency: Map keeps insertion order, so re-insert to move it to the end.
      this.cache.delete(cacheName);
      this.cache.set(cacheName, hit);
      return hit.sha256;
    }
    this.misses++;
    const sha256 = await hashStream(openPath);
    if (sha256 === undefined) return undefined;
    this.cache.set(cacheName, { key, sha256 });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return sha256;
  }
}

/** Streams a file through SHA-256; `undefined` when it cannot be read. */
export function hashStream(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const h = createHash('sha256');
    const s = createReadStream(path);
    s.on('data', (chunk) => h.update(chunk));
    s.on('error', () => resolve(undefined));
    s.on('end', () => resolve(h.digest('hex')));
  });
}
