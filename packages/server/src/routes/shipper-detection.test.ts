import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { makeUser } from '../test-support/identity-fixtures.ts';
import { basicAuth, shipperToken } from '../test-support/shipper-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const RULES = new URL('../../../../../shared/corpus/rules/sigmahq/', import.meta.url);
const SUDO_RULE = 'rules-emerging-threats/2019/Exploits/CVE-2019-14287/lnx_sudo_exploit_cve_2019_14287.yml';
const SUDO_RULE_ID = '7fcc54cb-f27d-4684-84b7-436af096f858';
const SSHD_RULE = 'rules/linux/builtin/sshd/lnx_sshd_susp_ssh.yml';

/** Shipped logs reach detection like the agent's events: SigmaHQ rules raise alerts on them. */
for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`detection on shipped logs (${store.name})`, () => {
    let t: TestApp;
    let token: string;
    let access: string;

    before(async () => {
      t = await startTestApp(store, { HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000' });
      const shipper = await shipperToken(t);
      token = shipper.token;
      access = (await makeUser(t, shipper.orgId, 'admin', 'rules.admin@example.test')).access;
      for (const file of [SUDO_RULE, SSHD_RULE]) {
        const rule = await api('POST', '/api/v1/rules', { yaml: readFileSync(new URL(file, RULES), 'utf8') });
        assert.equal(rule.statusCode, 201, rule.body);
      }
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    function api(method: 'GET' | 'POST', url: string, body?: unknown) {
      return t.runtime.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${access}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
    }
    const alertsOf = async (ruleId: string) => {
      await t.runtime.ctx.pipeline.idle();
      const res = await api('GET', `/api/v1/alerts?rule_id=${ruleId}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Array<Record<string, unknown>>;
    };

    test('a sudo line from rsyslog omelasticsearch raises the CVE-2019-14287 alert', async () => {
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/_bulk',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: basicAuth(token) },
        payload: `{"index":{"_index": "rsyslog-test","_type":"events"}}\n{"@timestamp":"${new Date().toISOString()}", "host":"web7", "severity":"notice", "facility":"authpriv", "program":"sudo", "message":"mallory : TTY=pts\\/3 ; PWD=\\/tmp ; USER=#-1 ; COMMAND=\\/usr\\/bin\\/id"}\n\n`,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().errors, false);
      assert.equal((await alertsOf(SUDO_RULE_ID)).length, 1);
    });

    test('an sshd line from systemd-journal-upload matches the SigmaHQ sshd keyword rule', async () => {
      const now = Date.now() * 1000;
      const body = `__CURSOR=s=1;i=9\n__REALTIME_TIMESTAMP=${now}\n_HOSTNAME=bastion\nSYSLOG_IDENTIFIER=sshd\n_PID=77\nPRIORITY=3\nMESSAGE=Corrupted MAC on input.\n\n`;
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/upload',
        headers: { 'content-type': 'application/vnd.fdo.journal', authorization: basicAuth(token) },
        payload: body,
      });
      assert.equal(res.statusCode, 202, res.body);
      const sshdRule = /^id: (\S+)/m.exec(readFileSync(new URL(SSHD_RULE, RULES), 'utf8'))![1]!;
      assert.equal((await alertsOf(sshdRule)).length, 1);
    });
  });
}
