import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared corpus directory: HARRIER_CORPUS_DIR, else `../shared/corpus` beside the checkout. */
export function corpusDir(): string {
  const root = resolve(new URL('../..', import.meta.url).pathname);
  return process.env.HARRIER_CORPUS_DIR ?? resolve(root, '../shared/corpus');
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

/** Windows event records (`{"Event":…}`) from the corpus's JSONL files, in a stable order. */
export function loadWindowsRecords(limit = 50_000): unknown[] {
  const dir = join(corpusDir(), 'events');
  if (!existsSync(dir)) throw new Error(`corpus not found at ${dir}; set HARRIER_CORPUS_DIR`);
  const out: unknown[] = [];
  for (const file of walk(dir, []).sort()) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as { Event?: unknown };
        if (v && typeof v === 'object' && v.Event) out.push(v);
      } catch {
        // Not every corpus line is an event record.
      }
      if (out.length >= limit) return out;
    }
  }
  return out;
}
