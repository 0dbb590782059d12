import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus: $HARRIER_CORPUS_DIR, else `../shared/corpus` from the repository root. */
export function corpusDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return process.env.HARRIER_CORPUS_DIR ?? resolve(root, '../shared/corpus');
}

/** True when the corpus is there (tests that need it are skipped otherwise). */
export function corpusPresent(): boolean {
  return existsSync(join(corpusDir(), 'manifest.json'));
}

/** The YAML of a corpus rule by its Sigma id. */
export function corpusRule(id: string): string {
  const dir = corpusDir();
  const index = JSON.parse(readFileSync(join(dir, 'rules', 'rules_index.json'), 'utf8')) as Record<
    string,
    { path: string }
  >;
  const entry = index[id];
  if (!entry) throw new Error(`rule ${id} is not in the corpus`);
  const path = [join(dir, entry.path), join(dir, 'rules', entry.path)].find((p) => existsSync(p));
  if (!path) throw new Error(`rule file ${entry.path} not found`);
  return readFileSync(path, 'utf8');
}

/** The records of a corpus event file (its JSONL variant), as sent by a collector. */
export function corpusEvents(file: string): unknown[] {
  return readFileSync(join(corpusDir(), file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}
