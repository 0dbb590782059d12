/**
 * The real log shippers from Debian against a server started here: syslog-ng (http(),
 * elasticsearch-http(), syslog() and network() destinations) and systemd-journal-upload. They
 * run where installed (`.ci/run` installs them); under CI=true a missing binary fails the run.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { testStores } from '../test-support/databases.ts';
import {
  CLIENTS_DIR,
  captureBytes,
  eventually,
  shipperToken,
  storedEvents,
} from '../test-support/shipper-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const SYSLOG_NG = '/usr/sbin/syslog-ng';
const HTTP_MODULE = '/usr/lib/syslog-ng/3.38/libhttp.so';
const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';
const JOURNAL_UPLOAD = '/lib/systemd/systemd-journal-upload';

/** Skip only outside CI: under CI=true the shippers must be there (DESIGN.md §9). */
function missing(...paths: string[]): string | false {
  const absent = paths.filter((p) => !existsSync(p));
  if (absent.length === 0) return false;
  if (process.env.CI === 'true') return false;
  return `not installed: ${absent.join(', ')}`;
}

/** Debian ships elasticsearch-http() in syslog-ng-scl, which `.ci/run` does not install. */
const ES_SCL = '/usr/share/syslog-ng/include/scl/elasticsearch';

/**
 * syslog-ng's elasticsearch-http() where its SCL is installed; otherwise the http() block that
 * SCL expands to (same URL, body and headers, as in the captured requests).
 */
function esDestination(url: string, token: string): string {
  if (existsSync(ES_SCL)) {
    return `destination d_es {
  elasticsearch-http(url("${url}/_bulk") index("sng-test") type("") user("ingest") password("${token}")
                     batch-lines(10) batch-timeout(300));
};`;
  }
  return `destination d_es {
  http(url("${url}/_bulk") method("POST") user("ingest") password("${token}")
       headers("Content-Type: application/x-ndjson")
       body-suffix("\\n") delimiter("\\n") batch-lines(10) batch-timeout(300)
       body("{\\"index\\":{\\"_index\\":\\"sng-test\\"}}\\n$(format-json --scope rfc5424 --scope nv-pairs --exclude DATE --key ISODATE @timestamp=\${ISODATE})"));
};`;
}

