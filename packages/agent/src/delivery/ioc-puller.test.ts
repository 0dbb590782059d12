import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addDevice, type FakeServer, startFakeServer } from '../test-support/fake-server.ts';
import { Backoff } from './backoff.ts';
import { IOCS_PATH, IocPuller, parseIndicators } from './ioc-puller.ts';
import { SignedClient } from './signed-client.ts';

const MIN = 60_000;

describe('indicator puller', () => {
  let server: FakeServer;
  let client: SignedClient;
  let dir: string;
  before(async () => {
    server = await startFakeServer();
    client = new SignedClient(server.url, addDevice(server.store));
    dir = await mkdtemp(join(tmpdir(), 'harrier-iocs-'));
  });
  after(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const puller = (name: string) =>
    new IocPuller(client, {
      intervalMs: () => 30 * MIN,
      statePath: join(dir, `${name}.json`),
      backoff: new Backoff(1000, 8000, () => 0),
    });

  it('pulls at start and every interval, keeps the list on disk, and matches after a restart without network', async () => {
    server.store.iocs = [
      { id: 'a', type: 'ip', value: '203.0.113.7', severity: 'high', expires_at: null },
      { id: 'b', type: 'cidr', value: '198.51.100.0/24', severity: 'low', expires_at: null },
      // Not a network indicator, malformed, or with a value that is not of its type: left out.
      { id: 'c', type: 'hash', value: 'a'.repeat(64), severity: 'high' },
      { id: 'd', type: 'ip', value: 'not-an-ip', severity: 'high' },
      { type: 'ip', value: '192.0.2.1' },
    ];
    const p = puller('a');
    const t0 = 1_000_000;
    assert.equal(p.due(t0), true);
    assert.deepEqual(await p.pull(t0), { outcome: 'pulled', indicators: 2 });
    assert.equal(p.matcher(t0).match({ DestinationIp: '198.51.100.9' })[0]?.indicator.id, 'b');
    assert.equal(p.due(t0 + 29 * MIN), false);
    assert.equal(p.msUntilDue(t0), 30 * MIN);

    const offline = new IocPuller(new SignedClient('http://127.0.0.1:9', addDevice(server.store)), {
      intervalMs: () => 30 * MIN,
      statePath: join(dir, 'a.json'),
      backoff: new Backoff(1000, 8000, () => 0),
    });
    await offline.load(t0);
    const r = await offline.pull(t0);
    assert.equal(r.outcome, 'retry');
    assert.equal(offline.matcher(t0).match({ DestinationIp: '203.0.113.7' })[0]?.indicator.id, 'a');
  });

  it('backs off on 503 (at least Retry-After) and keeps the previous list', async () => {
    server.store.iocs = [{ id: 'a', type: 'ip', value: '203.0.113.7', severity: 'high', expires_at: null }];
    const p = puller('b');
    const t0 = 2_000_000;
    await p.pull(t0);
    server.store.failures.push({ path: IOCS_PATH, status: 503, times: 1, headers: { 'retry-after': '20' } });
    const t1 = t0 + 30 * MIN;
    const first = await p.pull(t1);
    assert.deepEqual(first, { outcome: 'retry', waitMs: 20_000, reason: 'HTTP 503 http_503' });
    assert.equal(p.due(t1 + 19_999), false, 'not before Retry-After');
    assert.equal(p.due(t1 + 20_000), true);
    server.store.failures.push({ path: IOCS_PATH, status: 500, times: 2 });
    assert.equal((await p.pull(t1 + 20_000)).outcome, 'retry');
    assert.equal((await p.pull(t1 + 21_000)).outcome, 'retry');
    assert.equal(p.backoff.attempts, 3, 'each failure widens the backoff');
    assert.equal(p.stats.failures, 3);
    assert.equal(p.matcher(t1).size, 1, 'the previous list still applies');
    assert.deepEqual(await p.pull(t1 + 60_000), { outcome: 'pulled', indicators: 1 });
    assert.equal(p.backoff.attempts, 0);
  });

  it('drops indicators as they expire, and pauses an hour on a server without the endpoint', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const list = parseIndicators({
      indicators: [
        {
          id: 'x',
          type: 'domain',
          value: 'Evil.Example',
          severity: 'medium',
          expires_at: '2026-11-23T10:05:00Z',
        },
      ],
    });
    assert.deepEqual(list, [
      {
        id: 'x',
        type: 'domain',
        value: 'evil.example',
        severity: 'medium',
        source: null,
        expiresAt: now + 5 * MIN,
      },
    ]);
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify({ indicators: list.map((i) => ({ ...i, expires_at: '2026-11-23T10:05:00Z' })) }),
    );
    const p = puller('c');
    await p.load(now);
    assert.equal(p.matcher(now).match({ QueryName: 'a.evil.example' }).length, 1);
    assert.equal(p.matcher(now + 5 * MIN).size, 0);

    server.store.iocs = undefined;
    assert.deepEqual(await p.pull(now), { outcome: 'unsupported' });
    assert.equal(p.msUntilDue(now), 60 * MIN);
  });
});
