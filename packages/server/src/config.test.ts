import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from './cli.ts';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.ts';

test('defaults', () => {
  const c = loadConfig({}, '/srv');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, '/srv/data');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.pgSchema, 'harrier');
  assert.equal(c.adminEmail, 'admin@localhost');
  assert.equal(c.logLevel, 'info');
});

test('every bad value names its variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ HARRIER_PORT: 'eighty' }, 'HARRIER_PORT'],
    [{ HARRIER_PORT: '70000' }, 'HARRIER_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ HARRIER_PG_SCHEMA: 'Robert"; drop' }, 'HARRIER_PG_SCHEMA'],
    [{ HARRIER_SECRET: 'short' }, 'HARRIER_SECRET'],
    [{ HARRIER_TLS_CERT: '/x.pem' }, 'HARRIER_TLS_KEY'],
    [{ HARRIER_LOG_LEVEL: 'loud' }, 'HARRIER_LOG_LEVEL'],
    [{ HARRIER_ADMIN_EMAIL: 'nobody' }, 'HARRIER_ADMIN_EMAIL'],
    [{ HARRIER_ADMIN_PASSWORD: 'short' }, 'HARRIER_ADMIN_PASSWORD'],
    [{ HARRIER_SQLITE_SYNCHRONOUS: 'OFF' }, 'HARRIER_SQLITE_SYNCHRONOUS'],
    [{ HARRIER_MAX_BATCH_EVENTS: '0' }, 'HARRIER_MAX_BATCH_EVENTS'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.startsWith(variable),
      `${JSON.stringify(env)} should fail on ${variable}`,
    );
  }
});

test('the CLI stops with one line and exit code 1 on a bad variable', async () => {
  const saved = process.env.HARRIER_PORT;
  process.env.HARRIER_PORT = 'x';
  const lines: string[] = [];
  try {
    const code = await main(['migrate'], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
    assert.equal(code, 1);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /HARRIER_PORT/);
  } finally {
    if (saved === undefined) delete process.env.HARRIER_PORT;
    else process.env.HARRIER_PORT = saved;
  }
});

test('the README documents every configuration variable', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const v of CONFIG_VARIABLES) assert.ok(readme.includes(`\`${v.name}\``), `README lacks ${v.name}`);
});
