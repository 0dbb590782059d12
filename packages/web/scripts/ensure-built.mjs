#!/usr/bin/env node
// `npm start` serves the console from packages/web/dist; on a fresh checkout
// (npm ci, no build yet) this builds it first so the product works at once.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${web}dist/index.html`)) {
  console.log('Building the web console (first start)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
