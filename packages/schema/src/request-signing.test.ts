import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { uuidv7, uuidv7Time } from './ids.ts';
import { signedHeaders, signingString, signRequest, verifyRequestSignature } from './request-signing.ts';

test('signature covers method, path, timestamp, nonce and body digest', () => {
  const input = {
    method: 'post',
    path: '/api/v1/ingest',
    timestamp: 1700000000,
    nonce: 'n'.repeat(16),
    body: '{"a":1}',
  };
  const digest = createHash('sha256').update('{"a":1}').digest('hex');
  assert.equal(signingString(input), `POST\n/api/v1/ingest\n1700000000\n${'n'.repeat(16)}\n${digest}`);
  const expected = createHmac('sha256', 'secret').update(signingString(input)).digest('hex');
  assert.equal(signRequest({ ...input, secret: 'secret' }), expected);
  assert.ok(verifyRequestSignature({ ...input, secret: 'secret' }, expected));
  assert.ok(verifyRequestSignature({ ...input, secret: 'secret' }, expected.toUpperCase()));
  assert.ok(!verifyRequestSignature({ ...input, secret: 'other' }, expected));
  assert.ok(!verifyRequestSignature({ ...input, body: '{"a":2}', secret: 'secret' }, expected));
  assert.ok(!verifyRequestSignature({ ...input, secret: 'secret' }, expected.slice(1)));
  assert.ok(!verifyRequestSignature({ ...input, secret: 'secret' }, 'zz'.repeat(32)));
});

test('signedHeaders produces verifiable headers', () => {
  const h = signedHeaders({
    method: 'POST',
    path: '/x',
    body: 'b',
    secret: 's',
    deviceId: 'd',
    now: 1_700_000_000_500,
  });
  assert.equal(h['x-harrier-timestamp'], '1700000000');
  assert.equal(h['x-harrier-nonce']!.length, 32);
  assert.ok(
    verifyRequestSignature(
      {
        method: 'POST',
        path: '/x',
        body: 'b',
        secret: 's',
        timestamp: '1700000000',
        nonce: h['x-harrier-nonce']!,
      },
      h['x-harrier-signature']!,
    ),
  );
});

test('uuidv7 ids are well-formed and time-ordered', () => {
  const ids = Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000));
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const later = uuidv7(Date.now());
  assert.ok(uuidv7Time(later) >= Date.now() - 1000);
});
