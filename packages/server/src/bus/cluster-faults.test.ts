import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  alertingBatch,
  CuttableProxy,
  clusterSchema,
  PrivateNats,
  type SendTally,
  sendUntilAcknowledged,
  testNatsUrl,
  waitFor,
} from '../test-support/cluster-fixtures.ts';
import { testPostgresUrl } from '../test-support/databases.ts';
import { type ServerProcess, startServer } from '../test-support/server-process.ts';
import { enroll } from '../test-support/signed-client.ts';

// Real processes, real NATS JetStream and PostgreSQL. Every test counts the events
// acknowledged to the sender and finds exactly as many stored, and exactly one alert
// (with a count of one) per event: nothing lost, nothing duplicated or counted twice.
const pgUrl = testPostgresUrl();
const natsUrl = testNatsUrl();
const BATCH = 50;

function baseEnv(schema: string, nats: string, databaseUrl = pgUrl!): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    HARRIER_PG_SCHEMA: schema,
    HARRIER_NATS_URL: nats,
    HARRIER_NATS_PARTITIONS: '4',
    HARRIER_SECRET: 'cluster-test-secret-cluster-test-secret-0123',
    HARRIER_ADMIN_PASSWORD: 'cluster-test-password',
    HARRIER_DECISION_INTERVAL: '0',
  };
}

function tally(): SendTally {
  return { acknowledged: 0, refused: new Map() };
}

