import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HandoverService } from '../services/handover-service.ts';
import { DisabledMailer } from '../services/smtp-mailer.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert } from '../test-support/management-fixtures.ts';
import { SmtpTestServer } from '../test-support/smtp-test-server.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`shift handovers on ${store.name}`, () => {
    let w: IdentityWorld;
    let smtp: SmtpTestServer;
    before(async () => {
      smtp = await SmtpTestServer.start();
      w = await startIdentityWorld(store, { HARRIER_DECISION_INTERVAL: '0', HARRIER_SMTP_URL: smtp.url });
    });
    after(async () => {
      await w.t.close();
      await smtp.close();
      await store.cleanup();
    });
    const api = (
      method: 'GET' | 'POST',
      url: string,
      body?: unknown,
      token: string = w.users.analyst.access,
    ) => w.request(method, url, { token, ...(body !== undefined ? { body } : {}) });

    test('a handover lists the open alerts and cases of the shift and is e-mailed to its recipients', async () => {
      const db = w.t.runtime.ctx.database;
      const now = Date.now();
      const open = await insertAlert(db, {
        orgId: w.orgId,
        severity: 'critical',
        title: 'Beacon to C2',
        at: now - 3600_000,
      });
      await insertAlert(db, {
        orgId: w.orgId,
        severity: 'high',
        title: 'Closed one',
        status: 'resolved',
        at: now - 60_000,
      });
      await insertAlert(db, {
        orgId: w.orgId,
        severity: 'high',
        title: 'Last week',
        at: now - 7 * 86_400_000,
      });
      await insertAlert(db, {
        orgId: w.otherOrgId,
        severity: 'critical',
        title: 'Not ours',
        at: now - 60_000,
      });
      const openCase = (
        await api('POST', '/api/v1/cases', { title: 'Beacon investigation', severity: 'high' })
      ).json();
      const closedCase = (await api('POST', '/api/v1/cases', { title: 'Old false alarm' })).json();
      await api('POST', `/api/v1/cases/${closedCase.id}/status`, { status: 'closed' });

      const created = await api('POST', '/api/v1/handovers', {
        notes: 'Beacon still active; isolate at 9.',
        recipients: ['Next.Shift@example.com', 'lead@example.com'],
        shift_start: new Date(now - 8 * 3600_000).toISOString(),
      });
      assert.equal(created.statusCode, 201, created.body);
      const h = created.json();
      assert.deepEqual(
        h.open_alerts.map((a: { id: string }) => a.id),
        [open],
      );
      assert.deepEqual(
        h.open_cases.map((c: { id: string; title: string }) => c.title),
        ['Beacon investigation'],
      );
      assert.equal(h.open_cases[0].id, openCase.id);
      assert.deepEqual(h.recipients, ['next.shift@example.com', 'lead@example.com']);
      assert.equal(h.delivery.status, 'sent', JSON.stringify(h.delivery));
      assert.ok(h.delivery.sent_at);

      await smtp.waitFor(1);
      const mail = smtp.messages.at(-1)!;
      assert.deepEqual(mail.to.sort(), ['lead@example.com', 'next.shift@example.com']);
      assert.match(mail.subject, /1 open case\(s\), 1 open alert\(s\)/);
      assert.match(mail.text, /Beacon still active; isolate at 9\./);
      assert.match(mail.text, /\[critical\] Beacon to C2/);
      assert.match(mail.text, /\[high\] Beacon investigation \(new\)/);
      assert.doesNotMatch(mail.text, /Not ours|Closed one|Old false alarm|Last week/);
      assert.match(mail.text, new RegExp(w.users.analyst.email.replace('.', '\\.')));

      const history = await api('GET', '/api/v1/handovers', undefined, w.users.read_only.access);
      assert.equal(history.statusCode, 200);
      assert.equal(history.json().items[0].id, h.id);
      const detail = await api('GET', `/api/v1/handovers/${h.id}`);
      assert.equal(detail.json().notes, 'Beacon still active; isolate at 9.');
    });

    test('without recipients nothing is sent; the next shift starts where the last ended; bad input', async () => {
      const quiet = await api('POST', '/api/v1/handovers', { notes: 'Quiet night.' });
      assert.equal(quiet.statusCode, 201);
      assert.equal(quiet.json().delivery.status, 'not_sent');
      const next = await api('POST', '/api/v1/handovers', { notes: 'Still quiet.' });
      assert.equal(next.json().shift_start, quiet.json().shift_end);
      const resend = await api('POST', `/api/v1/handovers/${quiet.json().id}/send`);
      assert.equal(resend.statusCode, 422);
      assert.equal(resend.json().error.code, 'no_recipients');
      const backwards = await api('POST', '/api/v1/handovers', {
        notes: 'x',
        shift_start: '2026-01-02T00:00:00Z',
        shift_end: '2026-01-01T00:00:00Z',
      });
      assert.equal(backwards.statusCode, 422);
      assert.equal(backwards.json().error.code, 'invalid_shift');
      assert.equal(
        (await api('POST', '/api/v1/handovers', { notes: 'x', recipients: ['not-an-address'] })).statusCode,
        400,
      );
      assert.equal((await api('POST', '/api/v1/handovers', { notes: '' })).statusCode, 400);
      assert.equal(
        (await api('POST', '/api/v1/handovers', { notes: 'x', shift_start: 'soon' })).statusCode,
        400,
      );
      assert.equal(
        (await api('POST', '/api/v1/handovers', { notes: 'x' }, w.users.read_only.access)).statusCode,
        403,
      );
    });

    test('a failed delivery is kept with its reason and can be sent again', async () => {
      // The same store through a mailer that has no server: the handover is kept, marked failed.
      const offline = new HandoverService(w.t.runtime.ctx.database, new DisabledMailer());
      const author = { id: w.users.analyst.id, email: w.users.analyst.email };
      const failed = await offline.create(w.orgId, author, {
        notes: 'mail down',
        recipients: ['a@example.com'],
      });
      assert.equal(failed.delivery_status, 'failed');
      assert.match(failed.delivery_error ?? '', /HARRIER_SMTP_URL/);
      const kept = await api('GET', `/api/v1/handovers/${failed.id}`);
      assert.deepEqual(kept.json().delivery, {
        status: 'failed',
        error: failed.delivery_error,
        sent_at: null,
      });
      const count = smtp.messages.length;
      const resent = await api('POST', `/api/v1/handovers/${failed.id}/send`);
      assert.equal(resent.statusCode, 200, resent.body);
      assert.equal(resent.json().delivery.status, 'sent');
      assert.equal(resent.json().delivery.error, null);
      await smtp.waitFor(count + 1);
      assert.match(smtp.messages.at(-1)!.text, /mail down/);
    });

    test('another organization sees none of the handovers', async () => {
      const h = (await api('POST', '/api/v1/handovers', { notes: 'ours' })).json();
      const other = w.otherAdmin.access;
      assert.equal((await api('GET', `/api/v1/handovers/${h.id}`, undefined, other)).statusCode, 404);
      assert.equal((await api('POST', `/api/v1/handovers/${h.id}/send`, undefined, other)).statusCode, 404);
      assert.equal((await api('GET', '/api/v1/handovers', undefined, other)).json().items.length, 0);
      const theirs = (await api('POST', '/api/v1/handovers', { notes: 'theirs' }, other)).json();
      assert.deepEqual(theirs.open_cases, []);
      assert.deepEqual(
        theirs.open_alerts.map((a: { title: string }) => a.title),
        ['Not ours'],
      );
    });
  });
}
