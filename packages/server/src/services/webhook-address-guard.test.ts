import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebhookReceiver } from '../test-support/webhook-receiver.ts';
import { isRefusedAddress, parseWebhookUrl, resolveWebhookHost } from './webhook-address-guard.ts';
import { postWebhook } from './webhook-sender.ts';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

test('loopback, link-local, private, shared, multicast and mapped addresses are refused; public ones pass', () => {
  for (const a of [
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not-an-address',
  ]) {
    assert.ok(isRefusedAddress(a), a);
  }
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    assert.ok(!isRefusedAddress(a), a);
  }
});

test('a host is refused when any address it resolves to is private', async () => {
  const resolver = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ];
  await assert.rejects(resolveWebhookHost(new URL('https://hooks.example.com/x'), false, resolver), {
    code: 'webhook_address_refused',
    status: 400,
  });
  assert.equal((await resolveWebhookHost(new URL('https://hooks.example.com/x'), true, resolver)).length, 2);
  await assert.rejects(
    resolveWebhookHost(new URL('https://nowhere.invalid/'), false, async () => {
      throw new Error('ENOTFOUND');
    }),
    { code: 'webhook_host_unresolved' },
  );
  assert.throws(() => parseWebhookUrl('file:///etc/passwd'), { code: 'invalid_webhook_url' });
});

test('delivery resolves again and connects only to the address it checked (DNS rebinding)', async () => {
  const receiver = await WebhookReceiver.start();
  const port = new URL(receiver.url).port;
  try {
    // The name now resolves to the loopback receiver: refused without a connection.
    const rebound = await postWebhook(
      {
        url: `http://hooks.example.com:${port}/hook`,
        secret: 's',
        body: '{}',
        eventType: 'x',
        deliveryId: 'd',
        now: Date.now(),
      },
      { allowPrivate: false, timeoutMs: 5_000, resolver: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    assert.equal(rebound.ok, false);
    assert.match(rebound.error ?? '', /loopback, link-local or private/);
    assert.equal(receiver.received.length, 0);
    // Allowed, the connection goes to the resolved address while the Host header keeps the name.
    const allowed = await postWebhook(
      {
        url: `http://hooks.example.com:${port}/hook`,
        secret: 's',
        body: '{"a":1}',
        eventType: 'x',
        deliveryId: 'd',
        now: Date.now(),
      },
      { allowPrivate: true, timeoutMs: 5_000, resolver: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    assert.equal(allowed.ok, true, allowed.error);
    assert.equal(receiver.received[0]!.headers.host, `hooks.example.com:${port}`);
    // Redirects are not followed.
    receiver.statuses = [302];
    const redirected = await postWebhook(
      { url: receiver.url, secret: 's', body: '{}', eventType: 'x', deliveryId: 'd', now: Date.now() },
      { allowPrivate: true, timeoutMs: 5_000 },
    );
    assert.deepEqual([redirected.ok, redirected.status], [false, 302]);
  } finally {
    await receiver.close();
  }
});

test('signatures: HMAC-SHA256 over "<t>.<body>", refused when altered or older than the tolerance', () => {
  const header = signWebhookBody('whsec_k', 1_700_000_000, '{"x":1}');
  // Receivers compute the same with any HMAC library (documented in README).
  assert.equal(header, 't=1700000000,v1=415d6f415491739f8ffc4743d0d4ac8e90258a50d7b68af0a2817f4e92847eb3');
  assert.ok(verifyWebhookSignature('whsec_k', header, '{"x":1}', 1_700_000_100));
  assert.ok(!verifyWebhookSignature('whsec_k', header, '{"x":2}', 1_700_000_100));
  assert.ok(!verifyWebhookSignature('whsec_k', header, '{"x":1}', 1_700_000_301));
  assert.ok(!verifyWebhookSignature('whsec_k', 'garbage', '{"x":1}', 1_700_000_000));
  assert.ok(!verifyWebhookSignature('whsec_k', 't=1700000000,v1=zz', '{"x":1}', 1_700_000_000));
});
