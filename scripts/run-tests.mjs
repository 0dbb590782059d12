#!/usr/bin/env node
// Runs every `*.test.ts` under packages/ (or the paths given) with node:test through tsx.
// Node 20's --test takes no globs, so the files are found here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', '.tmp', 'data']);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const targets = args.length > 0 ? args : ['packages'];
const files = targets
  .flatMap((t) => (statSync(join(root, t)).isDirectory() ? collect(join(root, t), []) : [join(root, t)]))
  .sort()
  .map((f) => relative(root, f));

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const concurrency = process.env.HARRIER_TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    // A test that hangs (a server left open by a failed hook) fails the run instead of stalling CI.
    '--test-timeout=900000',
    '--test-force-exit',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
