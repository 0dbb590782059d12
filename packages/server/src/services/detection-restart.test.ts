import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { signedHeaders } from '@harrier/schema';
import { loadConfig } from '../config.ts';
import { readJson } from '../db/json-column.ts';
import { startRuntime } from '../runtime.ts';
import { testStores } from '../test-support/databases.ts';
import { makeUser } from '../test-support/identity-fixtures.ts';
import { startTestApp } from '../test-support/test-app.ts';

const RULES = `title: Failed su
id: 3a1f3b1e-5d7e-4c2b-9a41-0d3c2b1a0f01
name: failed_su
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endswith: /su
    CommandLine|contains: failed
  condition: selection
level: low
---
title: Repeated failed su by one user
id: 3a1f3b1e-5d7e-4c2b-9a41-0d3c2b1a0f02
correlation:
  type: event_count
  rules:
    - failed_su
  group-by:
    - User
  timespan: 10m
  condition:
    gte: 3
level: high
tags:
  - attack.credential-access
  - attack.t1110
`;

const ENV = {
  HARRIER_ADMIN_PASSWORD: 'correct horse battery staple',
  HARRIER_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  HARRIER_LOG_LEVEL: 'silent',
  HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000',
};

const failedSu = (i: number, base: number) => ({
  id: `su-${i}`,
  ts: new Date(base + i * 1000).toISOString(),
  type: 'process_start',
  logsource: { product: 'linux', category: 'process_creation' },
  fields: { Image: '/usr/bin/su', CommandLine: `su root (failed ${i})`, User: 'mallory' },
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`correlation across a restart on ${store.name}`, () => {
    after(() => store.cleanup());

    test('a correlation window that spans a restart still fires', async () => {
      const base = Date.now() - 60_000;
      const t = await startTestApp(store, ENV);
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      const token = (await makeUser(t, org.id, 'admin', 'corr.admin@example.test')).access;
      const device = await t.enroll('linux-corr');
      const imported = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/rules/import',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
        payload: RULES,
      });
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(imported.json().created, 2, imported.body);
      const first = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'corr-1',
        events: [failedSu(1, base), failedSu(2, base)],
      });
      assert.equal(first.statusCode, 200, first.body);
      await t.runtime.ctx.pipeline.idle();
      assert.equal((await t.runtime.ctx.detection.alerts.list({ orgId: org.id, limit: 10 })).length, 0);
      await t.close();

      // A second runtime on the same store: correlation state must come back from stored events.
      const runtime = await startRuntime(loadConfig({ ...store.env, ...ENV }), { logger: false });
      try {
        const body = Buffer.from(JSON.stringify({ batch_id: 'corr-2', events: [failedSu(3, base)] }));
        const res = await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: {
            'content-type': 'application/json',
            ...signedHeaders({
              method: 'POST',
              path: '/api/v1/ingest',
              body,
              secret: device.secret,
              deviceId: device.deviceId,
            }),
          },
          payload: body,
        });
        assert.equal(res.statusCode, 200, res.body);
        await runtime.ctx.pipeline.idle();
        const alerts = await runtime.ctx.detection.alerts.list({ orgId: org.id, limit: 10 });
        assert.equal(alerts.length, 1, JSON.stringify(alerts));
        const a = alerts[0]!;
        assert.equal(a.kind, 'correlation');
        assert.equal(a.rule_uid, '3a1f3b1e-5d7e-4c2b-9a41-0d3c2b1a0f02');
        assert.equal(a.severity, 'high');
        assert.match(JSON.stringify(readJson(a.details, {})), /mallory/);
        assert.equal(readJson<string[]>(a.matched_event_ids, []).length, 3);
      } finally {
        await runtime.close();
      }
    });
  });
}