describe('scale-out over NATS JetStream', { skip: !pgUrl || !natsUrl }, () => {
  const started: ServerProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const start = async (env: Record<string, string>, role: string) => {
    const p = await startServer(env, ['--role', role]);
    started.push(p);
    return p;
  };
  const outputs = () => started.map((p) => p.output().slice(-3000)).join('\n---\n');
  after(async () => {
    for (const p of started) await p.stop('SIGKILL', 10_000);
    for (const c of cleanups) await c().catch(() => undefined);
  });

  test('roles in separate processes; a detection worker killed mid-stream loses and duplicates nothing', async () => {
    const db = clusterSchema(pgUrl!);
    cleanups.push(() => db.drop(natsUrl));
    const env = baseEnv(db.schema, natsUrl!);
    // The API process first: it migrates and bootstraps the schema the others share.
    const api = await start(env, 'api');
    assert.match(api.output(), /role api/);
    const ingest = await start(env, 'ingest');
    const detectA = await start(env, 'detect');
    const detectB = await start(env, 'detect');
    // Several devices, so that both workers' partitions carry events.
    const devices = await Promise.all(
      Array.from({ length: 8 }, (_, i) => enroll(api.url, api.enrollmentKey!, `cluster-kill-${i}`)),
    );
    const partitionsOf = async (p: ServerProcess) =>
      /^harrier_detect_partitions (\d+)$/m.exec(await (await fetch(`${p.url}/metrics`)).text())?.[1];
    await waitFor(
      'the two workers to share the partitions',
      async () => (await partitionsOf(detectA)) === '2' && (await partitionsOf(detectB)) === '2',
    );
    const sent = tally();
    const batches = 40;
    for (let b = 0; b < batches; b++) {
      if (b === 15) detectA.child.kill('SIGKILL');
      const device = devices[b % devices.length]!;
      await sendUntilAcknowledged(() => ingest.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    assert.equal(sent.acknowledged, batches * BATCH);
    // The killed worker's partitions are claimed by the other after its lease runs out, and
    // what it had not acknowledged is redelivered.
    await waitFor('every acknowledged event to be stored and alerted', async () => {
      const c = await db.counts();
      return c.events === sent.acknowledged && c.alerts >= sent.acknowledged;
    });
    const c = await db.counts();
    assert.equal(c.events, sent.acknowledged);
    assert.equal(c.alerts, sent.acknowledged, 'one alert per event: none lost, none duplicated');
    assert.equal(c.matches, sent.acknowledged, 'no alert counted a redelivered event twice');
    assert.ok(detectB.child.exitCode === null, 'the surviving worker still runs');
    assert.equal(await partitionsOf(detectB), '4', 'the survivor consumes every partition');
    assert.match(await (await fetch(`${detectB.url}/metrics`)).text(), /^harrier_bus_connected 1$/m);
  });

  test('NATS restarted: ingest refuses meanwhile (503 bus_unavailable) and recovers, nothing acknowledged lost', async () => {
    const nats = await PrivateNats.start();
    cleanups.push(() => nats.cleanup());
    const db = clusterSchema(pgUrl!);
    cleanups.push(() => db.drop());
    const env = baseEnv(db.schema, nats.url);
    const all = await start(env, 'all');
    const device = await enroll(all.url, all.enrollmentKey!, 'cluster-nats');
    const sent = tally();
    for (let b = 0; b < 10; b++) {
      await sendUntilAcknowledged(() => all.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    await nats.stop();
    // While NATS is down, batches are refused, never acknowledged.
    const { postSigned } = await import('../test-support/signed-client.ts');
    let refused: { status: number; body: string } | undefined;
    await waitFor('a refusal while NATS is down', async () => {
      refused = await postSigned(all.url, '/api/v1/ingest', device, alertingBatch(1000, BATCH));
      if (refused.status === 200) sent.acknowledged += BATCH;
      return refused.status === 503;
    });
    assert.equal(JSON.parse(refused!.body).error.code, 'bus_unavailable');
    await waitFor('/ready to fail', async () => (await fetch(`${all.url}/ready`)).status === 503);
    await nats.restart();
    await waitFor('/ready to pass', async () => (await fetch(`${all.url}/ready`)).status === 200);
    for (let b = 10; b < 20; b++) {
      await sendUntilAcknowledged(() => all.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    // The refused batch sent again (the sender's retry) is stored once.
    await sendUntilAcknowledged(() => all.url, device, alertingBatch(1000, BATCH), BATCH, sent);
    await waitFor('every acknowledged event to be stored and alerted', async () => {
      const c = await db.counts();
      return c.alerts >= 21 * BATCH;
    });
    const c = await db.counts();
    // Batch 1000 may have been acknowledged before NATS was seen down: sent twice, stored once.
    assert.equal(c.events, 21 * BATCH);
    assert.equal(c.alerts, 21 * BATCH);
    assert.equal(c.matches, 21 * BATCH);
  });

  test('PostgreSQL unreachable for a while: /ready fails, ingest refuses, nothing acknowledged lost', async () => {
    const pgTarget = new URL(pgUrl!);
    const proxy = await CuttableProxy.start(pgTarget.hostname, Number(pgTarget.port || 5432));
    cleanups.push(() => proxy.close());
    const db = clusterSchema(pgUrl!);
    cleanups.push(() => db.drop(natsUrl));
    const viaProxy = new URL(pgUrl!);
    viaProxy.port = String(proxy.port);
    const all = await start(baseEnv(db.schema, natsUrl!, viaProxy.toString()), 'all');
    const device = await enroll(all.url, all.enrollmentKey!, 'cluster-pg');
    const sent = tally();
    for (let b = 0; b < 5; b++) {
      await sendUntilAcknowledged(() => all.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    proxy.cut();
    await waitFor('/ready to fail', async () => (await fetch(`${all.url}/ready`)).status === 503);
    const { postSigned } = await import('../test-support/signed-client.ts');
    const refused = await postSigned(all.url, '/api/v1/ingest', device, alertingBatch(5, BATCH));
    assert.equal(refused.status, 503, refused.body);
    // Sent again until the store is back: acknowledged once it is committed.
    const retried = sendUntilAcknowledged(() => all.url, device, alertingBatch(5, BATCH), BATCH, sent);
    await new Promise((r) => setTimeout(r, 3_000));
    proxy.restore();
    await retried;
    for (let b = 6; b < 10; b++) {
      await sendUntilAcknowledged(() => all.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    await waitFor('/ready to pass', async () => (await fetch(`${all.url}/ready`)).status === 200);
    await waitFor(
      'every acknowledged event to be stored and alerted',
      async () => (await db.counts()).alerts >= sent.acknowledged,
      180_000,
      async () => `(acknowledged ${sent.acknowledged}, ${JSON.stringify(await db.counts())})\n${outputs()}`,
    );
    const c = await db.counts();
    assert.equal(sent.acknowledged, 10 * BATCH);
    assert.equal(c.events, sent.acknowledged);
    assert.equal(c.alerts, sent.acknowledged);
    assert.equal(c.matches, sent.acknowledged);
  });

  test('a slow consumer: the stream fills, ingest answers 503 overloaded, and catches up once detection runs', async () => {
    const db = clusterSchema(pgUrl!);
    cleanups.push(() => db.drop(natsUrl));
    // A small stream and, at first, no detection worker at all.
    const env = { ...baseEnv(db.schema, natsUrl!), HARRIER_NATS_STREAM_MAX_BYTES: '60000' };
    const ingest = await start(env, 'ingest');
    const device = await enroll(ingest.url, ingest.enrollmentKey!, 'cluster-slow');
    const sent = tally();
    const { postSigned } = await import('../test-support/signed-client.ts');
    let b = 0;
    let overloaded: { status: number; body: string } | undefined;
    await waitFor('ingest to refuse with overloaded', async () => {
      const res = await postSigned(ingest.url, '/api/v1/ingest', device, alertingBatch(b, BATCH));
      if (res.status === 200) {
        sent.acknowledged += BATCH;
        b++;
        return false;
      }
      overloaded = res;
      return true;
    });
    assert.equal(overloaded!.status, 503);
    assert.equal(JSON.parse(overloaded!.body).error.code, 'overloaded');
    await start(env, 'detect');
    // The refused batch and a few more go through once the worker drains the stream.
    for (const end = b + 5; b < end; b++) {
      await sendUntilAcknowledged(() => ingest.url, device, alertingBatch(b, BATCH), BATCH, sent);
    }
    await waitFor(
      'every acknowledged event to be stored and alerted',
      async () => (await db.counts()).alerts >= sent.acknowledged,
      180_000,
      async () => `(acknowledged ${sent.acknowledged}, ${JSON.stringify(await db.counts())})\n${outputs()}`,
    );
    const c = await db.counts();
    assert.equal(c.events, sent.acknowledged);
    assert.equal(c.alerts, sent.acknowledged);
    assert.equal(c.matches, sent.acknowledged);
  });
});
