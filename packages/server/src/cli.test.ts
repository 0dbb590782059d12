import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

const bin = resolve(new URL('../bin/harrier.js', import.meta.url).pathname);

function harrier(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, HARRIER_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('harrier CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harrier-cli-'));
  const env = { HARRIER_DATA_DIR: dir };
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('migrate applies the migrations once', () => {
    const first = harrier(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied: 0001-initial/);
    const second = harrier(['migrate'], env);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /up to date/);
  });

  test('enroll-key create prints the key alone on stdout, usable by scripts', () => {
    const r = harrier(['enroll-key', 'create', '--name', 'ci', '--max-uses', '5'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hek_[A-Za-z0-9_-]{43}\n$/);
  });

  test('agent-key create for Santamon and sec44', () => {
    const s = harrier(['agent-key', 'create', '--kind', 'santamon'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /^hak_\S+\n$/);
    const e = harrier(['agent-key', 'create', '--kind', 'sec44'], env);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /^hsk_\S+\n$/);
  });

  test('usage errors exit 2; configuration errors exit 1 with one line', () => {
    assert.equal(harrier(['frobnicate'], env).code, 2);
    assert.equal(harrier(['enroll-key', 'create', '--max-uses', '-1'], env).code, 2);
    assert.equal(harrier(['agent-key', 'create', '--kind', 'nope'], env).code, 2);
    assert.equal(harrier(['enroll-key', 'create', '--org', 'missing'], env).code, 2);
    const bad = harrier(['migrate'], { ...env, HARRIER_PORT: 'x' });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /HARRIER_PORT/);
  });
});
