import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../test-support/cluster-fixtures.ts';
import { sqliteStore } from '../test-support/databases.ts';
import { shipperToken, storedEvents } from '../test-support/shipper-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const SYSLOG_NG = '/usr/sbin/syslog-ng';
const HTTP_MODULE = '/usr/lib/syslog-ng/3.38/libhttp.so';
const absent = [SYSLOG_NG, HTTP_MODULE].filter((p) => !existsSync(p));

// A real shipper against an overloaded server: syslog-ng's http() destination gets 503
// `overloaded` with Retry-After while detection does not keep up, retries, and every line is
// stored exactly once when the server catches up. (syslog-ng retries a batch `retries()` times,
// 3 by default, `time-reopen()` apart, 60 s by default; README's Scaling out says to raise both.)
describe('a log shipper under back-pressure', {
  skip: absent.length > 0 && process.env.CI !== 'true',
}, () => {
  const store = sqliteStore();
  let t: TestApp;
  let dir: string;
  let child: ChildProcess | undefined;
  before(async () => {
    t = await startTestApp(store, { HARRIER_MAX_PENDING_EVENTS: '1' });
    dir = mkdtempSync(join(tmpdir(), 'harrier-shipper-bp-'));
  });
  after(async () => {
    child?.kill('SIGKILL');
    await t.close();
    await store.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('syslog-ng http() retries 503 overloaded until its lines are stored, each once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.runtime.ctx.pipeline.subscribe(() => gate);
    await t.runtime.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.runtime.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const statuses: number[] = [];
    t.runtime.app.server.on('request', (_req, res) => res.on('finish', () => statuses.push(res.statusCode)));
    const { token, orgId } = await shipperToken(t);
    writeFileSync(join(dir, 'lines.log'), '');
    writeFileSync(
      join(dir, 'syslog-ng.conf'),
      `@version: 3.38
options { stats-freq(0); keep-hostname(yes); time-reopen(1); };
source s { file("${dir}/lines.log" flags(no-parse) follow-freq(1)); };
destination d {
  http(url("http://127.0.0.1:${port}/api/v1/ingest/logs") method("POST") user("ingest") password("${token}")
       headers("Content-Type: text/plain") body("$MSG") delimiter("\\n") batch-lines(5) batch-timeout(200)
       retries(1000));
};
log { source(s); destination(d); };
`,
    );
    let output = '';
    child = spawn(
      SYSLOG_NG,
      [
        '-F',
        '-e',
        '-f',
        join(dir, 'syslog-ng.conf'),
        '-R',
        join(dir, 'persist'),
        '-p',
        join(dir, 'pid'),
      ].concat(['-c', join(dir, 'ctl'), '--no-caps']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const lines = (tag: string) =>
      Array.from({ length: 5 }, (_, i) => `Nov 23 07:00:0${i} vm-bp sshd[${i}]: ${tag} line ${i}\n`).join('');
    const stored = async () => (await storedEvents(t.runtime.ctx.database.db, orgId)).length;
    const detail = async () => `(statuses ${statuses.join(',')}; stored ${await stored()})\n${output}`;

    await waitFor('syslog-ng to start', async () => existsSync(join(dir, 'ctl')) || child!.exitCode !== null);
    assert.equal(child.exitCode, null, output);
    appendFileSync(join(dir, 'lines.log'), lines('first'));
    await waitFor('the first batch to be stored', async () => (await stored()) === 5, 60_000, detail);
    // Detection still holds the first batch: the next ones are refused, and sent again.
    appendFileSync(join(dir, 'lines.log'), lines('second'));
    await waitFor(
      'two refusals of the second batch',
      async () => statuses.filter((s) => s === 503).length >= 2,
      60_000,
      detail,
    );
    assert.equal(await stored(), 5, 'a refused batch stores nothing');
    release();
    await waitFor('the retried batch to be stored', async () => (await stored()) === 10, 60_000, detail);
    await t.runtime.ctx.pipeline.idle();
    assert.equal(await stored(), 10, 'every line once');
  });
});
