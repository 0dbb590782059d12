import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { hashStream } from './file-hasher.ts';
import { expandGlob } from './path-glob.ts';

/** What is remembered of one watched file. */
export interface FileSnapshot {
  sha256: string | null;
  size: number;
  mtimeMs: number;
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  /** Target for symlinks (systemd `*.wants/` entries are links). */
  link?: string;
}

export type FileChangeKind = 'created' | 'modified' | 'deleted' | 'metadata';

export interface FileChange {
  path: string;
  kind: FileChangeKind;
  before?: FileSnapshot;
  after?: FileSnapshot;
}

/**
 * Hash-and-metadata baseline over a set of glob patterns. Content is re-hashed only when
 * size, mtime or inode moved, so a steady tree costs one lstat per file.
 * The first scan (without saved state) is the baseline and reports nothing.
 */
export class FileWatch {
  private snapshots = new Map<string, FileSnapshot>();
  private initialized = false;

  constructor(
    private readonly root: string,
    private readonly maxHashBytes = 64 * 1024 * 1024,
  ) {}

  /** Scans the patterns and returns what changed since the previous scan. */
  async scan(patterns: string[]): Promise<FileChange[]> {
    const paths = new Set<string>();
    for (const p of patterns) for (const path of await expandGlob(this.root, p)) paths.add(path);
    const next = new Map<string, FileSnapshot>();
    const changes: FileChange[] = [];
    for (const path of [...paths].sort()) {
      const before = this.snapshots.get(path);
      const after = await this.snapshot(path, before);
      if (!after) continue;
      next.set(path, after);
      if (!before) changes.push({ path, kind: 'created', after });
      else if (before.sha256 !== after.sha256 || before.link !== after.link) {
        changes.push({ path, kind: 'modified', before, after });
      } else if (before.mode !== after.mode || before.uid !== after.uid || before.gid !== after.gid) {
        changes.push({ path, kind: 'metadata', before, after });
      }
    }
    for (const [path, before] of this.snapshots) {
      if (!next.has(path)) changes.push({ path, kind: 'deleted', before });
    }
    const baseline = !this.initialized;
    this.snapshots = next;
    this.initialized = true;
    return baseline ? [] : changes;
  }

  private async snapshot(path: string, before: FileSnapshot | undefined): Promise<FileSnapshot | undefined> {
    const full = join(this.root, path);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(full);
    } catch {
      return undefined;
    }
    const base = {
      size: st.size,
      mtimeMs: st.mtimeMs,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      ino: st.ino,
    };
    if (st.isSymbolicLink()) {
      const link = await readlink(full).catch(() => '');
      return { ...base, sha256: null, link };
    }
    if (before && before.size === st.size && before.mtimeMs === st.mtimeMs && before.ino === st.ino) {
      return { ...base, sha256: before.sha256 };
    }
    const sha256 = st.size <= this.maxHashBytes ? ((await hashStream(full)) ?? null) : null;
    return { ...base, sha256 };
  }

  exportState(): unknown {
    return { files: Object.fromEntries(this.snapshots) };
  }

  importState(state: unknown): void {
    const files = (state as { files?: Record<string, FileSnapshot> } | null)?.files;
    if (!files || typeof files !== 'object') return;
    this.snapshots = new Map(Object.entries(files));
    this.initialized = true;
  }
}
