import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEVERITIES, uuidv7 } from '@harrier/schema';
import type { DomainEvent } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { AlertsRepository } from '../repositories/alerts-repository.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

interface Seeded {
  orgId: string;
  title?: string;
  severity?: (typeof SEVERITIES)[number];
  status?: string;
  at?: number;
  deviceId?: string | null;
  ruleUid?: string;
  techniques?: string[];
}

/** Inserts alerts straight through the repository (many at once, fast). */
async function seedAlerts(database: HarrierDatabase, specs: Seeded[]): Promise<string[]> {
  const base = Date.now() - specs.length * 1000;
  const rows = specs.map((s, i) => {
    const at = s.at ?? base + i * 1000;
    const id = uuidv7(at);
    const severity = s.severity ?? 'medium';
    return {
      id,
      org_id: s.orgId,
      rule_id: null,
      rule_uid: s.ruleUid ?? 'rule-x',
      rule_version: null,
      rule_title: `Rule ${s.ruleUid ?? 'x'}`,
      kind: 'rule',
      title: s.title ?? `Alert ${i}`,
      severity,
      severity_rank: SEVERITIES.indexOf(severity),
      status: s.status ?? 'open',
      device_id: s.deviceId ?? null,
      group_key: id,
      first_seen: at,
      last_seen: at,
      count: 1,
      matched_event_ids: '[]',
      mitre_techniques: JSON.stringify(s.techniques ?? []),
      mitre_tactics: '[]',
      details: '{}',
      created_at: at,
      updated_at: at,
    };
  });
  await new AlertsRepository(database.db).insertMany(rows);
  return rows.map((r) => r.id);
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`alert triage on ${store.name}`, () => {
    let w: IdentityWorld;
    let db: HarrierDatabase;
    const events: DomainEvent[] = [];
    before(async () => {
      w = await startIdentityWorld(store);
      db = w.t.runtime.ctx.database;
      w.t.runtime.ctx.domainEvents.subscribe((e) => {
        events.push(e);
      });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const analyst = () => w.users.analyst.access;
    const status = (id: string, s: string, token = analyst(), extra: Record<string, unknown> = {}) =>
      w.request('POST', `/api/v1/alerts/${id}/status`, { token, body: { status: s, ...extra } });

    test('every transition, each refusal a 409 naming the current status, all in history', async () => {
      const [a, b, c] = await seedAlerts(db, [{ orgId: w.orgId }, { orgId: w.orgId }, { orgId: w.orgId }]);
      const path: Array<[string, string]> = [
        [a!, 'acknowledged'],
        [a!, 'in_progress'],
        [a!, 'resolved'],
        [a!, 'open'],
        [a!, 'false_positive'],
        [a!, 'open'],
        [a!, 'in_progress'],
        [a!, 'false_positive'],
        [b!, 'resolved'],
        [b!, 'open'],
        [b!, 'acknowledged'],
        [b!, 'false_positive'],
        [c!, 'in_progress'],
        [c!, 'resolved'],
      ];
      for (const [id, to] of path) {
        const r = await status(id, to, analyst(), { reason: `to ${to}` });
        assert.equal(r.statusCode, 200, `${to}: ${r.body}`);
        assert.equal(r.json().status, to);
      }
      const refusals: Array<[string, string, string]> = [
        [a!, 'false_positive', 'false_positive'],
        [a!, 'acknowledged', 'false_positive'],
        [a!, 'in_progress', 'false_positive'],
        [a!, 'resolved', 'false_positive'],
        [c!, 'resolved', 'resolved'],
        [c!, 'acknowledged', 'resolved'],
      ];
      for (const [id, to, current] of refusals) {
        const r = await status(id, to);
        assert.equal(r.statusCode, 409, `${current} → ${to}`);
        assert.equal(r.json().error.code, 'invalid_transition');
        assert.equal(r.json().error.details.current_status, current);
        assert.match(r.json().error.message, new RegExp(current));
      }
      const [d] = await seedAlerts(db, [{ orgId: w.orgId, status: 'in_progress' }]);
      assert.equal((await status(d!, 'acknowledged')).statusCode, 409, 'no way back to acknowledged');
      assert.equal((await status(d!, 'open')).statusCode, 409, 'reopen only from a closed status');
      assert.equal((await status(a!, 'closed')).statusCode, 400, 'closed is never set');
      assert.equal((await status(a!, 'bogus')).statusCode, 400);

      const history = await w.request('GET', `/api/v1/alerts/${a}/history`, {
        token: w.users.read_only.access,
      });
      assert.equal(history.statusCode, 200);
      const items = history.json().items as Array<Record<string, unknown>>;
      assert.deepEqual(
        items.map((h) => `${h.action}:${h.from_status}>${h.to_status}`),
        [
          'status:open>acknowledged',
          'status:acknowledged>in_progress',
          'status:in_progress>resolved',
          'reopen:resolved>open',
          'status:open>false_positive',
          'reopen:false_positive>open',
          'status:open>in_progress',
          'status:in_progress>false_positive',
        ],
      );
      assert.equal(items[0]!.actor_id, w.users.analyst.id);
      assert.equal(items[0]!.reason, 'to acknowledged');
      assert.ok(typeof items[0]!.at === 'string');

      const conclusion = await status(b!, 'open');
      assert.equal(conclusion.statusCode, 200);
      const closed = await status(b!, 'resolved', analyst(), { conclusion: 'Benign admin script' });
      assert.equal(closed.json().conclusion, 'Benign admin script');
      assert.ok(closed.json().status_changed_at);

      assert.equal((await status(a!, 'open', w.users.read_only.access)).statusCode, 403);
      assert.equal((await status(a!, 'open', w.narrowToken)).statusCode, 403);
      assert.equal((await status(a!, 'open', w.otherAdmin.access)).statusCode, 404, 'other organization');
      assert.equal(
        (await w.request('GET', `/api/v1/alerts/${a}/history`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      await w.t.runtime.ctx.domainEvents.idle();
      const updated = events.filter((e) => e.type === 'alert.updated' && e.subjectId === c);
      assert.deepEqual(
        updated.map((e) => [e.data.from, e.data.to, e.actorId]),
        [
          ['open', 'in_progress', w.users.analyst.id],
          ['in_progress', 'resolved', w.users.analyst.id],
        ],
      );
    });

    test('assignment to a user or a work group, escalation with a reason, events after commit', async () => {
      const [a] = await seedAlerts(db, [{ orgId: w.orgId, title: 'To assign' }]);
      const lead = w.users.team_lead;
      const group = await w.request('POST', '/api/v1/work-groups', {
        token: lead.access,
        body: { name: 'Tier 2', lead_user_id: w.users.senior_analyst.id, member_ids: [w.users.analyst.id] },
      });
      assert.equal(group.statusCode, 201, group.body);
      const g = group.json();
      assert.deepEqual(g.member_ids.sort(), [w.users.analyst.id, w.users.senior_analyst.id].sort());
      assert.equal(g.lead_user_id, w.users.senior_analyst.id);

      const assign = await w.request('POST', `/api/v1/alerts/${a}/assign`, {
        token: analyst(),
        body: { user_id: w.users.analyst.id },
      });
      assert.equal(assign.statusCode, 200, assign.body);
      assert.deepEqual(assign.json().assignee, { user_id: w.users.analyst.id, group_id: null });
      const toGroup = await w.request('POST', `/api/v1/alerts/${a}/assign`, {
        token: analyst(),
        body: { group_id: g.id, reason: 'shift change' },
      });
      assert.deepEqual(toGroup.json().assignee, { user_id: null, group_id: g.id });

      for (const body of [
        { user_id: w.otherAdmin.id },
        { user_id: 'no-such-user' },
        { group_id: 'no-such-group' },
      ]) {
        const r = await w.request('POST', `/api/v1/alerts/${a}/assign`, { token: analyst(), body });
        assert.equal(r.statusCode, 422, JSON.stringify(body));
      }

      const noReason = await w.request('POST', `/api/v1/alerts/${a}/escalate`, {
        token: analyst(),
        body: { user_id: w.users.senior_analyst.id },
      });
      assert.equal(noReason.statusCode, 400);
      const noTarget = await w.request('POST', `/api/v1/alerts/${a}/escalate`, {
        token: analyst(),
        body: { reason: 'x' },
      });
      assert.equal(noTarget.statusCode, 400);
      const esc = await w.request('POST', `/api/v1/alerts/${a}/escalate`, {
        token: analyst(),
        body: { user_id: w.users.senior_analyst.id, reason: 'Lateral movement suspected' },
      });
      assert.equal(esc.statusCode, 200, esc.body);
      assert.equal(esc.json().escalation_level, 1);
      assert.deepEqual(esc.json().assignee, { user_id: w.users.senior_analyst.id, group_id: null });
      const esc2 = await w.request('POST', `/api/v1/alerts/${a}/escalate`, {
        token: w.users.senior_analyst.access,
        body: { group_id: g.id, reason: 'Needs the IR team' },
      });
      assert.equal(esc2.json().escalation_level, 2);

      const mine = await w.request('GET', '/api/v1/alerts?assignee=none&group_id=' + g.id, {
        token: analyst(),
      });
      assert.deepEqual(
        mine.json().items.map((x: { id: string }) => x.id),
        [a],
      );

      const detail = await w.request('GET', `/api/v1/alerts/${a}`, { token: w.users.read_only.access });
      const actions = detail.json().history.map((h: { action: string }) => h.action);
      assert.deepEqual(actions, ['assign', 'assign', 'escalate', 'escalate']);
      assert.equal(detail.json().history[2].reason, 'Lateral movement suspected');
      assert.equal(detail.json().history[2].details.level, 1);

      const resolved = await seedAlerts(db, [{ orgId: w.orgId, status: 'resolved' }]);
      const closedEsc = await w.request('POST', `/api/v1/alerts/${resolved[0]}/escalate`, {
        token: analyst(),
        body: { user_id: w.users.senior_analyst.id, reason: 'late' },
      });
      assert.equal(closedEsc.statusCode, 409);
      assert.equal(closedEsc.json().error.details.current_status, 'resolved');

      await w.t.runtime.ctx.domainEvents.idle();
      const mineEvents = events.filter((e) => e.subjectId === a);
      assert.deepEqual(
        mineEvents.map((e) => e.type),
        ['alert.assigned', 'alert.assigned', 'alert.escalated', 'alert.escalated'],
      );
      assert.equal(mineEvents[2]!.data.reason, 'Lateral movement suspected');
      assert.equal(mineEvents[2]!.data.assigneeUserId, w.users.senior_analyst.id);
      assert.ok(mineEvents.every((e) => e.orgId === w.orgId));

      const foreignAssign = await w.request('POST', `/api/v1/alerts/${a}/assign`, {
        token: w.otherAdmin.access,
        body: { user_id: w.otherAdmin.id },
      });
      assert.equal(foreignAssign.statusCode, 404, 'another organization cannot assign it');
      const foreignDetail = await w.request('GET', `/api/v1/alerts/${a}`, { token: w.otherAdmin.access });
      assert.equal(foreignDetail.statusCode, 404);
      const foreign = await w.request('POST', `/api/v1/alerts/${a}/escalate`, {
        token: w.otherAdmin.access,
        body: { user_id: w.otherAdmin.id, reason: 'x' },
      });
      assert.equal(foreign.statusCode, 404);
    });

    test('an alert raised by hand: validated, never grouped, announced as created', async () => {
      const body = { title: 'Suspicious USB drive', severity: 'high', description: 'Found in lobby' };
      const one = await w.request('POST', '/api/v1/alerts', { token: analyst(), body });
      assert.equal(one.statusCode, 201, one.body);
      const two = await w.request('POST', '/api/v1/alerts', { token: analyst(), body });
      assert.notEqual(one.json().id, two.json().id, 'two reports are two alerts');
      assert.equal(one.json().kind, 'manual');
      assert.equal(one.json().status, 'open');
      assert.equal(one.json().details.description, 'Found in lobby');
      for (const bad of [
        { ...body, severity: 'extreme' },
        { ...body, title: '   ' },
        { severity: 'high' },
        { ...body, device_id: 'not-a-device' },
      ]) {
        const r = await w.request('POST', '/api/v1/alerts', { token: analyst(), body: bad });
        assert.ok(r.statusCode === 400 || r.statusCode === 422, `${JSON.stringify(bad)}: ${r.statusCode}`);
      }
      assert.equal(
        (await w.request('POST', '/api/v1/alerts', { token: w.users.read_only.access, body })).statusCode,
        403,
      );
      const foreign = await w.request('GET', `/api/v1/alerts/${one.json().id}`, {
        token: w.otherAdmin.access,
      });
      assert.equal(foreign.statusCode, 404);
      await w.t.runtime.ctx.domainEvents.idle();
      const created = events.find((e) => e.type === 'alert.created' && e.subjectId === one.json().id);
      assert.equal(created?.data.severity, 'high');
      assert.equal(created?.actorId, w.users.analyst.id);
    });

    test('work groups: CRUD, lead is a member, names unique per organization, permissions', async () => {
      const lead = w.users.team_lead.access;
      const created = await w.request('POST', '/api/v1/work-groups', {
        token: lead,
        body: { name: 'Night shift', description: 'EMEA nights' },
      });
      assert.equal(created.statusCode, 201);
      const id = created.json().id;
      const dup = await w.request('POST', '/api/v1/work-groups', {
        token: lead,
        body: { name: 'Night shift' },
      });
      assert.equal(dup.statusCode, 409);
      const elsewhere = await w.request('POST', '/api/v1/work-groups', {
        token: w.otherAdmin.access,
        body: { name: 'Night shift' },
      });
      assert.equal(elsewhere.statusCode, 201, 'names are per organization');
      assert.equal(
        (await w.request('POST', '/api/v1/work-groups', { token: analyst(), body: { name: 'Mine' } }))
          .statusCode,
        403,
      );
      const patched = await w.request('PATCH', `/api/v1/work-groups/${id}`, {
        token: lead,
        body: { lead_user_id: w.users.analyst.id, member_ids: [w.users.senior_analyst.id] },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(
        patched.json().member_ids.sort(),
        [w.users.analyst.id, w.users.senior_analyst.id].sort(),
      );
      const bad = await w.request('PATCH', `/api/v1/work-groups/${id}`, {
        token: lead,
        body: { member_ids: [w.otherAdmin.id] },
      });
      assert.equal(bad.statusCode, 422);
      const list = await w.request('GET', '/api/v1/work-groups', { token: w.users.read_only.access });
      assert.ok(list.json().items.some((g: { id: string }) => g.id === id));
      const otherList = await w.request('GET', '/api/v1/work-groups', { token: w.otherAdmin.access });
      assert.ok(!otherList.json().items.some((g: { id: string }) => g.id === id));
      assert.equal(
        (await w.request('GET', `/api/v1/work-groups/${id}`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      assert.equal(
        (await w.request('DELETE', `/api/v1/work-groups/${id}`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      const assignees = await w.request('GET', '/api/v1/alerts/assignees', { token: analyst() });
      assert.equal(assignees.statusCode, 200);
      assert.ok(assignees.json().groups.some((g: { id: string }) => g.id === id));
      assert.ok(!assignees.json().users.some((u: { id: string }) => u.id === w.otherAdmin.id));
      assert.equal((await w.request('DELETE', `/api/v1/work-groups/${id}`, { token: lead })).statusCode, 204);
      assert.equal((await w.request('GET', `/api/v1/work-groups/${id}`, { token: lead })).statusCode, 404);
    });

    test('comments: Markdown stored as written, oldest first, organization boundary', async () => {
      const [a] = await seedAlerts(db, [{ orgId: w.orgId }]);
      const body = '**Checked** the host <script>alert(1)</script>\n\n- one\n- two';
      const post = await w.request('POST', `/api/v1/alerts/${a}/comments`, {
        token: analyst(),
        body: { body },
      });
      assert.equal(post.statusCode, 201, post.body);
      assert.equal(post.json().body, body);
      assert.equal(post.json().author_id, w.users.analyst.id);
      await w.request('POST', `/api/v1/alerts/${a}/comments`, { token: analyst(), body: { body: 'second' } });
      assert.equal(
        (await w.request('POST', `/api/v1/alerts/${a}/comments`, { token: analyst(), body: { body: '' } }))
          .statusCode,
        400,
      );
      assert.equal(
        (await w.request('POST', `/api/v1/alerts/${a}/comments`, { token: analyst(), body: { body: '   ' } }))
          .statusCode,
        400,
      );
      assert.equal(
        (
          await w.request('POST', `/api/v1/alerts/${a}/comments`, {
            token: w.users.read_only.access,
            body: { body: 'x' },
          })
        ).statusCode,
        403,
      );
      const list = await w.request('GET', `/api/v1/alerts/${a}/comments?limit=1`, {
        token: w.users.read_only.access,
      });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(
        list.json().items.map((c: { body: string }) => c.body),
        [body],
      );
      const rest = await w.request('GET', `/api/v1/alerts/${a}/comments?after=${list.json().next_after}`, {
        token: analyst(),
      });
      assert.deepEqual(
        rest.json().items.map((c: { body: string }) => c.body),
        ['second'],
      );
      const detail = await w.request('GET', `/api/v1/alerts/${a}`, { token: analyst() });
      assert.equal(detail.json().comments.length, 2);
      for (const [method, url] of [
        ['GET', `/api/v1/alerts/${a}/comments`],
        ['POST', `/api/v1/alerts/${a}/comments`],
      ] as const) {
        const r = await w.request(method, url, {
          token: w.otherAdmin.access,
          ...(method === 'POST' ? { body: { body: 'x' } } : {}),
        });
        assert.equal(r.statusCode, 404, `${method} ${url}`);
      }
    });

    test('bulk changes by ids and by filter report a result per alert', async () => {
      const ids = await seedAlerts(db, [
        { orgId: w.orgId, ruleUid: 'bulk-rule' },
        { orgId: w.orgId, ruleUid: 'bulk-rule', status: 'resolved' },
        { orgId: w.orgId, ruleUid: 'bulk-rule' },
      ]);
      const [foreign] = await seedAlerts(db, [{ orgId: w.otherOrgId, ruleUid: 'bulk-rule' }]);
      const r = await w.request('POST', '/api/v1/alerts/bulk', {
        token: analyst(),
        body: { ids: [...ids, foreign], status: 'acknowledged', reason: 'triaged in bulk' },
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().succeeded, 2);
      assert.equal(r.json().failed, 2);
      const byId = new Map(r.json().results.map((x: { id: string }) => [x.id, x]));
      assert.deepEqual(byId.get(ids[0]), { id: ids[0], ok: true, status: 'acknowledged' });
      assert.equal((byId.get(ids[1]) as { error: { code: string } }).error.code, 'invalid_transition');
      assert.equal((byId.get(foreign) as { error: { code: string } }).error.code, 'alert_not_found');

      const byFilter = await w.request('POST', '/api/v1/alerts/bulk', {
        token: analyst(),
        body: {
          filter: { rule_id: 'bulk-rule', status: 'acknowledged' },
          assign: { user_id: w.users.analyst.id },
        },
      });
      assert.equal(byFilter.statusCode, 200, byFilter.body);
      assert.deepEqual(
        byFilter
          .json()
          .results.map((x: { id: string }) => x.id)
          .sort(),
        [ids[0], ids[2]].sort(),
      );
      const foreignRow = await new AlertsRepository(db.db).findById(w.otherOrgId, foreign!);
      assert.equal(foreignRow?.status, 'open', 'another organization is never touched');
      assert.equal(foreignRow?.assignee_user_id, null);

      for (const body of [
        { status: 'resolved' },
        { ids, filter: {}, status: 'resolved' },
        { ids },
        { ids, status: 'resolved', assign: { user_id: null } },
      ]) {
        const bad = await w.request('POST', '/api/v1/alerts/bulk', { token: analyst(), body });
        assert.equal(bad.statusCode, 400, JSON.stringify(body));
      }
      assert.equal(
        (
          await w.request('POST', '/api/v1/alerts/bulk', {
            token: w.users.read_only.access,
            body: { ids, status: 'resolved' },
          })
        ).statusCode,
        403,
      );
    });

    test('filters, sorting, cursor pagination and counts over many alerts', async () => {
      const t0 = Date.now() - 10 * 24 * 3600_000;
      const specs: Seeded[] = [];
      for (let i = 0; i < 150; i++) {
        specs.push({
          orgId: w.orgId,
          title: i % 10 === 0 ? `Mimikatz on host ${i}` : `Noise ${i}`,
          severity: SEVERITIES[i % SEVERITIES.length]!,
          status: i % 3 === 0 ? 'resolved' : 'open',
          at: t0 + i * 60_000,
          ruleUid: i % 2 === 0 ? 'paging-even' : 'paging-odd',
          techniques: i % 5 === 0 ? ['T1059.001'] : ['T1003'],
        });
      }
      await seedAlerts(db, specs);
      await seedAlerts(db, [{ orgId: w.otherOrgId, ruleUid: 'paging-even', title: 'Mimikatz elsewhere' }]);
      const since = new Date(t0 - 1).toISOString();
      const until = new Date(t0 + 150 * 60_000).toISOString();
      const base = `since=${since}&until=${until}`;

      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await w.request(
          'GET',
          `/api/v1/alerts?${base}&limit=40${cursor ? `&cursor=${cursor}` : ''}`,
          { token: analyst() },
        );
        assert.equal(res.statusCode, 200, res.body);
        all.push(...res.json().items.map((x: { id: string }) => x.id));
        cursor = res.json().next_cursor;
      } while (cursor);
      assert.equal(all.length, 150);
      assert.equal(new Set(all).size, 150);
      assert.deepEqual([...all].sort().reverse(), all, 'newest first');

      const bySeverity: Array<{ id: string; severity: string }> = [];
      cursor = null;
      do {
        const res = await w.request(
          'GET',
          `/api/v1/alerts?${base}&sort=severity&limit=33${cursor ? `&cursor=${cursor}` : ''}`,
          { token: analyst() },
        );
        assert.equal(res.statusCode, 200, res.body);
        bySeverity.push(...res.json().items);
        cursor = res.json().next_cursor;
      } while (cursor);
      assert.equal(bySeverity.length, 150);
      assert.equal(new Set(bySeverity.map((x) => x.id)).size, 150);
      const ranks = bySeverity.map((x) => SEVERITIES.indexOf(x.severity as (typeof SEVERITIES)[number]));
      assert.deepEqual(
        [...ranks].sort((a, b) => b - a),
        ranks,
        'highest severity first',
      );

      const q = async (params: string) => {
        const res = await w.request('GET', `/api/v1/alerts?${base}&limit=500&${params}`, {
          token: analyst(),
        });
        assert.equal(res.statusCode, 200, `${params}: ${res.body}`);
        return res.json().items as Array<Record<string, unknown>>;
      };
      assert.equal((await q('status=open')).length, 100);
      assert.equal((await q('status=open,resolved')).length, 150);
      assert.equal((await q('severity=critical')).length, 30);
      assert.equal((await q('severity=high')).length, 60);
      assert.equal((await q('rule_id=paging-odd')).length, 75);
      assert.equal((await q('technique=T1059')).length, 30);
      assert.equal((await q('technique=attack.t1003')).length, 120, 'the Sigma tag form works too');
      assert.equal((await q('technique=T1059.001')).length, 30);
      assert.equal((await q('q=mimikatz')).length, 15);
      assert.equal((await q('q=MIMIKATZ&status=resolved')).length, 5);
      assert.equal((await q('assignee=me')).length, 0);
      assert.equal((await q('sort=oldest')).at(0)?.title, 'Mimikatz on host 0');
      const narrow = await w.request(
        'GET',
        `/api/v1/alerts?since=${new Date(t0 + 100 * 60_000).toISOString()}&until=${until}&limit=500`,
        { token: analyst() },
      );
      assert.equal(narrow.json().items.length, 50);

      const counts = await w.request('GET', `/api/v1/alerts/counts?${base}`, {
        token: w.users.read_only.access,
      });
      assert.equal(counts.statusCode, 200);
      assert.deepEqual(counts.json(), {
        total: 150,
        by_status: { open: 100, resolved: 50 },
        by_severity: { informational: 30, low: 30, medium: 30, high: 30, critical: 30 },
      });
      const openCritical = await w.request(
        'GET',
        `/api/v1/alerts/counts?${base}&status=open&severity=critical`,
        {
          token: analyst(),
        },
      );
      assert.equal(openCritical.json().total, 20);

      for (const bad of ['severity=extreme', 'since=yesterday', 'cursor=abc', 'sort=random']) {
        const r = await w.request('GET', `/api/v1/alerts?${bad}`, { token: analyst() });
        assert.equal(r.statusCode, 400, bad);
      }
      const otherCounts = await w.request('GET', `/api/v1/alerts/counts?${base}`, {
        token: w.otherAdmin.access,
      });
      assert.equal(otherCounts.json().total, 0, 'counts stay in the organization');
      const otherOrg = await w.request('GET', '/api/v1/alerts?q=mimikatz&limit=500', {
        token: w.otherAdmin.access,
      });
      assert.deepEqual(
        otherOrg.json().items.map((x: { title: string }) => x.title),
        ['Mimikatz elsewhere'],
      );
    });

    test('detection: a worked alert absorbs new matches; a resolved or false-positive one does not', async () => {
      const raise = async () => {
        const r = await w.request('POST', '/api/events/', {
          token: analyst(),
          body: { source: 'edr', event_type: 'malware', severity: 'CRITICAL', description: 'Grouping probe' },
        });
        assert.equal(r.statusCode, 201, r.body);
        await w.t.runtime.ctx.pipeline.idle();
        const list = await w.request('GET', '/api/v1/alerts?q=grouping%20probe&limit=50', {
          token: analyst(),
        });
        return list.json().items as Array<{ id: string; status: string; count: number }>;
      };
      const [first] = await raise();
      assert.equal(first!.count, 1);
      await status(first!.id, 'acknowledged');
      const grown = await raise();
      assert.equal(grown.length, 1, 'an acknowledged alert still absorbs matches');
      assert.equal(grown[0]!.count, 2);
      await status(first!.id, 'resolved');
      const afterResolve = await raise();
      assert.equal(afterResolve.length, 2, 'a resolved alert does not absorb: a new one opens');
      assert.equal(afterResolve[0]!.status, 'open');
      assert.equal(afterResolve[1]!.count, 2);
      await status(afterResolve[0]!.id, 'false_positive');
      const afterFalsePositive = await raise();
      assert.equal(afterFalsePositive.length, 3, 'nor does a false positive');
    });

    test('the OpenAPI document describes the triage routes', async () => {
      const doc = await w.t.runtime.app.inject('/openapi.json');
      assert.equal(doc.statusCode, 200);
      const paths = doc.json().paths as Record<string, Record<string, unknown>>;
      for (const [path, method] of [
        ['/api/v1/alerts', 'post'],
        ['/api/v1/alerts/counts', 'get'],
        ['/api/v1/alerts/bulk', 'post'],
        ['/api/v1/alerts/{id}/status', 'post'],
        ['/api/v1/alerts/{id}/assign', 'post'],
        ['/api/v1/alerts/{id}/escalate', 'post'],
        ['/api/v1/alerts/{id}/comments', 'post'],
        ['/api/v1/work-groups', 'post'],
        ['/api/alerts/', 'get'],
        ['/api/alerts/{id}/status/', 'patch'],
        ['/alerts/{id}/escalate', 'post'],
      ] as const)
        assert.ok(paths[path]?.[method], `${method} ${path}`);
    });

    test('deletion is for admins, removes history and comments, and stays in its organization', async () => {
      const [a] = await seedAlerts(db, [{ orgId: w.orgId }]);
      await status(a!, 'acknowledged');
      await w.request('POST', `/api/v1/alerts/${a}/comments`, { token: analyst(), body: { body: 'hi' } });
      assert.equal(
        (await w.request('DELETE', `/api/v1/alerts/${a}`, { token: w.users.team_lead.access })).statusCode,
        403,
      );
      assert.equal(
        (await w.request('DELETE', `/api/v1/alerts/${a}`, { token: w.otherAdmin.access })).statusCode,
        404,
      );
      assert.equal(
        (await w.request('DELETE', `/api/v1/alerts/${a}`, { token: w.users.admin.access })).statusCode,
        204,
      );
      assert.equal((await w.request('GET', `/api/v1/alerts/${a}`, { token: analyst() })).statusCode, 404);
      const left = await db.db.selectFrom('alert_history').select('id').where('alert_id', '=', a!).execute();
      assert.equal(left.length, 0);
      const comments = await db.db.selectFrom('comments').select('id').where('subject_id', '=', a!).execute();
      assert.equal(comments.length, 0);

      const [b] = await seedAlerts(db, [{ orgId: w.orgId }]);
      const act = await w.request('POST', `/api/v1/alerts/${b}/actions`, {
        token: analyst(),
        body: { action: 'isolate_device', target: 'host-1', reason: 'ransomware' },
      });
      assert.equal(act.statusCode, 201, act.body);
      assert.deepEqual(act.json().details, { action: 'isolate_device', target: 'host-1' });
      assert.equal(
        (
          await w.request('POST', `/api/v1/alerts/${b}/actions`, {
            token: w.otherAdmin.access,
            body: { action: 'isolate_device' },
          })
        ).statusCode,
        404,
      );
    });
  });
}
