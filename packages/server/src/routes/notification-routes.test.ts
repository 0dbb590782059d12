import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DomainEvent } from '../bus/domain-events.ts';
import { loadConfig } from '../config.ts';
import { startRuntime } from '../runtime.ts';
import { verifyWebhookSignature } from '../services/webhook-signature.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert } from '../test-support/management-fixtures.ts';
import { SmtpTestServer } from '../test-support/smtp-test-server.ts';
import { WebhookReceiver } from '../test-support/webhook-receiver.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`notifications: webhooks, e-mail and the delivery log on ${store.name}`, () => {
    let w: IdentityWorld;
    let receiver: WebhookReceiver;
    let smtp: SmtpTestServer;
    before(async () => {
      receiver = await WebhookReceiver.start();
      smtp = await SmtpTestServer.start();
      w = await startIdentityWorld(store, {
        HARRIER_WEBHOOK_ALLOW_PRIVATE: 'true',
        HARRIER_SMTP_URL: smtp.url,
      });
    });
    after(async () => {
      await w.t.close();
      await receiver.close();
      await smtp.close();
      await store.cleanup();
    });
    const admin = () => w.users.admin.access;
    const ctx = () => w.t.runtime.ctx;
    /** Publishes a committed-change event and waits until its deliveries were attempted. */
    const publish = async (event: Partial<DomainEvent> & Pick<DomainEvent, 'type' | 'subjectId'>) => {
      ctx().domainEvents.publish({ orgId: w.orgId, at: Date.now(), actorId: null, data: {}, ...event });
      await ctx().domainEvents.idle();
      await ctx().notifications.worker.idle();
    };

    test('webhook CRUD: the secret is shown once, never listed; validation; team lead yes, analyst no', async () => {
      const created = await w.request('POST', '/api/v1/notifications/webhooks', {
        token: admin(),
        body: { name: 'SOAR', url: receiver.url, min_severity: 'high' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const hook = created.json();
      assert.match(hook.secret, /^whsec_/);
      assert.deepEqual(hook.event_types, [
        'alert.created',
        'alert.escalated',
        'alert.assigned',
        'case.created',
        'case.updated',
      ]);
      const one = await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}`, { token: admin() });
      const list = await w.request('GET', '/api/v1/notifications/webhooks', { token: admin() });
      for (const res of [one, list]) {
        assert.equal(res.statusCode, 200);
        assert.ok(!res.body.includes(hook.secret), 'the secret leaks');
        assert.ok(!res.body.includes('secret'), res.body);
      }
      const patched = await w.request('PATCH', `/api/v1/notifications/webhooks/${hook.id}`, {
        token: w.users.team_lead.access,
        body: { name: 'SOAR main', event_types: ['alert.created', 'device.status'] },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(patched.json().event_types, ['alert.created', 'device.status']);
      for (const body of [
        { name: 'x', url: 'ftp://example.com/' },
        { name: 'x', url: 'not a url' },
        { name: 'x', url: 'https://user:pw@example.com/' },
        { name: 'x', url: receiver.url, event_types: ['alert.exploded'] },
        { name: 'x', url: receiver.url, min_severity: 'dire' },
        { name: 'x', url: receiver.url, secret: 'mine' },
      ]) {
        const bad = await w.request('POST', '/api/v1/notifications/webhooks', { token: admin(), body });
        assert.equal(bad.statusCode, 400, `${JSON.stringify(body)}: ${bad.body}`);
      }
      const denied = await w.request('POST', '/api/v1/notifications/webhooks', {
        token: w.users.analyst.access,
        body: { name: 'x', url: receiver.url },
      });
      assert.equal(denied.statusCode, 403);
      assert.equal(
        (await w.request('GET', '/api/v1/notifications/webhooks', { token: w.users.senior_analyst.access }))
          .statusCode,
        403,
      );
      await w.request('PATCH', `/api/v1/notifications/webhooks/${hook.id}`, {
        token: admin(),
        body: { event_types: ['alert.created', 'alert.escalated'], enabled: false },
      });
    });

    test('signed deliveries with filters, retries with backoff, the log, send test and secret rotation', async () => {
      const created = await w.request('POST', '/api/v1/notifications/webhooks', {
        token: admin(),
        body: { name: 'Receiver', url: receiver.url, min_severity: 'high' },
      });
      const hook = created.json();
      const alertId = await insertAlert(ctx().database, {
        orgId: w.orgId,
        severity: 'critical',
        title: 'Ransom',
      });
      const quietId = await insertAlert(ctx().database, {
        orgId: w.orgId,
        severity: 'medium',
        title: 'Quiet',
      });
      const before = receiver.received.length;
      await publish({
        type: 'alert.created',
        subjectId: quietId,
        data: { title: 'Quiet', severity: 'medium' },
      });
      await publish({ type: 'device.status', subjectId: 'd1', data: { status: 'offline' } });
      // Another organization's event never reaches this organization's webhook.
      await publish({
        type: 'alert.created',
        subjectId: alertId,
        orgId: w.otherOrgId,
        data: { severity: 'critical' },
      });
      assert.equal(receiver.received.length, before, 'filtered events were delivered');

      // The receiver fails the first attempt: the delivery waits for its next attempt.
      receiver.statuses = [503];
      await publish({
        type: 'alert.created',
        subjectId: alertId,
        data: { title: 'Ransom', severity: 'critical' },
      });
      await receiver.waitFor(before + 1);
      const log = async () =>
        (
          await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}/deliveries`, { token: admin() })
        ).json();
      let entries = (await log()).items;
      assert.equal(entries.length, 1);
      assert.equal(entries[0].status, 'pending');
      assert.equal(entries[0].attempts, 1);
      assert.equal(entries[0].response_status, 503);
      assert.ok(Date.parse(entries[0].next_attempt_at) > Date.now() + 20_000, 'no backoff');
      // Escalations are looked up for their severity when the event does not carry it.
      await publish({ type: 'alert.escalated', subjectId: alertId, actorId: w.users.analyst.id });
      await receiver.waitFor(before + 2);

      // A fresh worker over the stored queue (as after a restart) sends what is due later.
      assert.equal(await ctx().notifications.worker.runDue(Date.now() + 3_600_000), 1);
      await receiver.waitFor(before + 3);
      entries = (await log()).items;
      const retried = entries.find((e: { event_type: string }) => e.event_type === 'alert.created');
      assert.equal(retried.status, 'delivered');
      assert.equal(retried.attempts, 2);
      assert.equal(retried.next_attempt_at, null);
      assert.equal(entries.length, 2);

      const last = receiver.received.at(-1)!;
      const signature = String(last.headers['x-harrier-signature']);
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      // The retry ran an hour ahead of the clock, and signed with that time.
      const sentAt = Number(/t=(\d+)/.exec(signature)![1]);
      assert.ok(sentAt >= Math.floor(Date.now() / 1000) + 3000);
      assert.ok(verifyWebhookSignature(hook.secret, signature, last.body, sentAt));
      assert.ok(!verifyWebhookSignature('whsec_wrong', signature, last.body, sentAt));
      assert.ok(!verifyWebhookSignature(hook.secret, signature, `${last.body} `, sentAt));
      assert.equal(last.headers['x-harrier-event'], 'alert.created');
      assert.equal(last.headers['x-harrier-delivery'], retried.id);
      const payload = JSON.parse(last.body);
      assert.equal(payload.type, 'alert.created');
      assert.equal(payload.subject_id, alertId);
      assert.equal(payload.organization_id, w.orgId);
      assert.equal(payload.severity, 'critical');

      const metrics = (await w.request('GET', '/metrics')).body;
      assert.match(metrics, /harrier_notification_attempts_total\{channel="webhook",outcome="retry"\} 1/);
      assert.match(
        metrics,
        /harrier_notification_attempts_total\{channel="webhook",outcome="delivered"\} [1-9]/,
      );
      const escalated = receiver.received.find((r) => r.headers['x-harrier-event'] === 'alert.escalated')!;
      assert.equal(JSON.parse(escalated.body).severity, 'critical');

      // Send test: one attempt now, answered in the response and kept in the log.
      receiver.statuses = [500];
      const failedTest = await w.request('POST', `/api/v1/notifications/webhooks/${hook.id}/test`, {
        token: admin(),
      });
      assert.equal(failedTest.statusCode, 200, failedTest.body);
      assert.equal(failedTest.json().status, 'failed');
      assert.equal(failedTest.json().response_status, 500);
      const okTest = await w.request('POST', `/api/v1/notifications/webhooks/${hook.id}/test`, {
        token: admin(),
      });
      assert.equal(okTest.json().status, 'delivered');
      assert.equal(JSON.parse(receiver.received.at(-1)!.body).type, 'notification.test');
      const failedOnly = await w.request(
        'GET',
        `/api/v1/notifications/webhooks/${hook.id}/deliveries?status=failed`,
        { token: admin() },
      );
      assert.deepEqual(
        failedOnly.json().items.map((e: { id: string }) => e.id),
        [failedTest.json().id],
      );
      const paged = await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}/deliveries?limit=2`, {
        token: admin(),
      });
      assert.equal(paged.json().items.length, 2);
      const rest = await w.request(
        'GET',
        `/api/v1/notifications/webhooks/${hook.id}/deliveries?limit=2&cursor=${paged.json().next_cursor}`,
        { token: admin() },
      );
      assert.equal(rest.json().items.length, 2);

      // Rotation: the new secret signs, the old one no longer verifies.
      const rotated = await w.request('POST', `/api/v1/notifications/webhooks/${hook.id}/rotate-secret`, {
        token: admin(),
      });
      assert.notEqual(rotated.json().secret, hook.secret);
      await w.request('POST', `/api/v1/notifications/webhooks/${hook.id}/test`, { token: admin() });
      const signed = receiver.received.at(-1)!;
      const now = Math.floor(Date.now() / 1000);
      const header = String(signed.headers['x-harrier-signature']);
      assert.ok(verifyWebhookSignature(rotated.json().secret, header, signed.body, now));
      assert.ok(!verifyWebhookSignature(hook.secret, header, signed.body, now));
      assert.ok(
        !verifyWebhookSignature(rotated.json().secret, header, signed.body, now + 3600),
        'replay accepted',
      );
    });

    test('retries stop after the last attempt; a deleted destination is not delivered to', async () => {
      const hook = (
        await w.request('POST', '/api/v1/notifications/webhooks', {
          token: admin(),
          body: { name: 'Flaky', url: receiver.url, event_types: ['case.created'] },
        })
      ).json();
      receiver.statuses = Array(20).fill(500);
      await publish({
        type: 'case.created',
        subjectId: 'case-1',
        data: { title: 'Incident', severity: 'high' },
      });
      let at = Date.now();
      for (let i = 0; i < 10; i++) {
        at += 2 * 3_600_000;
        await ctx().notifications.worker.runDue(at);
      }
      const [entry] = (
        await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}/deliveries`, { token: admin() })
      ).json().items;
      assert.equal(entry.status, 'failed');
      assert.equal(entry.attempts, 8);
      assert.equal(entry.next_attempt_at, null);
      // Finished deliveries leave the log after 30 days (pruned by the worker at most hourly).
      await ctx().notifications.worker.runDue(at + 31 * 86_400_000);
      const log = await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}/deliveries`, {
        token: admin(),
      });
      assert.deepEqual(log.json().items, []);
      receiver.statuses = [];
      const del = await w.request('DELETE', `/api/v1/notifications/webhooks/${hook.id}`, { token: admin() });
      assert.equal(del.statusCode, 204);
      assert.equal(
        (await w.request('GET', `/api/v1/notifications/webhooks/${hook.id}`, { token: admin() })).statusCode,
        404,
      );
    });

    test('e-mail destinations and the assignee of an alert get mail through SMTP', async () => {
      const created = await w.request('POST', '/api/v1/notifications/email', {
        token: admin(),
        body: {
          name: 'SOC list',
          recipients: ['SOC@Example.com', 'lead@example.com'],
          event_types: ['case.created'],
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const dest = created.json();
      assert.deepEqual(dest.recipients, ['soc@example.com', 'lead@example.com']);
      assert.equal(dest.secret, undefined);
      const bad = await w.request('POST', '/api/v1/notifications/email', {
        token: admin(),
        body: { name: 'x', recipients: ['not-an-address'] },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'invalid_recipient');

      const before = smtp.messages.length;
      // A case opened through the cases API (its case.created event) is mailed to the list.
      const opened = await w.request('POST', '/api/v1/cases', {
        token: w.users.analyst.access,
        body: { title: 'Lateral movement', severity: 'high' },
      });
      assert.equal(opened.statusCode, 201, opened.body);
      await ctx().domainEvents.idle();
      await ctx().notifications.worker.idle();
      await smtp.waitFor(before + 1);
      const mail = smtp.messages[before]!;
      assert.deepEqual(mail.to.sort(), ['lead@example.com', 'soc@example.com']);
      assert.match(mail.subject, /New high case: Lateral movement/);
      assert.ok(mail.text.includes(opened.json().id), mail.text);

      const alertId = await insertAlert(ctx().database, {
        orgId: w.orgId,
        severity: 'high',
        title: 'Beacon',
      });
      // Triage's assignment (its alert.assigned event) mails the assignee.
      const assign = await w.request('POST', `/api/v1/alerts/${alertId}/assign`, {
        token: w.users.team_lead.access,
        body: { user_id: w.users.analyst.id, reason: 'yours' },
      });
      assert.equal(assign.statusCode, 200, assign.body);
      await ctx().domainEvents.idle();
      await ctx().notifications.worker.idle();
      await smtp.waitFor(before + 2);
      const assigned = smtp.messages[before + 1]!;
      assert.deepEqual(assigned.to, [w.users.analyst.email]);
      assert.match(assigned.subject, /assigned to you: Beacon/);
      // Assigning oneself sends nothing; nor does an assignee of another organization.
      await publish({
        type: 'alert.assigned',
        subjectId: alertId,
        actorId: w.users.analyst.id,
        data: { assigneeUserId: w.users.analyst.id },
      });
      await publish({
        type: 'alert.assigned',
        subjectId: alertId,
        data: { assigneeUserId: w.otherAdmin.id },
      });
      assert.equal(smtp.messages.length, before + 2);

      // Escalated to a work group: its members are mailed, not the lead who escalated.
      const group = await w.request('POST', '/api/v1/work-groups', {
        token: w.users.team_lead.access,
        body: { name: 'Tier 2', member_ids: [w.users.senior_analyst.id, w.users.team_lead.id] },
      });
      assert.equal(group.statusCode, 201, group.body);
      const escalated = await w.request('POST', `/api/v1/alerts/${alertId}/escalate`, {
        token: w.users.team_lead.access,
        body: { group_id: group.json().id, reason: 'needs tier 2' },
      });
      assert.equal(escalated.statusCode, 200, escalated.body);
      await ctx().domainEvents.idle();
      await ctx().notifications.worker.idle();
      await smtp.waitFor(before + 3);
      const toGroup = smtp.messages[before + 2]!;
      assert.deepEqual(toGroup.to, [w.users.senior_analyst.email]);
      assert.match(toGroup.subject, /escalated to you: Beacon/);

      const tested = await w.request('POST', `/api/v1/notifications/email/${dest.id}/test`, {
        token: admin(),
      });
      assert.equal(tested.json().status, 'delivered', tested.body);
      await smtp.waitFor(before + 4);
      assert.match(smtp.messages[before + 3]!.subject, /Test notification/);
    });

    test('the organization boundary: another organization sees and changes nothing', async () => {
      const hook = (
        await w.request('POST', '/api/v1/notifications/webhooks', {
          token: admin(),
          body: { name: 'Mine', url: receiver.url },
        })
      ).json();
      const mail = (
        await w.request('POST', '/api/v1/notifications/email', {
          token: admin(),
          body: { name: 'Mine', recipients: ['a@example.com'] },
        })
      ).json();
      const other = w.otherAdmin.access;
      for (const [kind, id] of [
        ['webhooks', hook.id],
        ['email', mail.id],
      ]) {
        const base = `/api/v1/notifications/${kind}`;
        assert.equal((await w.request('GET', base, { token: other })).json().items.length, 0);
        assert.equal((await w.request('GET', `${base}/${id}`, { token: other })).statusCode, 404);
        assert.equal(
          (await w.request('PATCH', `${base}/${id}`, { token: other, body: { name: 'x' } })).statusCode,
          404,
        );
        assert.equal((await w.request('GET', `${base}/${id}/deliveries`, { token: other })).statusCode, 404);
        assert.equal((await w.request('POST', `${base}/${id}/test`, { token: other })).statusCode, 404);
        assert.equal((await w.request('DELETE', `${base}/${id}`, { token: other })).statusCode, 404);
      }
      assert.equal(
        (await w.request('POST', `/api/v1/notifications/webhooks/${hook.id}/rotate-secret`, { token: other }))
          .statusCode,
        404,
      );
      // A webhook id is not an e-mail destination id.
      assert.equal(
        (await w.request('GET', `/api/v1/notifications/email/${hook.id}`, { token: admin() })).statusCode,
        404,
      );
    });
  });
}

describe('webhook destinations on private addresses are refused without HARRIER_WEBHOOK_ALLOW_PRIVATE', () => {
  const store = testStores()[0]!();
  let w: IdentityWorld;
  before(async () => {
    w = await startIdentityWorld(store);
  });
  after(async () => {
    await w.t.close();
    await store.cleanup();
  });

  test('loopback, link-local, private and mapped addresses are a 400 at creation and when changed', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:9/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/',
      'http://192.168.0.10/',
      'http://172.20.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
    ]) {
      const res = await w.request('POST', '/api/v1/notifications/webhooks', {
        token: w.users.admin.access,
        body: { name: 'internal', url },
      });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'webhook_address_refused', url);
    }
    assert.equal(
      (await w.request('GET', '/api/v1/notifications/webhooks', { token: w.users.admin.access })).json().items
        .length,
      0,
    );
  });
});

for (const makeStore of testStores()) {
  describe(`pending deliveries survive a restart on ${makeStore().name}`, () => {
    test('a delivery that failed before the restart is sent by the restarted server', async () => {
      const store = makeStore();
      const receiver = await WebhookReceiver.start();
      const env = { HARRIER_WEBHOOK_ALLOW_PRIVATE: 'true' };
      try {
        const w = await startIdentityWorld(store, env);
        const hook = (
          await w.request('POST', '/api/v1/notifications/webhooks', {
            token: w.users.admin.access,
            body: { name: 'Durable', url: receiver.url },
          })
        ).json();
        receiver.statuses = [503];
        const ctx = w.t.runtime.ctx;
        ctx.domainEvents.publish({
          type: 'case.created',
          orgId: w.orgId,
          subjectId: 'case-r',
          at: Date.now(),
          actorId: null,
          data: { title: 'Before restart', severity: 'high' },
        });
        await ctx.domainEvents.idle();
        await receiver.waitFor(1);
        await w.t.close();

        const restarted = await startRuntime(
          loadConfig({
            ...store.env,
            ...env,
            HARRIER_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
            HARRIER_LOG_LEVEL: 'silent',
          }),
          { logger: false },
        );
        try {
          // The restarted worker's first pass ran at start; the retry is due later.
          assert.equal(await restarted.ctx.notifications.worker.runDue(Date.now() + 3_600_000), 1);
          await receiver.waitFor(2);
          assert.equal(JSON.parse(receiver.received[1]!.body).data.title, 'Before restart');
          const [row] = await restarted.ctx.database.db
            .selectFrom('notification_deliveries')
            .selectAll()
            .where('destination_id', '=', hook.id)
            .execute();
          assert.equal(row!.status, 'delivered');
          assert.equal(row!.attempts, 2);
        } finally {
          await restarted.close();
        }
      } finally {
        await receiver.close();
        await store.cleanup();
      }
    });
  });
}
