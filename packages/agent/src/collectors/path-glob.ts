import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Files deeper than this below a `**` are not followed (a guard against huge trees). */
const MAX_DEPTH = 8;
/** Most files one pattern may expand to. */
const MAX_MATCHES = 10_000;

function segmentRegex(segment: string): RegExp {
  const escaped = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

/**
 * Expands an absolute pattern with `*`, `?` (inside one path segment) and `**` (any depth)
 * below `root`, returning root-relative absolute paths of regular files and symlinks.
 * Symlinked directories are not followed, so a loop cannot trap the scan.
 */
export async function expandGlob(root: string, pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter((s) => s.length > 0);
  const out: string[] = [];
  await walk(root, '', segments, 0, out);
  return out;
}

async function walk(root: string, rel: string, segs: string[], depth: number, out: string[]): Promise<void> {
  if (out.length >= MAX_MATCHES) return;
  if (segs.length === 0) {
    try {
      const st = await lstat(join(root, rel));
      if (st.isFile() || st.isSymbolicLink()) out.push(rel || '/');
    } catch {
      // Vanished or unreadable: not a match.
    }
    return;
  }
  const [head, ...rest] = segs;
  if (head === '**') {
    // Zero directories…
    await walk(root, rel, rest, depth, out);
    if (depth >= MAX_DEPTH) return;
    // …or one more, keeping the `**`.
    for (const entry of await listDirs(join(root, rel))) {
      await walk(root, `${rel}/${entry}`, segs, depth + 1, out);
    }
    return;
  }
  if (!/[*?]/.test(head!)) {
    await walk(root, `${rel}/${head}`, rest, depth, out);
    return;
  }
  const re = segmentRegex(head!);
  let names: string[];
  try {
    names = await readdir(join(root, rel));
  } catch {
    return;
  }
  names.sort();
  for (const name of names) if (re.test(name)) await walk(root, `${rel}/${name}`, rest, depth, out);
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
