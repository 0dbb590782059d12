import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../cli.ts';

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) } };
}

test('serve refuses an unknown role (usage) and a split role without NATS (configuration)', async () => {
  const saved = process.env.HARRIER_NATS_URL;
  delete process.env.HARRIER_NATS_URL;
  try {
    const bogus = capture();
    assert.equal(await main(['serve', '--role', 'bogus'], bogus.io), 2);
    assert.match(bogus.lines.join('\n'), /--role takes one of all, ingest, detect, api/);
    const detect = capture();
    assert.equal(await main(['serve', '--role', 'detect'], detect.io), 1);
    assert.match(detect.lines.join('\n'), /HARRIER_NATS_URL: --role detect needs HARRIER_NATS_URL/);
  } finally {
    if (saved !== undefined) process.env.HARRIER_NATS_URL = saved;
  }
});
