import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert, insertEvent } from '../test-support/management-fixtures.ts';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const MISSING = '00000000-0000-7000-8000-000000000000';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`cases and war room on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store, {
        HARRIER_AUTO_CASE_MIN_SEVERITY: 'high',
        HARRIER_ATTACHMENT_MAX_BYTES: '1024',
        HARRIER_DECISION_INTERVAL: '0',
      });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const analyst = () => w.users.analyst.access;
    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      token: string = analyst(),
    ) => w.request(method, url, { token, ...(body !== undefined ? { body } : {}) });
    const upload = (
      caseId: string,
      bytes: Buffer,
      type: string,
      filename = 'evidence.png',
      token = analyst(),
    ) =>
      w.t.runtime.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(filename)}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        payload: bytes,
      });

    test('a case from alerts takes their title and highest severity; transitions and refusals', async () => {
      const db = w.t.runtime.ctx.database;
      const low = await insertAlert(db, { orgId: w.orgId, severity: 'low', title: 'Odd login' });
      const high = await insertAlert(db, { orgId: w.orgId, severity: 'high', title: 'Credential dump' });
      const created = await api('POST', '/api/v1/cases', { alert_ids: [low, high] });
      assert.equal(created.statusCode, 201, created.body);
      const c = created.json();
      assert.equal(c.title, 'Odd login');
      assert.equal(c.severity, 'high');
      assert.equal(c.status, 'new');
      assert.equal(c.source, 'manual');
      assert.deepEqual(c.next_statuses, ['triage', 'in_progress', 'closed']);
      assert.deepEqual(
        c.alerts.map((a: { id: string }) => a.id),
        [low, high],
      );

      const empty = await api('POST', '/api/v1/cases', {});
      assert.equal(empty.statusCode, 422);
      assert.equal(empty.json().error.code, 'title_required');
      const badSeverity = await api('POST', '/api/v1/cases', { title: 'x', severity: 'dire' });
      assert.equal(badSeverity.statusCode, 422);
      const unknownAlert = await api('POST', '/api/v1/cases', { title: 'x', alert_ids: [MISSING] });
      assert.equal(unknownAlert.statusCode, 404);
      assert.deepEqual(unknownAlert.json().error.details.missing, [MISSING]);

      const move = (status: string, reason?: string) =>
        api('POST', `/api/v1/cases/${c.id}/status`, { status, ...(reason ? { reason } : {}) });
      for (const status of ['triage', 'in_progress', 'contained', 'resolved', 'closed']) {
        const r = await move(status, `to ${status}`);
        assert.equal(r.statusCode, 200, `${status}: ${r.body}`);
        assert.equal(r.json().status, status);
      }
      assert.ok((await api('GET', `/api/v1/cases/${c.id}`)).json().closed_at);
      const refused = await move('resolved');
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'invalid_transition');
      assert.match(refused.json().error.message, /"closed"/);
      assert.equal(refused.json().error.details.current_status, 'closed');
      assert.equal((await move('closed')).statusCode, 409, 'staying put is not a transition');
      assert.equal((await move('open')).statusCode, 400, 'not a status at all');
      const reopened = await move('in_progress', 'new evidence');
      assert.equal(reopened.json().status, 'in_progress');
      assert.equal(reopened.json().closed_at, null);
      assert.equal((await move('new')).statusCode, 409);

      const readOnly = await api(
        'POST',
        `/api/v1/cases/${c.id}/status`,
        { status: 'resolved' },
        w.users.read_only.access,
      );
      assert.equal(readOnly.statusCode, 403);
    });

    test('linking and unlinking alerts, evidence and notes make an ordered war room', async () => {
      const db = w.t.runtime.ctx.database;
      const a1 = await insertAlert(db, { orgId: w.orgId, severity: 'medium' });
      const a2 = await insertAlert(db, { orgId: w.orgId, severity: 'medium' });
      const foreign = await insertAlert(db, { orgId: w.otherOrgId, severity: 'medium' });
      const eventAt = Date.now();
      await insertEvent(db, { orgId: w.orgId, ts: eventAt, category: 'process_creation' });
      const eventId = (
        await db.db.selectFrom('events').select('id').where('org_id', '=', w.orgId).executeTakeFirstOrThrow()
      ).id;

      const c = (
        await api('POST', '/api/v1/cases', { title: 'Lateral movement', owner_id: w.users.analyst.id })
      ).json();
      assert.equal(c.owner_id, w.users.analyst.id);
      assert.ok(c.owner_name);
      const linked = await api('POST', `/api/v1/cases/${c.id}/alerts`, { alert_ids: [a1, a2] });
      assert.deepEqual(linked.json().results, [
        { alert_id: a1, linked: true },
        { alert_id: a2, linked: true },
      ]);
      const again = await api('POST', `/api/v1/cases/${c.id}/alerts`, { alert_ids: [a1] });
      assert.deepEqual(again.json().results, [{ alert_id: a1, linked: false }]);
      assert.equal(
        (await api('POST', `/api/v1/cases/${c.id}/alerts`, { alert_ids: [foreign] })).statusCode,
        404,
      );
      assert.equal((await api('DELETE', `/api/v1/cases/${c.id}/alerts/${a2}`)).statusCode, 204);
      assert.equal((await api('DELETE', `/api/v1/cases/${c.id}/alerts/${a2}`)).statusCode, 404);
      const byAlert = await api('GET', `/api/v1/cases?alert_id=${a1}`);
      assert.deepEqual(
        byAlert.json().items.map((x: { id: string }) => x.id),
        [c.id],
      );

      assert.equal(
        (await api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'Saw **psexec** on host-7' })).statusCode,
        201,
      );
      const ev = await api('POST', `/api/v1/cases/${c.id}/events`, {
        event_id: eventId,
        note: 'the first hop',
      });
      assert.equal(ev.statusCode, 201, ev.body);
      assert.equal(
        (await api('POST', `/api/v1/cases/${c.id}/events`, { event_id: MISSING })).statusCode,
        404,
      );
      await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'triage' });
      await api('PATCH', `/api/v1/cases/${c.id}`, { severity: 'critical', owner_id: null });
      assert.equal((await api('PATCH', `/api/v1/cases/${c.id}`, { title: '   ' })).statusCode, 422);
      const foreignOwner = await api('PATCH', `/api/v1/cases/${c.id}`, { owner_id: w.otherAdmin.id });
      assert.equal(foreignOwner.json().error.code, 'unknown_user');
      assert.equal((await upload(c.id, PNG, 'image/png')).statusCode, 201);

      const timeline = await api('GET', `/api/v1/cases/${c.id}/timeline`);
      assert.equal(timeline.statusCode, 200);
      const items = timeline.json().items as Array<{
        kind: string;
        actor_id: string;
        created_at: string;
        body: string;
        data: Record<string, unknown>;
      }>;
      assert.deepEqual(
        items.map((e) => e.kind),
        [
          'alert_linked',
          'alert_linked',
          'alert_unlinked',
          'note',
          'event_linked',
          'status',
          'severity',
          'owner',
          'attachment',
        ],
      );
      for (const e of items) {
        assert.equal(e.actor_id, w.users.analyst.id);
        assert.ok(Date.parse(e.created_at) > 0);
      }
      assert.equal(items[3]!.body, 'Saw **psexec** on host-7');
      assert.deepEqual(items[4]!.data, { event_id: eventId });
      assert.deepEqual(items[5]!.data, { from: 'new', to: 'triage' });
      assert.deepEqual(items[6]!.data, { from: 'medium', to: 'critical' });

      const firstPage = await api('GET', `/api/v1/cases/${c.id}/timeline?limit=4`);
      assert.equal(firstPage.json().items.length, 4);
      const rest = await api(
        'GET',
        `/api/v1/cases/${c.id}/timeline?limit=50&cursor=${firstPage.json().next_cursor}`,
      );
      assert.deepEqual(
        [...firstPage.json().items, ...rest.json().items].map((e: { id: string }) => e.id),
        items.map((e) => (e as unknown as { id: string }).id),
      );
      assert.equal(rest.json().next_cursor, null);
    });

    test('attachments: stored, listed, downloaded safely; cap 413 and type refusals 415', async () => {
      const c = (await api('POST', '/api/v1/cases', { title: 'Phishing wave' })).json();
      const ok = await upload(c.id, PNG, 'image/png', '../../shot "1".png');
      assert.equal(ok.statusCode, 201, ok.body);
      const a = ok.json();
      assert.equal(a.filename, 'shot 1.png');
      assert.equal(a.size, PNG.length);
      assert.match(a.sha256, /^[0-9a-f]{64}$/);

      const down = await api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`);
      assert.equal(down.statusCode, 200);
      assert.deepEqual(down.rawPayload, PNG);
      assert.equal(down.headers['content-type'], 'image/png');
      assert.match(String(down.headers['content-disposition']), /^attachment; filename="shot 1.png"/);
      assert.equal(down.headers['x-content-type-options'], 'nosniff');

      const text = await upload(
        c.id,
        Buffer.from('ioc list\n1.2.3.4\n'),
        'text/plain; charset=utf-8',
        'iocs.txt',
      );
      assert.equal(text.statusCode, 201, text.body);
      const textDown = await api('GET', `/api/v1/cases/${c.id}/attachments/${text.json().id}`);
      assert.equal(textDown.headers['content-type'], 'text/plain; charset=utf-8');

      const big = await upload(c.id, Buffer.alloc(2048, 0x41), 'text/plain', 'big.txt');
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().error.code, 'attachment_too_large');
      assert.equal(big.json().error.details.max_bytes, 1024);
      const html = await upload(c.id, Buffer.from('<script>alert(1)</script>'), 'text/html', 'x.html');
      assert.equal(html.statusCode, 415);
      assert.equal(html.json().error.code, 'attachment_type_not_allowed');
      const disguised = await upload(c.id, Buffer.from('MZ\x90\x00\x03\x00'), 'image/png', 'cat.png');
      assert.equal(disguised.statusCode, 415);
      assert.equal(disguised.json().error.code, 'attachment_content_mismatch');
      const none = await w.t.runtime.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/attachments?filename=x`,
        headers: { authorization: `Bearer ${analyst()}` },
        payload: PNG,
      });
      assert.ok(none.statusCode === 415 || none.statusCode === 400, none.body);
      assert.equal(
        (await upload(c.id, PNG, 'image/png', 'no-name.png', w.users.read_only.access)).statusCode,
        403,
      );
      assert.equal((await upload(MISSING, PNG, 'image/png')).statusCode, 404);

      const list = await api('GET', `/api/v1/cases/${c.id}/attachments`);
      assert.equal(list.json().items.length, 2);
      assert.equal((await api('GET', `/api/v1/cases/${c.id}`)).json().attachments.length, 2);

      const onDisk = join(w.t.runtime.ctx.config.attachmentDir, w.orgId, a.id);
      assert.ok(existsSync(onDisk));
      const removed = await api('DELETE', `/api/v1/cases/${c.id}/attachments/${a.id}`);
      assert.equal(removed.statusCode, 204);
      assert.equal(existsSync(onDisk), false);
      assert.equal((await api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`)).statusCode, 404);
      assert.equal((await api('DELETE', `/api/v1/cases/${c.id}/attachments/${a.id}`)).statusCode, 404);
      const kinds = (await api('GET', `/api/v1/cases/${c.id}/timeline`))
        .json()
        .items.map((e: { kind: string }) => e.kind);
      assert.deepEqual(kinds, ['attachment', 'attachment', 'attachment_removed']);
    });

    test('an alert at or above the threshold opens one case however often it is announced', async () => {
      const ctx = w.t.runtime.ctx;
      const critical = await insertAlert(ctx.database, {
        orgId: w.orgId,
        severity: 'critical',
        title: 'Ransomware note',
      });
      const medium = await insertAlert(ctx.database, { orgId: w.orgId, severity: 'medium' });
      const told: string[] = [];
      const off = ctx.domainEvents.subscribe((e) => {
        if (e.type === 'case.created') told.push(String(e.data.alertId));
      });
      const announce = (id: string, severity: string) =>
        ctx.domainEvents.publish({
          type: 'alert.created',
          orgId: w.orgId,
          subjectId: id,
          at: Date.now(),
          actorId: null,
          data: { severity, title: 't' },
        });
      const remote = await insertAlert(ctx.database, { orgId: w.orgId, severity: 'critical' });
      ctx.domainEvents.publish({
        type: 'alert.created',
        orgId: w.orgId,
        subjectId: remote,
        at: Date.now(),
        actorId: null,
        data: { severity: 'critical' },
        remote: true,
      });
      announce(critical, 'critical');
      announce(critical, 'critical');
      announce(medium, 'medium');
      await ctx.domainEvents.idle();
      announce(critical, 'critical');
      await ctx.domainEvents.idle();
      off();
      const auto = await api('GET', '/api/v1/cases?source=auto');
      const mine = auto
        .json()
        .items.filter((x: { origin_alert_id: string }) => x.origin_alert_id === critical);
      assert.equal(mine.length, 1);
      assert.equal(mine[0].title, 'Alert: Ransomware note');
      assert.equal(mine[0].severity, 'critical');
      assert.deepEqual(told, [critical], 'one case, and none for an alert another process raised');
      assert.equal(
        auto.json().items.filter((x: { origin_alert_id: string }) => x.origin_alert_id === medium).length,
        0,
      );
      const detail = await api('GET', `/api/v1/cases/${mine[0].id}`);
      assert.deepEqual(
        detail.json().alerts.map((a: { id: string }) => a.id),
        [critical],
      );
    });

    test('an alert raised by ingest (severity promotion) opens its case; a low one does not', async () => {
      const ctx = w.t.runtime.ctx;
      const device = await w.t.enroll('auto-case-host');
      const res = await w.t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'auto-case-1',
        events: [
          {
            ts: new Date().toISOString(),
            type: 'log',
            severity: 'CRITICAL',
            title: 'Ransom note dropped',
            fields: {},
          },
          { ts: new Date().toISOString(), type: 'log', severity: 'LOW', title: 'Minor thing', fields: {} },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      await ctx.pipeline.idle();
      await ctx.domainEvents.idle();
      const auto = (await api('GET', '/api/v1/cases?source=auto&q=note%20dropped')).json().items;
      assert.equal(auto.length, 1);
      assert.equal(auto[0].title, 'Alert: Ransom note dropped');
      assert.equal(auto[0].severity, 'critical');
      const alerts = (await api('GET', `/api/v1/cases/${auto[0].id}`)).json().alerts;
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].device_id, device.deviceId);
      assert.equal((await api('GET', '/api/v1/cases?source=auto&q=minor')).json().items.length, 0);
    });

    test('list filters and cursor pagination', async () => {
      for (let i = 0; i < 7; i++)
        await api('POST', '/api/v1/cases', { title: `Paged case ${i}`, severity: i % 2 ? 'high' : 'low' });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r = await api('GET', `/api/v1/cases?q=paged&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.statusCode, 200);
        seen.push(...r.json().items.map((x: { title: string }) => x.title));
        cursor = r.json().next_cursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        [6, 5, 4, 3, 2, 1, 0].map((i) => `Paged case ${i}`),
      );
      const high = await api('GET', '/api/v1/cases?q=paged&severity=high');
      assert.equal(high.json().items.length, 3);
      assert.equal((await api('GET', '/api/v1/cases?status=new,bogus')).statusCode, 400);
      assert.equal((await api('GET', '/api/v1/cases?severity=dire')).statusCode, 400);
      assert.equal((await api('GET', '/api/v1/cases?cursor=nope')).statusCode, 400);
      assert.equal((await api('GET', '/api/v1/cases', undefined, '')).statusCode, 401);
      const paths = Object.keys((await w.request('GET', '/openapi.json')).json().paths);
      for (const path of [
        '/api/v1/cases',
        '/api/v1/cases/{id}/attachments',
        '/api/v1/workplans',
        '/api/v1/handovers',
      ])
        assert.ok(paths.includes(path), path);
    });

    test('another organization sees and changes none of it', async () => {
      const c = (await api('POST', '/api/v1/cases', { title: 'Private case' })).json();
      const att = (await upload(c.id, PNG, 'image/png')).json();
      const other = w.otherAdmin.access;
      const alertId = await insertAlert(w.t.runtime.ctx.database, { orgId: w.orgId });
      const checks: Array<[string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]> = [
        ['detail', 'GET', `/api/v1/cases/${c.id}`],
        ['patch', 'PATCH', `/api/v1/cases/${c.id}`, { title: 'mine now' }],
        ['status', 'POST', `/api/v1/cases/${c.id}/status`, { status: 'triage' }],
        ['link', 'POST', `/api/v1/cases/${c.id}/alerts`, { alert_ids: [alertId] }],
        ['unlink', 'DELETE', `/api/v1/cases/${c.id}/alerts/${alertId}`],
        ['event', 'POST', `/api/v1/cases/${c.id}/events`, { event_id: MISSING }],
        ['note', 'POST', `/api/v1/cases/${c.id}/notes`, { body: 'hi' }],
        ['timeline', 'GET', `/api/v1/cases/${c.id}/timeline`],
        ['attachments', 'GET', `/api/v1/cases/${c.id}/attachments`],
        ['download', 'GET', `/api/v1/cases/${c.id}/attachments/${att.id}`],
        ['detach', 'DELETE', `/api/v1/cases/${c.id}/attachments/${att.id}`],
      ];
      for (const [name, method, url, body] of checks) {
        const r = await api(method, url, body, other);
        assert.equal(r.statusCode, 404, `${name}: ${r.statusCode} ${r.body}`);
      }
      assert.equal((await upload(c.id, PNG, 'image/png', 'x.png', other)).statusCode, 404);
      const list = await api('GET', '/api/v1/cases', undefined, other);
      assert.equal(list.json().items.length, 0);
      // Their own alert cannot be linked to our case, nor ours to theirs.
      const theirs = (await api('POST', '/api/v1/cases', { title: 'Theirs' }, other)).json();
      assert.equal(
        (await api('POST', `/api/v1/cases/${theirs.id}/alerts`, { alert_ids: [alertId] }, other)).statusCode,
        404,
      );
      assert.equal((await api('GET', `/api/v1/cases/${c.id}`)).json().title, 'Private case');
    });
  });
}
