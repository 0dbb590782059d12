/**
 * Test and benchmark support only (does file I/O; not exported from the package): locates the
 * shared corpus and reads its rules.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSource } from './rule-loader.ts';

/** Repository root (two levels above packages/detect/src). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The corpus directory: $HARRIER_CORPUS_DIR, else `../shared/corpus` relative to the repo root. */
export function corpusDir(): string {
  return process.env['HARRIER_CORPUS_DIR'] ?? resolve(REPO_ROOT, '../shared/corpus');
}

/** True when the corpus (its manifest) is present. */
export function corpusPresent(dir = corpusDir()): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/** Every `.yml`/`.yaml` file under a directory, sorted. */
export function listYamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listYamlFiles(p, out);
    else if (/\.ya?ml$/i.test(name)) out.push(p);
  }
  return out;
}

/** Rule sources for every rule file under `<corpus>/rules`. */
export function corpusRuleSources(dir = corpusDir()): RuleSource[] {
  return listYamlFiles(join(dir, 'rules')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}
