import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { makeUser } from '../test-support/identity-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const intelFixture = (name: string) =>
  readFileSync(new URL(`../services/fixtures/intel/${name}`, import.meta.url), 'utf8');

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`threat intelligence on ${store.name}`, () => {
    let t: TestApp;
    let token: string;
    let otherToken: string;
    let device: { deviceId: string; secret: string; orgId: string };
    let batch = 0;

    before(async () => {
      t = await startTestApp(store, { HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000' });
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      token = (await makeUser(t, org.id, 'admin', 'intel.admin@example.test')).access;
      const { org: other } = await t.runtime.ctx.identity.organizations.create({
        name: 'Other',
        slug: 'other-intel',
      });
      otherToken = (await makeUser(t, other.id, 'admin', 'intel.other@example.test')).access;
      device = await t.enroll('intel-host');
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      type?: string,
      bearer = token,
    ) =>
      t.runtime.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const ingest = async (events: unknown[]) => {
      const res = await t.signed(device, 'POST', '/api/v1/ingest', { batch_id: `intel-${++batch}`, events });
      assert.equal(res.statusCode, 200, res.body);
      await t.runtime.ctx.pipeline.idle();
      return res.json() as { accepted: number };
    };
    const alerts = async (query: string) => {
      const res = await api('GET', `/api/v1/alerts?${query}&limit=200`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Array<Record<string, unknown>>;
    };

    test('indicators: create, read, change (severity, source, expiry, active), delete; org boundary', async () => {
      const created = await api('POST', '/api/v1/iocs', {
        type: 'email',
        value: 'CEO@Fraud.Example',
        severity: 'medium',
        source: 'analyst',
        expires_at: '2099-01-01T00:00:00Z',
      });
      assert.equal(created.statusCode, 201, created.body);
      const ioc = created.json();
      assert.equal(ioc.value, 'ceo@fraud.example');
      assert.equal(ioc.expires_at, '2099-01-01T00:00:00.000Z');
      assert.equal(
        (await api('POST', '/api/v1/iocs', { type: 'email', value: 'ceo@fraud.example' })).statusCode,
        409,
      );
      const bad = await api('POST', '/api/v1/iocs', { type: 'ip', value: '300.1.1.1' });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.equal(
        (await api('POST', '/api/v1/iocs', { type: 'ip', value: '1.2.3.4', severity: 'huge' })).statusCode,
        400,
      );
      const patched = await api('PATCH', `/api/v1/iocs/${ioc.id}`, {
        severity: 'critical',
        active: false,
        expires_at: null,
        description: 'wire fraud',
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().severity, 'critical');
      assert.equal(patched.json().active, false);
      assert.equal(patched.json().expires_at, null);
      assert.equal((await api('GET', `/api/v1/iocs/${ioc.id}`)).json().description, 'wire fraud');
      assert.equal(
        (await api('GET', `/api/v1/iocs/${ioc.id}`, undefined, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal(
        (await api('PATCH', `/api/v1/iocs/${ioc.id}`, { active: true }, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal(
        (await api('DELETE', `/api/v1/iocs/${ioc.id}`, undefined, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal((await api('DELETE', `/api/v1/iocs/${ioc.id}`)).statusCode, 204);
      assert.equal((await api('GET', `/api/v1/iocs/${ioc.id}`)).statusCode, 404);
    });

    test('file uploads: STIX bundle, MISP export, CSV and plain lists with per-item results', async () => {
      const stix = await api('POST', '/api/v1/iocs/import', intelFixture('stix-bundle.json'));
      assert.equal(stix.statusCode, 200, stix.body);
      const s = stix.json();
      assert.equal(s.imported, 6);
      assert.equal(s.created, 6);
      assert.equal(s.rejected, 1);
      assert.equal(s.skipped, 2);
      assert.deepEqual(
        s.items.map((i: { line: number; status: string }) => `${i.line}:${i.status}`),
        [
          '2:created',
          '3:created',
          '3:created',
          '4:created',
          '4:created',
          '5:created',
          '6:rejected',
          '7:skipped',
          '8:skipped',
        ],
      );
      const misp = await api('POST', '/api/v1/iocs/import?format=misp', intelFixture('misp-event.json'));
      assert.equal(misp.statusCode, 200, misp.body);
      const m = misp.json();
      // 198.51.100.23, billing@phish.example and the SHA-256 came with the STIX bundle already.
      assert.equal(m.imported, 8);
      assert.equal(m.refreshed, 3);
      assert.equal(m.items.find((i: { line: number }) => i.line === 10).status, 'rejected');
      assert.equal(m.items.find((i: { line: number }) => i.line === 9).status, 'skipped');
      const csv = await api('POST', '/api/v1/iocs/import', intelFixture('indicators.csv'), 'text/csv');
      assert.equal(csv.statusCode, 200, csv.body);
      assert.equal(csv.json().rejected, 1);
      const txt = await api(
        'POST',
        '/api/v1/iocs/import?source=plain',
        intelFixture('indicators.txt'),
        'text/plain',
      );
      assert.equal(txt.statusCode, 200, txt.body);
      assert.equal(txt.json().imported, 6);
      const unreadable = await api('POST', '/api/v1/iocs/import?format=stix', '{"objects": 3}');
      assert.equal(unreadable.statusCode, 400, unreadable.body);
      const hit = (await api('GET', '/api/v1/iocs?type=ip&q=198.51.100.23')).json().items[0];
      // Each import refreshes what it lists: the plain list came last, with its defaults.
      assert.equal(hit.severity, 'high');
      assert.equal(hit.source, 'plain');
      assert.equal(
        (await api('GET', '/api/v1/iocs', undefined, undefined, otherToken)).json().items.length,
        0,
      );
    });

    test('matching at ingest annotates the stored event and raises one alert per indicator per window', async () => {
      await api('POST', '/api/v1/iocs', { type: 'domain', value: 'window.example', severity: 'high' });
      const dns = (i: number) => ({
        ts: new Date(Date.now() - 5000 + i).toISOString(),
        type: 'dns_query',
        fields: { QueryName: `h${i}.window.example` },
        severity: 'low',
      });
      await ingest([dns(1), dns(2)]);
      await ingest([dns(3)]);
      const raised = await alerts('kind=ioc');
      const mine = raised.filter((a) => a.title === 'IOC match: window.example');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.count, 3);
      const detail = await api('GET', `/api/v1/alerts/${mine[0]!.id}`);
      const eventId = (detail.json().matched_event_ids ??
        detail.json().events?.map((e: { id: string }) => e.id))[0];
      const event = (await api('GET', `/api/v1/events/${eventId}`)).json();
      assert.equal(event.fields.ioc_match, true);
      assert.equal(event.fields.ioc_matches[0].value, 'window.example');
      assert.equal(event.fields.ioc_matches[0].field, 'QueryName');
      assert.equal(event.severity, 'high');
    });
  });
}
