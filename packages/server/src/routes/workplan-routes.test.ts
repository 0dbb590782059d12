import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert } from '../test-support/management-fixtures.ts';

const MISSING = '00000000-0000-7000-8000-000000000000';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`workplans on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store, { HARRIER_DECISION_INTERVAL: '0' });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      token: string = w.users.analyst.access,
    ) => w.request(method, url, { token, ...(body !== undefined ? { body } : {}) });

    test('a plan on an alert with tasks: owners, due dates, status, progress', async () => {
      const alertId = await insertAlert(w.t.runtime.ctx.database, { orgId: w.orgId, severity: 'high' });
      const created = await api('POST', '/api/v1/workplans', {
        title: 'Contain host-7',
        subject_type: 'alert',
        subject_id: alertId,
        owner_id: w.users.senior_analyst.id,
        tasks: [
          { title: 'Isolate host', owner_id: w.users.analyst.id, due_at: '2026-11-24T09:00:00Z' },
          { title: 'Collect memory image', due_at: 1_795_000_000_000 },
        ],
      });
      assert.equal(created.statusCode, 201, created.body);
      const plan = created.json();
      assert.equal(plan.subject_type, 'alert');
      assert.deepEqual(plan.progress, { done: 0, total: 2 });
      assert.deepEqual(
        plan.tasks.map((t: { title: string; status: string }) => [t.title, t.status]),
        [
          ['Isolate host', 'todo'],
          ['Collect memory image', 'todo'],
        ],
      );
      assert.equal(plan.tasks[0].due_at, '2026-11-24T09:00:00.000Z');
      assert.equal(plan.tasks[0].owner_id, w.users.analyst.id);

      const taskId = plan.tasks[0].id;
      const done = await api('PATCH', `/api/v1/workplans/${plan.id}/tasks/${taskId}`, { status: 'done' });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'done');
      const added = await api('POST', `/api/v1/workplans/${plan.id}/tasks`, {
        title: 'Reset credentials',
        status: 'blocked',
      });
      assert.equal(added.statusCode, 201);
      assert.equal(added.json().position, 2);
      const unknownOwner = await api('PATCH', `/api/v1/workplans/${plan.id}/tasks/${taskId}`, {
        owner_id: w.otherAdmin.id,
      });
      assert.equal(unknownOwner.statusCode, 422);
      assert.equal(unknownOwner.json().error.code, 'unknown_user');
      const badDue = await api('PATCH', `/api/v1/workplans/${plan.id}/tasks/${taskId}`, {
        due_at: 'next tuesday',
      });
      assert.equal(badDue.statusCode, 400);
      const badStatus = await api('PATCH', `/api/v1/workplans/${plan.id}/tasks/${taskId}`, {
        status: 'finished',
      });
      assert.equal(badStatus.statusCode, 400);
      assert.equal(
        (await api('DELETE', `/api/v1/workplans/${plan.id}/tasks/${plan.tasks[1].id}`)).statusCode,
        204,
      );

      const detail = (await api('GET', `/api/v1/workplans/${plan.id}`)).json();
      assert.deepEqual(detail.progress, { done: 1, total: 2 });
      assert.deepEqual(
        detail.tasks.map((t: { title: string }) => t.title),
        ['Isolate host', 'Reset credentials'],
      );
      const renamed = await api('PATCH', `/api/v1/workplans/${plan.id}`, {
        title: 'Contain and clean host-7',
      });
      assert.equal(renamed.json().title, 'Contain and clean host-7');
      const forAlert = await api('GET', `/api/v1/workplans?subject_type=alert&subject_id=${alertId}`);
      assert.deepEqual(
        forAlert.json().items.map((p: { id: string }) => p.id),
        [plan.id],
      );
    });

    test('a plan on a case; subjects must exist; read-only users cannot write; delete', async () => {
      const c = (await api('POST', '/api/v1/cases', { title: 'Intrusion' })).json();
      const plan = await api('POST', '/api/v1/workplans', {
        title: 'Case plan',
        subject_type: 'case',
        subject_id: c.id,
      });
      assert.equal(plan.statusCode, 201, plan.body);
      const noCase = await api('POST', '/api/v1/workplans', {
        title: 'x',
        subject_type: 'case',
        subject_id: MISSING,
      });
      assert.equal(noCase.statusCode, 404);
      assert.equal(noCase.json().error.code, 'case_not_found');
      const noAlert = await api('POST', '/api/v1/workplans', {
        title: 'x',
        subject_type: 'alert',
        subject_id: MISSING,
      });
      assert.equal(noAlert.json().error.code, 'alert_not_found');
      const badType = await api('POST', '/api/v1/workplans', {
        title: 'x',
        subject_type: 'device',
        subject_id: c.id,
      });
      assert.equal(badType.statusCode, 400);
      const ro = await api(
        'POST',
        '/api/v1/workplans',
        { title: 'x', subject_type: 'case', subject_id: c.id },
        w.users.read_only.access,
      );
      assert.equal(ro.statusCode, 403);
      assert.equal(
        (await api('GET', `/api/v1/workplans/${plan.json().id}`, undefined, w.users.read_only.access))
          .statusCode,
        200,
      );
      assert.equal((await api('DELETE', `/api/v1/workplans/${plan.json().id}`)).statusCode, 204);
      assert.equal((await api('GET', `/api/v1/workplans/${plan.json().id}`)).statusCode, 404);
    });

    test('seed 004: assigning an alert gives it a workplan, once, owned by the assignee', async () => {
      const alertId = await insertAlert(w.t.runtime.ctx.database, {
        orgId: w.orgId,
        title: 'Pwned password',
      });
      const assign = (user: string) =>
        api('PATCH', `/alerts/${alertId}`, { assigned_to: user }, w.users.senior_analyst.access);
      assert.equal((await assign(w.users.analyst.id)).statusCode, 200);
      assert.equal((await assign(w.users.senior_analyst.id)).statusCode, 200);
      const plans = (await api('GET', `/api/v1/workplans?subject_type=alert&subject_id=${alertId}`)).json()
        .items;
      assert.equal(plans.length, 1);
      assert.equal(plans[0].title, 'Workplan for alert "Pwned password"');
      assert.equal(plans[0].owner_id, w.users.analyst.id);
    });

    test('list pages by cursor', async () => {
      const c = (await api('POST', '/api/v1/cases', { title: 'Paged plans' })).json();
      for (let i = 0; i < 5; i++)
        await api('POST', '/api/v1/workplans', {
          title: `Plan ${i}`,
          subject_type: 'case',
          subject_id: c.id,
        });
      const first = await api('GET', `/api/v1/workplans?subject_id=${c.id}&limit=3`);
      assert.equal(first.json().items.length, 3);
      const second = await api(
        'GET',
        `/api/v1/workplans?subject_id=${c.id}&limit=3&cursor=${first.json().next_cursor}`,
      );
      assert.deepEqual(
        [...first.json().items, ...second.json().items].map((p: { title: string }) => p.title),
        ['Plan 4', 'Plan 3', 'Plan 2', 'Plan 1', 'Plan 0'],
      );
      assert.equal(second.json().next_cursor, null);
    });

    test('another organization can neither see nor change a plan, nor attach one to our case', async () => {
      const c = (await api('POST', '/api/v1/cases', { title: 'Ours' })).json();
      const plan = (
        await api('POST', '/api/v1/workplans', {
          title: 'Ours',
          subject_type: 'case',
          subject_id: c.id,
          tasks: [{ title: 'a task' }],
        })
      ).json();
      const other = w.otherAdmin.access;
      const taskUrl = `/api/v1/workplans/${plan.id}/tasks/${plan.tasks[0].id}`;
      for (const [method, url, body] of [
        ['GET', `/api/v1/workplans/${plan.id}`],
        ['PATCH', `/api/v1/workplans/${plan.id}`, { title: 'theirs' }],
        ['DELETE', `/api/v1/workplans/${plan.id}`],
        ['POST', `/api/v1/workplans/${plan.id}/tasks`, { title: 'x' }],
        ['PATCH', taskUrl, { status: 'done' }],
        ['DELETE', taskUrl],
      ] as Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]>) {
        assert.equal((await api(method, url, body, other)).statusCode, 404, `${method} ${url}`);
      }
      const onOurs = await api(
        'POST',
        '/api/v1/workplans',
        { title: 'x', subject_type: 'case', subject_id: c.id },
        other,
      );
      assert.equal(onOurs.statusCode, 404);
      assert.equal((await api('GET', '/api/v1/workplans', undefined, other)).json().items.length, 0);
      assert.equal((await api('GET', `/api/v1/workplans/${plan.id}`)).json().tasks[0].status, 'todo');
    });
  });
}
