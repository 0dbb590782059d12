#!/usr/bin/env node
// The harrier CLI. TypeScript sources run through tsx's loader, so no build step
// stands between `npm ci` and `npx harrier`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
