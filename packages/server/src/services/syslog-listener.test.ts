import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { testStores } from '../test-support/databases.ts';
import { captureBytes, eventually, storedEvents } from '../test-support/shipper-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const LOGGER = '/usr/bin/logger';

function sendTcp(port: number, chunks: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const c of chunks) {
        socket.write(c);
        await new Promise((r) => setTimeout(r, 5));
      }
      socket.end();
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

function sendUdp(port: number, datagrams: string[]): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    let left = datagrams.length;
    for (const d of datagrams) {
      socket.send(Buffer.from(d), port, '127.0.0.1', (error) => {
        if (error) reject(error);
        if (--left === 0) socket.close(() => resolve());
      });
    }
  });
}

/** Bytes split into pieces of `size`, so frames arrive across reads. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`syslog listeners on ${store.name}`, () => {
    let t: TestApp;
    let ports: { tcp: number; udp: number };
    let defaultOrg: string;
    let otherOrg: string;
    let otherToken: string;

    before(async () => {
      t = await startTestApp(store, {
        HARRIER_SYSLOG_TCP_PORT: '0',
        HARRIER_SYSLOG_UDP_PORT: '0',
        HARRIER_SYSLOG_ORG_MAP: 'web-*=other,10.99.*=other',
      });
      const p = t.runtime.syslog!.ports();
      ports = { tcp: p.tcp!, udp: p.udp! };
      defaultOrg = (await t.runtime.ctx.organizations.findBySlug('default'))!.id;
      // Created after start: the listener looks slugs up when it first needs them.
      const { org } = await t.runtime.ctx.identity.organizations.create({ slug: 'other', name: 'Other' });
      otherOrg = org.id;
      const ctx = t.runtime.ctx;
      const user = await ctx.identity.users.create(otherOrg, {
        email: 'syslog@other.test',
        password: 'a sufficiently long password',
        role: 'admin',
      });
      otherToken = (
        await ctx.identity.apiTokens.create(
          { userId: user.id, orgId: otherOrg, permissions: ['ingest:write'] },
          { name: 'syslog', permissions: ['ingest:write'] },
        )
      ).token;
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const settle = async (received: number) => {
      const syslog = t.runtime.syslog!;
      await eventually(async () => (syslog.stats.received >= received ? true : undefined));
      await syslog.drain();
      await t.runtime.ctx.pipeline.idle();
    };

    test('TCP: octet-counted RFC 5424 (rsyslog, syslog-ng) and newline-framed RFC 3164 on one connection', async () => {
      const bytes = Buffer.concat([
        captureBytes('rsyslog_omfwd_tcp_rfc5424_octet_counted.txt'),
        captureBytes('syslog-ng_syslog_rfc5424_octet_counted.txt'),
        captureBytes('syslog-ng_network_bsd.txt'),
      ]);
      const start = t.runtime.syslog!.stats.received;
      await sendTcp(ports.tcp, pieces(bytes, 37));
      await settle(start + 4);
      const events = (await storedEvents(t.runtime.ctx.database.db, defaultOrg)).filter(
        (e) => e.hostname === 'vm',
      );
      assert.deepEqual(events.map((e) => [e.service, e.category, e.source]).sort(), [
        ['sshd', 'authentication', 'syslog'],
        ['sshd', 'authentication', 'syslog'],
        ['sshd', 'authentication', 'syslog'],
        ['sudo', 'authentication', 'syslog'],
      ]);
      assert.equal(events.find((e) => e.service === 'sudo')!.ts, Date.parse('2026-11-23T07:51:59.737Z'));
    });

    test('UDP: rsyslog datagrams; hostnames and sender addresses map to organizations', async () => {
      const datagrams = captureBytes('rsyslog_omfwd_udp_bsd.txt')
        .toString()
        .split('\n<<DGRAM-END>>\n')
        .filter((d) => d.trim() !== '')
        .map((d) => d.replace(/ vm /, ' web-3 '));
      const start = t.runtime.syslog!.stats.received;
      await sendUdp(ports.udp, datagrams);
      await settle(start + 2);
      const events = await storedEvents(t.runtime.ctx.database.db, otherOrg);
      assert.deepEqual(events.map((e) => [e.hostname, e.service]).sort(), [
        ['web-3', 'sshd'],
        ['web-3', 'sudo'],
      ]);
    });

    test('a [harrier token=…] element picks the token’s organization and is not stored', async () => {
      const start = t.runtime.syslog!.stats.received;
      const msg = `<38>1 2026-11-23T09:00:00Z db-9 sshd 7 - [harrier@32473 token="${otherToken}" site="b"] Accepted password for carol from 10.1.1.1 port 5 ssh2\n`;
      const bad =
        '<38>1 2026-11-23T09:00:00Z db-9 sshd 7 - [harrier token="hat_nope"] Accepted password for eve from 10.1.1.1 port 5 ssh2\n';
      await sendTcp(ports.tcp, [Buffer.from(msg + bad)]);
      await settle(start + 2);
      const events = (await storedEvents(t.runtime.ctx.database.db, otherOrg)).filter(
        (e) => e.hostname === 'db-9',
      );
      assert.equal(events.length, 1, 'the message with an invalid token is dropped');
      assert.equal(events[0]!.user_name, 'carol');
      const row = await t.runtime.ctx.database.db
        .selectFrom('events')
        .select(['raw', 'fields'])
        .where('id', '=', events[0]!.id)
        .executeTakeFirstOrThrow();
      assert.ok(!String(row.raw).includes('hat_'), String(row.raw));
      assert.match(String(row.raw), /token="\[redacted\]"/);
      const stored = JSON.stringify(events[0]!.fields);
      assert.ok(!stored.includes('hat_'), stored);
      assert.ok(stored.includes('site'));
    });

    test('a corrupt TCP stream is closed; the listener keeps serving', async () => {
      const rejected = t.runtime.syslog!.stats.rejected;
      await sendTcp(ports.tcp, [Buffer.from('99999999 <13>1 …')]);
      await eventually(async () => (t.runtime.syslog!.stats.rejected > rejected ? true : undefined));
      const start = t.runtime.syslog!.stats.received;
      await sendTcp(ports.tcp, [Buffer.from('<13>Nov 23 10:00:00 ok-host app: still here\n')]);
      await settle(start + 1);
      const events = await storedEvents(t.runtime.ctx.database.db, defaultOrg);
      assert.ok(events.some((e) => e.hostname === 'ok-host'));
    });

    test('util-linux logger over TCP (octet counting, RFC 5424) and UDP (RFC 3164)', {
      skip: !existsSync(LOGGER) && process.env.CI !== 'true',
    }, async () => {
      const start = t.runtime.syslog!.stats.received;
      const common = ['-n', '127.0.0.1', '--id=4242', '-t', 'sshd'];
      // Asynchronously: the listener that must read it runs in this process.
      const run = promisify(execFile);
      await run(LOGGER, [
        ...common,
        '-T',
        '-P',
        String(ports.tcp),
        '--octet-count',
        '--rfc5424',
        'Failed password for invalid user logger-tcp from 10.2.2.2 port 22 ssh2',
      ]);
      await run(LOGGER, [
        ...common,
        '-d',
        '-P',
        String(ports.udp),
        '--rfc3164',
        'Failed password for invalid user logger-udp from 10.2.2.3 port 22 ssh2',
      ]);
      await settle(start + 2);
      const events = (await storedEvents(t.runtime.ctx.database.db, defaultOrg)).filter((e) =>
        ['logger-tcp', 'logger-udp'].includes(e.user_name ?? ''),
      );
      assert.equal(events.length, 2);
      assert.ok(events.every((e) => e.service === 'sshd' && e.category === 'authentication'));
    });
  });
}
