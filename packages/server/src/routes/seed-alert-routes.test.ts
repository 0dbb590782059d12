import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert } from '../test-support/management-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`seed alert routes on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const analyst = () => w.users.analyst.access;
    const admin = () => w.users.admin.access;
    const event = (body: unknown, token = analyst()) => w.request('POST', '/api/events/', { token, body });
    const settle = () => w.t.runtime.ctx.pipeline.idle();

    test('seed 003: events, auto-alerts for HIGH and CRITICAL, validation as DRF answers it', async () => {
      assert.equal((await w.request('POST', '/api/events/', { body: {} })).statusCode, 401);
      const low = await event({ source: 'fw', event_type: 'scan', severity: 'LOW', description: 'low one' });
      assert.equal(low.statusCode, 201, low.body);
      assert.deepEqual(Object.keys(low.json()).sort(), [
        'description',
        'event_type',
        'id',
        'severity',
        'source',
        'timestamp',
      ]);
      assert.equal(low.json().severity, 'LOW');
      const crit = await event({
        source: 'edr',
        event_type: 'malware',
        severity: 'CRITICAL',
        description: 'Ransomware <script>x</script> on FIN-01',
      });
      assert.equal(crit.statusCode, 201);
      await settle();
      const list = await w.request('GET', '/api/alerts/', { token: analyst() });
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().count, 1, 'only the critical event raised an alert');
      const a = list.json().results[0];
      assert.deepEqual(Object.keys(a).sort(), ['created_at', 'event', 'event_details', 'id', 'status']);
      assert.equal(a.status, 'OPEN');
      assert.equal(a.event, crit.json().id);
      assert.deepEqual(a.event_details, { ...crit.json() });

      const bad = await event({ source: 'x', event_type: 'y', severity: 'SEVERE', description: 'd' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json(), { severity: ['"SEVERE" is not a valid choice.'] });
      const long = await event({
        source: 's'.repeat(101),
        event_type: 'y',
        severity: 'LOW',
        description: 'd',
      });
      assert.deepEqual(Object.keys(long.json()), ['source']);
      const missing = await event({ source: 'x', severity: 'LOW' });
      assert.deepEqual(Object.keys(missing.json()).sort(), ['description', 'event_type']);
      const big = await event({
        source: 'x',
        event_type: 'y',
        severity: 'LOW',
        description: 'd'.repeat(10_000),
      });
      assert.equal(big.statusCode, 201);
      const xml = await w.request('POST', '/api/events/', {
        token: analyst(),
        headers: { 'content-type': 'application/xml' },
      });
      assert.equal(xml.statusCode, 415);
      assert.equal((await w.request('GET', '/api/events/', { token: analyst() })).statusCode, 405);
      assert.equal((await w.request('DELETE', '/api/events/', { token: analyst() })).statusCode, 405);
      assert.equal(
        (
          await event(
            { source: 'x', event_type: 'y', severity: 'LOW', description: 'd' },
            w.users.read_only.access,
          )
        ).statusCode,
        403,
      );
    });

    test('seed 003: filters, search, ordering, pages of 10 and the status route by role', async () => {
      for (let i = 0; i < 15; i++)
        await event({
          source: 'ids',
          event_type: 'intrusion',
          severity: 'HIGH',
          description: `Probe number ${i}`,
        });
      await settle();
      const p1 = await w.request('GET', '/api/alerts/?event__severity=HIGH', { token: analyst() });
      assert.equal(p1.json().count, 15);
      assert.equal(p1.json().results.length, 10);
      assert.equal(p1.json().previous, null);
      assert.match(p1.json().next, /\/api\/alerts\/\?event__severity=HIGH&page=2$/);
      const p2 = await w.request('GET', '/api/alerts/?event__severity=HIGH&page=2', { token: analyst() });
      assert.equal(p2.json().results.length, 5);
      assert.equal(p2.json().next, null);
      assert.match(p2.json().previous, /\/api\/alerts\/\?event__severity=HIGH$/);
      const ids = new Set([...p1.json().results, ...p2.json().results].map((r: { id: string }) => r.id));
      assert.equal(ids.size, 15);
      assert.equal((await w.request('GET', '/api/alerts/?page=9', { token: analyst() })).statusCode, 404);
      assert.deepEqual((await w.request('GET', '/api/alerts/?page=x', { token: analyst() })).json(), {
        detail: 'Invalid page.',
      });

      const search = await w.request('GET', '/api/alerts/?search=probe%20number%207', { token: analyst() });
      assert.equal(search.json().count, 1);
      assert.equal(search.json().results[0].event_details.description, 'Probe number 7');
      // Seed 003 also searches the event's source and type.
      const byType = await w.request('GET', '/api/alerts/?search=INTRUSION', { token: analyst() });
      assert.equal(byType.json().count, 15);
      const bySource = await w.request('GET', '/api/alerts/?search=ids&event__severity=HIGH', {
        token: analyst(),
      });
      assert.equal(bySource.json().count, 15);
      const none = await w.request('GET', '/api/alerts/?search=no%25such_thing', { token: analyst() });
      assert.equal(none.json().count, 0);
      const oldest = await w.request('GET', '/api/alerts/?ordering=created_at&event__severity=HIGH', {
        token: analyst(),
      });
      assert.equal(oldest.json().results[0].event_details.description, 'Probe number 0');
      const newest = await w.request('GET', '/api/alerts/?ordering=-created_at&event__severity=HIGH', {
        token: analyst(),
      });
      assert.equal(newest.json().results[0].event_details.description, 'Probe number 14');

      const id = newest.json().results[0].id;
      const url = `/api/alerts/${id}/status/`;
      const denied = await w.request('PATCH', url, { token: analyst(), body: { status: 'ACKNOWLEDGED' } });
      assert.equal(denied.statusCode, 403, 'analysts read alerts; the admin role changes them');
      const ok = await w.request('PATCH', url, {
        token: admin(),
        body: { status: 'ACKNOWLEDGED', event: 'other' },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().status, 'ACKNOWLEDGED');
      assert.equal(ok.json().event, newest.json().results[0].event, 'event is read-only');
      const again = await w.request('PATCH', url, { token: admin(), body: { status: 'ACKNOWLEDGED' } });
      assert.equal(again.statusCode, 200);
      const resolved = await w.request('PATCH', url, { token: admin(), body: { status: 'RESOLVED' } });
      assert.equal(resolved.json().status, 'RESOLVED');
      const reopened = await w.request('PATCH', url, { token: admin(), body: { status: 'OPEN' } });
      assert.equal(reopened.json().status, 'OPEN', 'any transition, as in the seed');
      const archived = await w.request('PATCH', url, { token: admin(), body: { status: 'ARCHIVED' } });
      assert.equal(archived.statusCode, 400);
      assert.deepEqual(archived.json(), { status: ['"ARCHIVED" is not a valid choice.'] });
      const history = await w.request('GET', `/api/v1/alerts/${id}/history`, { token: analyst() });
      assert.deepEqual(
        history.json().items.map((h: { to_status: string }) => h.to_status),
        ['acknowledged', 'resolved', 'open'],
      );

      const filtered = await w.request('GET', '/api/alerts/?status=OPEN&event__severity=HIGH', {
        token: analyst(),
      });
      assert.equal(filtered.json().count, 15);
      await w.request('PATCH', url, { token: admin(), body: { status: 'RESOLVED' } });
      const resolvedList = await w.request('GET', '/api/alerts/?status=RESOLVED', { token: analyst() });
      assert.equal(resolvedList.json().count, 1);
      assert.equal(
        (await w.request('GET', '/api/alerts/?status=ARCHIVED', { token: analyst() })).statusCode,
        400,
      );

      const one = await w.request('GET', `/api/alerts/${id}/`, { token: analyst() });
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().id, id);
      assert.equal((await w.request('DELETE', `/api/alerts/${id}/`, { token: admin() })).statusCode, 405);
      const missing = await w.request('GET', '/api/alerts/nope/', { token: analyst() });
      assert.deepEqual(missing.json(), { detail: 'No Alert matches the given query.' });

      // Another organization sees none of it and cannot change it.
      const other = await w.request('GET', '/api/alerts/', { token: w.otherAdmin.access });
      assert.equal(other.json().count, 0);
      assert.equal(
        (await w.request('GET', `/api/alerts/${id}/`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      assert.equal(
        (await w.request('PATCH', url, { token: w.otherAdmin.access, body: { status: 'OPEN' } })).statusCode,
        404,
      );
    });

    test('seed 000: GET /api/alerts with its filters, and one alert', async () => {
      const device = await w.t.enroll('kestrel-01');
      const critical = await insertAlert(w.t.runtime.ctx.database, {
        orgId: w.orgId,
        deviceId: device.deviceId,
        severity: 'critical',
        details: { score: 86.5, event_type: 'process', source: 'analytics' },
      });
      await insertAlert(w.t.runtime.ctx.database, {
        orgId: w.orgId,
        severity: 'low',
        at: Date.now() - 3600_000,
      });
      await insertAlert(w.t.runtime.ctx.database, { orgId: w.otherOrgId, severity: 'critical' });
      const list = await w.request('GET', '/api/alerts?severity=critical', {
        token: w.users.read_only.access,
      });
      assert.equal(list.statusCode, 200, list.body);
      assert.ok(Array.isArray(list.json()));
      const mine = list.json().find((a: { id: string }) => a.id === critical);
      assert.deepEqual(mine, {
        id: critical,
        event_id: null,
        agent_id: device.deviceId,
        event_type: 'process',
        score: 86.5,
        severity: 'critical',
        source: 'analytics',
        details: { score: 86.5, event_type: 'process', source: 'analytics' },
        timestamp: mine.timestamp,
      });
      const byAgent = await w.request('GET', `/api/alerts?agent_id=${device.deviceId}`, { token: analyst() });
      assert.deepEqual(
        byAgent.json().map((a: { id: string }) => a.id),
        [critical],
      );
      const scored = await w.request('GET', '/api/alerts?min_score=80&event_type=process', {
        token: analyst(),
      });
      assert.deepEqual(
        scored.json().map((a: { id: string }) => a.id),
        [critical],
      );
      const recent = await w.request(
        'GET',
        `/api/alerts?since=${new Date(Date.now() - 60_000).toISOString().replace('.000', '')}&limit=500`,
        { token: analyst() },
      );
      assert.ok(recent.json().every((a: { severity: string }) => a.severity !== 'low'));
      const bad = await w.request('GET', '/api/alerts?since=yesterday', { token: analyst() });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json(), { detail: 'Invalid datetime: yesterday' });
      assert.equal((await w.request('GET', '/api/alerts?limit=501', { token: analyst() })).statusCode, 422);
      assert.equal(
        (await w.request('GET', '/api/alerts')).statusCode,
        401,
        'reads need a token (the seed left them open)',
      );
      const one = await w.request('GET', `/api/alerts/${critical}`, { token: analyst() });
      assert.equal(one.json().id, critical);
      assert.deepEqual(
        (await w.request('GET', `/api/alerts/${critical}`, { token: w.otherAdmin.access })).json(),
        {
          detail: 'Alert not found',
        },
      );
      const others = await w.request('GET', '/api/alerts?limit=500', { token: w.otherAdmin.access });
      assert.ok(others.json().every((a: { id: string }) => a.id !== critical));
    });

    test('seed 004: POST /alerts raises an alert by hand; blank title or source is a 400', async () => {
      const created = await w.request('POST', '/alerts', {
        token: analyst(),
        body: {
          title: 'Phishing reported by CFO',
          source: 'mailbox',
          category: 'email',
          sender: 'ceo@evil.test',
          url: 'http://evil.test/login',
        },
      });
      assert.equal(created.statusCode, 200, created.body);
      const a = created.json();
      assert.equal(a.severity, 'medium');
      assert.equal(a.status, 'open');
      assert.equal(a.source, 'mailbox');
      assert.equal(a.category, 'email');
      assert.equal(a.sender, 'ceo@evil.test');
      const native = await w.request('GET', `/api/v1/alerts/${a.id}`, { token: analyst() });
      assert.equal(native.json().kind, 'manual');
      assert.equal(native.json().details.created_by, w.users.analyst.id);
      for (const body of [
        { title: ' ', source: 'x' },
        { title: 'x', source: '' },
      ]) {
        const r = await w.request('POST', '/alerts', { token: analyst(), body });
        assert.equal(r.statusCode, 400, JSON.stringify(body));
        assert.ok(typeof r.json().detail === 'string');
      }
      assert.equal(
        (
          await w.request('POST', '/alerts', {
            token: w.users.read_only.access,
            body: { title: 'x', source: 'y' },
          })
        ).statusCode,
        403,
      );
      const other = await w.request('GET', `/alerts/${a.id}`, { token: w.otherAdmin.access });
      assert.equal(other.statusCode, 404);
    });

    test('seed 004: every alert visible, PATCH, escalation, containment recorded, deletion by admins', async () => {
      const id = await insertAlert(w.t.runtime.ctx.database, {
        orgId: w.orgId,
        severity: 'high',
        title: 'Unowned rule alert',
      });
      const list = await w.request('GET', '/alerts', {
        token: analyst(),
        headers: { accept: 'application/json' },
      });
      assert.equal(list.statusCode, 200, list.body);
      const a = list.json().find((x: { id: string }) => x.id === id);
      assert.ok(a, 'alerts nobody owns are visible (the seed hid them)');
      assert.equal(a.status, 'open');
      assert.equal(a.owner_id, null);
      for (const k of [
        'title',
        'description',
        'source',
        'category',
        'severity',
        'url',
        'sender',
        'username',
        'hostname',
        'assigned_to',
        'conclusion',
        'created_at',
        'updated_at',
      ])
        assert.ok(k in a, k);

      const patched = await w.request('PATCH', `/alerts/${id}`, {
        token: analyst(),
        body: { status: 'in_progress', assigned_to: w.users.analyst.id },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().status, 'in_progress');
      assert.equal(patched.json().assigned_to, w.users.analyst.id);
      const esc = await w.request('POST', `/alerts/${id}/escalate`, {
        token: analyst(),
        body: { alert_id: id, escalated_to: w.users.senior_analyst.id },
      });
      assert.equal(esc.statusCode, 200, esc.body);
      assert.equal(esc.json().escalated_to, w.users.senior_analyst.id);
      assert.equal(esc.json().reason, 'Escalated');
      const block = await w.request('POST', `/alerts/${id}/block-url?url=http://evil.test/x`, {
        token: analyst(),
      });
      assert.equal(block.statusCode, 200, block.body);
      assert.match(block.json().detail, /evil\.test/);
      const isolate = await w.request('POST', `/alerts/${id}/isolate-device?hostname=fin-01`, {
        token: analyst(),
      });
      assert.equal(isolate.statusCode, 200);
      const closed = await w.request('PATCH', `/alerts/${id}`, {
        token: analyst(),
        body: { status: 'closed', conclusion: 'Phishing contained' },
      });
      assert.equal(closed.json().status, 'closed');
      assert.equal(closed.json().conclusion, 'Phishing contained');
      const history = await w.request('GET', `/api/v1/alerts/${id}/history`, { token: analyst() });
      assert.deepEqual(
        history.json().items.map((h: { action: string }) => h.action),
        ['assign', 'status', 'escalate', 'action', 'action', 'status', 'conclude'],
      );
      assert.deepEqual(history.json().items[3].details, {
        action: 'block_url',
        target: 'http://evil.test/x',
      });
      const bad = await w.request('PATCH', `/alerts/${id}`, {
        token: analyst(),
        body: { status: 'archived' },
      });
      assert.equal(bad.statusCode, 422);

      assert.equal((await w.request('GET', `/alerts/${id}`, { token: w.otherAdmin.access })).statusCode, 404);
      assert.equal(
        (await w.request('POST', `/alerts/${id}/block-sender?sender=a@b.c`, { token: w.otherAdmin.access }))
          .statusCode,
        404,
      );
      assert.equal(
        (await w.request('DELETE', `/alerts/${id}`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      assert.equal(
        (await w.request('DELETE', `/alerts/${id}`, { token: w.users.team_lead.access })).statusCode,
        403,
      );
      assert.equal((await w.request('DELETE', `/alerts/${id}`, { token: admin() })).statusCode, 204);
      assert.equal((await w.request('GET', `/alerts/${id}`, { token: analyst() })).statusCode, 404);
    });
  });
}
