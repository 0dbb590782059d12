import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { loggerOptions } from './logger.ts';

test('JSON logs redact secrets', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const options = loggerOptions('info') as Record<string, unknown>;
  const app = Fastify({ logger: { ...options, stream: sink } });
  app.log.info(
    {
      request: {
        headers: { authorization: 'Bearer abc', 'x-api-key': 'hak_secret', cookie: 'harrier_access=jwt' },
      },
      body: { password: 'hunter2hunter2', device_secret: 'ds', enrollment_key: 'hek_x', refresh_token: 'rt' },
    },
    'request',
  );
  const entry = lines.map((l) => JSON.parse(l)).find((e) => e.msg === 'request');
  const text = lines.join('');
  for (const secret of [
    'Bearer abc',
    'hak_secret',
    'harrier_access=jwt',
    'hunter2hunter2',
    '"ds"',
    'hek_x',
    '"rt"',
  ]) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  assert.equal(entry.request.headers.authorization, '[redacted]');
});