function syslogNgConfig(dir: string, port: number, token: string, tcp: number, udp: number): string {
  const url = `http://127.0.0.1:${port}`;
  return `@version: 3.38
@include "scl.conf"
options { stats-freq(0); keep-hostname(yes); };
source s_lines { file("${dir}/lines.log" follow-freq(1)); };
source s_udp { file("${dir}/udp.log" follow-freq(1)); };
source s_audit { file("${dir}/audit.log" flags(no-parse) follow-freq(1)); };
source s_json { file("${dir}/events.jsonl" flags(no-parse) follow-freq(1)); };
${esDestination(url, token)}
destination d_tcp { syslog("127.0.0.1" transport("tcp") port(${tcp})); };
destination d_udp { network("127.0.0.1" transport("udp") port(${udp})); };
destination d_audit {
  http(url("${url}/api/v1/ingest/logs") method("POST") user-agent("syslog-ng") user("ingest") password("${token}")
       headers("Content-Type: text/plain") body("$MSG") delimiter("\\n") batch-lines(100) batch-timeout(300));
};
destination d_json {
  http(url("${url}/ingest/syslog-ng/raw") method("POST") user-agent("syslog-ng")
       headers("Content-Type: application/json", "Authorization: Bearer ${token}")
       body-prefix("[") delimiter(",") body-suffix("]") batch-lines(50) batch-timeout(300) body("$MSG"));
};
log { source(s_lines); destination(d_es); destination(d_tcp); };
log { source(s_udp); destination(d_udp); };
log { source(s_audit); destination(d_audit); };
log { source(s_json); destination(d_json); };
`;
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`real shippers on ${store.name}`, () => {
    let t: TestApp;
    let port: number;
    let token: string;
    let orgId: string;
    let syslogOrg: string;
    let dir: string;
    const children: ChildProcess[] = [];

    before(async () => {
      t = await startTestApp(store, {
        HARRIER_SYSLOG_TCP_PORT: '0',
        HARRIER_SYSLOG_UDP_PORT: '0',
        HARRIER_SYSLOG_DEFAULT_ORG: 'syslog-net',
      });
      await t.runtime.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.runtime.app.server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      ({ token, orgId } = await shipperToken(t));
      syslogOrg = (await t.runtime.ctx.identity.organizations.create({ slug: 'syslog-net', name: 'Syslog' }))
        .org.id;
      dir = mkdtempSync(join(tmpdir(), 'harrier-shippers-'));
    });
    after(async () => {
      // SIGTERM, then SIGKILL: journal-upload ignores SIGTERM while a request is in progress.
      await Promise.all(
        children.map((c) => {
          if (c.exitCode !== null || c.signalCode !== null) return undefined;
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
          return exited.finally(() => clearTimeout(kill));
        }),
      );
      await t.close();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('syslog-ng 3.38: elasticsearch-http(), http() arrays and lines, syslog() and network() deliver', {
      skip: missing(SYSLOG_NG, HTTP_MODULE),
      timeout: 90_000,
    }, async () => {
      for (const f of ['lines.log', 'udp.log', 'audit.log', 'events.jsonl']) writeFileSync(join(dir, f), '');
      const ports = t.runtime.syslog!.ports();
      writeFileSync(join(dir, 'syslog-ng.conf'), syslogNgConfig(dir, port, token, ports.tcp!, ports.udp!));
      let output = '';
      const child = spawn(
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
          '-c',
          join(dir, 'ctl'),
          '--no-caps',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      // syslog-ng is up when its control socket exists.
      await eventually(async () =>
        existsSync(join(dir, 'ctl')) || child.exitCode !== null ? true : undefined,
      );
      assert.equal(child.exitCode, null, output);

      appendFileSync(
        join(dir, 'lines.log'),
        'Nov 23 07:00:00 vm-sng sshd[123]: Accepted publickey for root from 127.0.0.3 port 51000 ssh2\n' +
          'Nov 23 07:00:01 vm-sng sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash\n',
      );
      appendFileSync(
        join(dir, 'udp.log'),
        'Nov 23 07:00:02 vm-udp sshd[9]: Failed password for bob from 10.0.0.8 port 4 ssh2\n',
      );
      appendFileSync(join(dir, 'audit.log'), captureBytes('auditd_enriched_sample.log'));
      const raw = JSON.parse(
        readFileSync(new URL('captures/http_requests.jsonl', CLIENTS_DIR), 'utf8')
          .split('\n')
          .map((l) => (l ? JSON.parse(l) : undefined))
          .find((r) => r?.url === '/ingest/syslog-ng/raw').body,
      ) as unknown[];
      appendFileSync(join(dir, 'events.jsonl'), `${raw.map((e) => JSON.stringify(e)).join('\n')}\n`);

      const db = t.runtime.ctx.database.db;
      const http = await eventually(async () => {
        const events = await storedEvents(db, orgId);
        const es = events.filter((e) => e.hostname === 'vm-sng');
        const audit = events.filter((e) => e.service === 'auditd' && e.category === 'process_creation');
        const windows = events.filter((e) => e.source === 'windows');
        return es.length >= 2 && audit.length >= 5 && windows.length >= raw.length
          ? { es, audit, windows }
          : undefined;
      }, 45_000).catch((error) => {
        throw new Error(`${(error as Error).message}\nsyslog-ng said:\n${output}`);
      });
      assert.deepEqual(http.es.map((e) => e.service).sort(), ['sshd', 'sudo']);
      assert.equal(http.es.find((e) => e.service === 'sudo')!.user_name, 'alice');
      assert.equal(http.audit.length, 5);
      assert.ok(http.audit.some((e) => e.command_line === '/bin/echo hello-audit'));
      assert.equal(http.windows.length, raw.length);

      const net = await eventually(async () => {
        await t.runtime.syslog!.drain();
        const events = await storedEvents(db, syslogOrg);
        return events.some((e) => e.hostname === 'vm-sng') && events.some((e) => e.hostname === 'vm-udp')
          ? events
          : undefined;
      }, 45_000);
      const tcp = net.filter((e) => e.hostname === 'vm-sng');
      assert.deepEqual(tcp.map((e) => e.service).sort(), ['sshd', 'sudo']);
      const udp = net.find((e) => e.hostname === 'vm-udp')!;
      assert.equal(udp.category, 'authentication');
      assert.equal(udp.user_name, 'bob');
    });

    test('systemd-journal-upload 252: chunked export-format upload with Expect: 100-continue', {
      skip: missing(JOURNAL_REMOTE, JOURNAL_UPLOAD),
      timeout: 60_000,
    }, async () => {
      const journal = join(dir, 'upload.journal');
      const exportText = readFileSync(new URL('journal-export-sample.txt', CLIENTS_DIR), 'utf8').replace(
        /_HOSTNAME=host1/g,
        '_HOSTNAME=journal-host',
      );
      execFileSync(JOURNAL_REMOTE, [`--output=${journal}`, '-'], {
        input: exportText,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      // Asynchronously: the server answering it runs in this process.
      const run = promisify(execFile);
      const upload = () =>
        run(
          JOURNAL_UPLOAD,
          [
            `--url=http://ingest:${token}@127.0.0.1:${port}`,
            `--file=${journal}`,
            `--save-state=${join(dir, 'state')}`,
            // One pass: by default it keeps waiting for new entries after the upload.
            '--follow=no',
          ],
          { timeout: 30_000, killSignal: 'SIGKILL' },
        );
      await upload();
      const db = t.runtime.ctx.database.db;
      const events = (await storedEvents(db, orgId)).filter((e) => e.hostname === 'journal-host');
      assert.deepEqual(
        events.map((e) => [e.source, e.service, e.category]),
        [
          ['journal', 'sshd', 'authentication'],
          ['journal', 'sudo', 'authentication'],
        ],
      );
      assert.equal(events[0]!.ts, 1700000000000);
      assert.equal(events[1]!.user_name, 'bob');
      // journal-upload saved its cursor only after our 202: the state file names the last entry.
      assert.match(readFileSync(join(dir, 'state'), 'utf8'), /LAST_CURSOR=s=.*;i=2;/);
      // Without the state file it sends everything again: the cursors make that a no-op.
      rmSync(join(dir, 'state'));
      await upload();
      assert.equal((await storedEvents(db, orgId)).filter((e) => e.hostname === 'journal-host').length, 2);
      // A wrong token is refused, and journal-upload reports the failure.
      await assert.rejects(
        run(
          JOURNAL_UPLOAD,
          [`--url=http://ingest:hat_wrong@127.0.0.1:${port}`, `--file=${journal}`, '--follow=no'],
          {
            timeout: 30_000,
            killSignal: 'SIGKILL',
          },
        ),
      );
    });

    test('systemd-journal-upload following a journal directory: one acknowledged POST per burst', {
      skip: missing(JOURNAL_REMOTE, JOURNAL_UPLOAD),
      timeout: 90_000,
    }, async () => {
      const jdir = mkdtempSync(join(dir, 'follow-'));
      const write = (name: string, host: string) =>
        execFileSync(JOURNAL_REMOTE, [`--output=${join(jdir, `${name}.journal`)}`, '-'], {
          input: `__REALTIME_TIMESTAMP=${Date.now()}000\n_HOSTNAME=${host}\nSYSLOG_IDENTIFIER=app\nMESSAGE=hello from ${host}\n\n`,
          stdio: ['pipe', 'ignore', 'pipe'],
        });
      write('first', 'follow-1');
      // The way it runs as a service: --follow (the default) waits for new entries after each upload.
      const child = spawn(
        JOURNAL_UPLOAD,
        [
          `--url=http://ingest:${token}@127.0.0.1:${port}`,
          `--directory=${jdir}`,
          `--save-state=${join(jdir, 'state')}`,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      const db = t.runtime.ctx.database.db;
      const hosts = async () =>
        (await storedEvents(db, orgId)).map((e) => e.hostname).filter((h) => h.startsWith('follow-'));
      await eventually(async () => ((await hosts()).includes('follow-1') ? true : undefined), 45_000);
      write('second', 'follow-2');
      await eventually(async () => ((await hosts()).includes('follow-2') ? true : undefined), 45_000);
      assert.deepEqual((await hosts()).sort(), ['follow-1', 'follow-2']);
      assert.equal(child.exitCode, null, 'still following');
      child.kill('SIGTERM');
    });
  });
}
