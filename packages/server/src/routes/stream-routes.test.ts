import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { sendHeartbeat } from '../test-support/management-fixtures.ts';

interface Feed {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  /** Resolves with the first message (already received or to come) that matches. */
  next(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Opens the live feed with the given headers; rejects with the HTTP status when the upgrade is refused. */
function openFeed(url: string, headers: Record<string, string>): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: Array<Record<string, unknown>> = [];
    let waiters: Array<{
      match: (m: Record<string, unknown>) => boolean;
      resolve: (m: Record<string, unknown>) => void;
    }> = [];
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(m);
      const hit = waiters.filter((w) => w.match(m));
      waiters = waiters.filter((w) => !w.match(m));
      for (const w of hit) w.resolve(m);
    });
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        next(match) {
          const found = messages.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((r) => waiters.push({ match, resolve: r }));
        },
      }),
    );
  });
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`the live feed (GET /api/v1/stream) on ${store.name}`, () => {
    let w: IdentityWorld;
    let url: string;
    let origin: string;
    before(async () => {
      w = await startIdentityWorld(store);
      await w.t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (w.t.runtime.app.server.address() as AddressInfo).port;
      origin = `http://127.0.0.1:${port}`;
      url = `ws://127.0.0.1:${port}/api/v1/stream`;
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    test('refuses a connection without credentials, with a bad token, or by cookie from another origin', async () => {
      await assert.rejects(openFeed(url, {}), /HTTP 401/);
      await assert.rejects(openFeed(url, { authorization: 'Bearer nonsense' }), /HTTP 401/);
      const cookie = `harrier_access=${w.users.analyst.access}`;
      await assert.rejects(openFeed(url, { cookie, origin: 'https://evil.example' }), /HTTP 403/);
      const same = await openFeed(url, { cookie, origin });
      assert.equal((await same.next((m) => m.type === 'hello')).organization_id, w.orgId);
      same.socket.close();
    });

    test('an alert raised by a signed ingest batch reaches its organization and no other', async () => {
      const mine = await openFeed(url, { authorization: `Bearer ${w.users.read_only.access}` });
      const theirs = await openFeed(url, { authorization: `Bearer ${w.otherAdmin.access}` });
      const hello = await mine.next((m) => m.type === 'hello');
      assert.equal(hello.organization_id, w.orgId);
      assert.ok(Number(hello.ping_interval_ms) > 0);
      await theirs.next((m) => m.type === 'hello');

      const device = await w.t.enroll('feed-01');
      const res = await w.t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'feed-1',
        events: [
          {
            ts: new Date().toISOString(),
            type: 'log',
            severity: 'CRITICAL',
            title: 'Ransom note dropped',
            fields: { msg: 'x' },
          },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const alert = await mine.next((m) => m.type === 'alert.created');
      const data = alert.data as Record<string, unknown>;
      assert.equal(data.title, 'Ransom note dropped');
      assert.equal(data.severity, 'critical');
      assert.equal(data.deviceId, device.deviceId);
      const stored = await w.request('GET', `/api/v1/alerts/${alert.subject_id}`, {
        token: w.users.read_only.access,
      });
      assert.equal(stored.statusCode, 200, stored.body);

      // A device coming online is pushed too (the status job's next pass sees its heartbeat).
      await sendHeartbeat(w.t, device);
      const changes = await w.t.runtime.ctx.notifications.deviceStatus.pass();
      assert.deepEqual(changes, [{ deviceId: device.deviceId, status: 'online' }]);
      const online = await mine.next((m) => m.type === 'device.status');
      assert.equal(online.subject_id, device.deviceId);
      assert.equal((online.data as Record<string, unknown>).status, 'online');

      assert.match((await w.request('GET', '/metrics')).body, /harrier_stream_connections 2/);
      // The client may ping; the answer comes on the same socket.
      mine.socket.send('ping');
      await mine.next((m) => m.type === 'pong');

      await w.t.runtime.ctx.pipeline.idle();
      await w.t.runtime.ctx.domainEvents.idle();
      assert.deepEqual(
        theirs.messages.map((m) => m.type),
        ['hello'],
      );
      mine.socket.close();
      theirs.socket.close();
    });
  });
}

describe('the live feed ends when its credential is revoked', () => {
  const store = testStores()[0]!();
  let w: IdentityWorld;
  before(async () => {
    w = await startIdentityWorld(store, { HARRIER_STREAM_PING_SECONDS: '1' });
    await w.t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await w.t.close();
    await store.cleanup();
  });

  test('a logout closes the open feed with 4401 at the next keepalive', async () => {
    const port = (w.t.runtime.app.server.address() as AddressInfo).port;
    const feed = await openFeed(`ws://127.0.0.1:${port}/api/v1/stream`, {
      authorization: `Bearer ${w.users.analyst.access}`,
    });
    const closed = new Promise<number>((resolve) => feed.socket.on('close', (code) => resolve(code)));
    assert.equal((await feed.next((m) => m.type === 'ping')).type, 'ping');
    const out = await w.request('POST', '/api/v1/auth/logout', { token: w.users.analyst.access });
    assert.ok(out.statusCode < 300, out.body);
    assert.equal(await closed, 4401);
  });
});
