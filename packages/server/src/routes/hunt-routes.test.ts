import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uuidv7 } from '@harrier/schema';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

const MINUTE = 60_000;
const base = Date.now() - 60 * MINUTE;

/** Twelve process events over an hour: three hosts, two users, a few notable command lines. */
function events() {
  const lines = [
    'cmd.exe /c whoami /all',
    'powershell -enc SQBFAFgA',
    'curl http://example.test/a',
    '=HYPERLINK("http://evil.test")',
  ];
  return Array.from({ length: 12 }, (_, i) => ({
    ts: new Date(base + i * 5 * MINUTE).toISOString(),
    type: 'process_start',
    fields: {
      Computer: `ws-${(i % 3) + 1}`,
      Image:
        i % 2 === 0
          ? 'C:\\Windows\\System32\\cmd.exe'
          : 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      CommandLine: lines[i % 4],
      User: i < 6 ? 'alice' : 'bob',
      ProcessId: 1000 + i,
    },
  }));
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`hunting API on ${store.name}`, () => {
    let w: IdentityWorld;
    let analyst: string;
    let senior: string;
    let readOnly: string;
    let otherAdmin: string;

    before(async () => {
      w = await startIdentityWorld(store);
      analyst = w.users.analyst.access;
      senior = w.users.senior_analyst.access;
      readOnly = w.users.read_only.access;
      otherAdmin = w.otherAdmin.access;
      const device = await w.t.enroll('hunt-host');
      const res = await w.t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'hunt-1',
        events: events(),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().accepted, 12);
      // The other organization's events, with a marker no query of ours may ever see.
      const db = w.t.runtime.ctx.database.db;
      for (let i = 0; i < 3; i++) {
        await db
          .insertInto('events')
          .values({
            id: uuidv7(base + i),
            org_id: w.otherOrgId,
            device_id: null,
            ts: base + i * MINUTE,
            received_at: base + i * MINUTE,
            source: 'native',
            product: 'windows',
            category: 'process_creation',
            service: null,
            event_code: null,
            severity: null,
            title: null,
            hostname: 'other-org-host',
            user_name: 'mallory',
            image: 'C:\\secret.exe',
            command_line: 'cmd.exe /c whoami OTHER-ORG-SECRET',
            parent_image: null,
            target_filename: null,
            source_ip: null,
            destination_ip: null,
            destination_port: null,
            fields: JSON.stringify({ CommandLine: 'cmd.exe /c whoami OTHER-ORG-SECRET' }),
            raw: null,
            batch_id: null,
          })
          .execute();
      }
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    const hunt = (token: string, body: Record<string, unknown>) =>
      w.request('POST', '/api/v1/hunt', { token, body });

    test('a hunt returns columns, rows, a histogram, statistics and elapsed time', async () => {
      const res = await hunt(analyst, {
        query:
          'Events | where CommandLine contains "whoami" | project Timestamp, Computer, User, CommandLine',
        from: new Date(base - MINUTE).toISOString(),
        to: new Date(base + 61 * MINUTE).toISOString(),
      });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.deepEqual(
        b.columns.map((c: { name: string }) => c.name),
        ['Timestamp', 'Computer', 'User', 'CommandLine'],
      );
      assert.equal(b.columns[0].type, 'datetime');
      assert.equal(b.rows.length, 3);
      for (const row of b.rows) {
        assert.match(row[0], /^\d{4}-\d\d-\d\dT/);
        assert.match(row[3], /whoami/);
        assert.doesNotMatch(row[3], /OTHER-ORG/);
      }
      // Newest first without a sort.
      assert.ok(row0(b) >= row0({ rows: b.rows.slice(-1) }));
      assert.equal(b.table, 'Events');
      assert.equal(b.statistics.row_count, 3);
      assert.equal(b.statistics.truncated, false);
      assert.equal(typeof b.elapsed_ms, 'number');
      assert.ok(b.histogram.bucket_ms > 0);
      const total = b.histogram.buckets.reduce((n: number, x: { count: number }) => n + x.count, 0);
      assert.equal(total, 3);
      assert.ok(b.histogram.buckets.length > 3, 'empty buckets are filled');
    });

    test('summarize by two fields, top, count and distinct', async () => {
      const res = await hunt(analyst, {
        query:
          'Events | where Source == "native" | summarize n = count() by User, Computer | sort by User asc, Computer asc',
      });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.deepEqual(
        b.columns.map((c: { name: string }) => c.name),
        ['User', 'Computer', 'n'],
      );
      assert.deepEqual(b.rows, [
        ['alice', 'ws-1', 2],
        ['alice', 'ws-2', 2],
        ['alice', 'ws-3', 2],
        ['bob', 'ws-1', 2],
        ['bob', 'ws-2', 2],
        ['bob', 'ws-3', 2],
      ]);
      const top = await hunt(analyst, {
        query: 'Events | summarize n = count() by CommandLine | top 1 by n',
      });
      assert.equal(top.json().rows[0][1], 3);
      const count = await hunt(analyst, { query: 'Events | count' });
      assert.deepEqual(count.json().rows, [[12]]);
    });

    test('query errors are 400s with the position and what was expected', async () => {
      const res = await hunt(analyst, { query: 'Events | where User == ' });
      assert.equal(res.statusCode, 400);
      const e = res.json().error;
      assert.equal(e.code, 'invalid_query');
      assert.equal(e.details.code, 'SYNTAX_ERROR');
      assert.equal(e.details.line, 1);
      assert.ok(e.details.column > 1);
      assert.ok(Array.isArray(e.details.expected));
      const multiline = await hunt(analyst, { query: 'Events\n| where EventID > "x" and' });
      assert.equal(multiline.statusCode, 400);
      assert.equal(multiline.json().error.details.line, 2);
      const regex = await hunt(analyst, { query: 'Events | where CommandLine matches regex "(a+)+$"' });
      assert.equal(regex.statusCode, 400);
      assert.equal(regex.json().error.details.code, 'UNSAFE_REGEX');
      const take = await hunt(analyst, { query: 'Events | take 50000' });
      assert.equal(take.statusCode, 400);
      assert.equal(take.json().error.details.code, 'ROW_LIMIT');
      const wide = await hunt(analyst, { query: 'Events', from: 0, to: Date.now() });
      assert.equal(wide.statusCode, 400);
      assert.equal(wide.json().error.details.code, 'TIME_LIMIT');
      const badTime = await hunt(analyst, { query: 'Events', from: 'yesterday' });
      assert.equal(badTime.statusCode, 400);
      assert.equal(badTime.json().error.code, 'invalid_time');
    });

    test('hostile queries read nothing of another organization and no table outside the catalog', async () => {
      for (const query of [
        'users | take 1',
        'auth_sessions',
        'Events; select * from users',
        'sqlite_master | take 1',
        'pg_catalog.pg_user',
      ]) {
        const res = await hunt(analyst, { query });
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.ok(['TABLE_NOT_FOUND', 'SYNTAX_ERROR'].includes(res.json().error.details.code), query);
      }
      for (const query of [
        'Events | where Computer == "other-org-host"',
        'Events | where CommandLine contains "OTHER-ORG"',
        `Events | where User == "x' OR 1=1 --" or User == "mallory"`,
        'Events | where org_id != "" | where CommandLine contains "SECRET"',
        'Events | where ["org_id"] == "x" or true | where CommandLine has "OTHER"',
      ]) {
        const res = await hunt(analyst, { query });
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        assert.equal(res.json().rows.length, 0, query);
      }
      const all = await hunt(analyst, { query: 'Events | project CommandLine' });
      assert.ok(all.json().rows.every((r: string[]) => !String(r[0]).includes('OTHER-ORG')));
      // The other organization sees its own events and nothing of ours.
      const other = await hunt(otherAdmin, { query: 'Events | summarize count() by Computer' });
      assert.equal(other.statusCode, 200, other.body);
      assert.deepEqual(other.json().rows, [['other-org-host', 3]]);
    });

    test('the events explorer pages through a quick filter with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const qs = new URLSearchParams({ q: 'User:alice OR User:bob', limit: '5' });
        if (cursor) qs.set('cursor', cursor);
        if (pages === 0) qs.set('histogram', 'true');
        const res = await w.request('GET', `/api/v1/events?${qs}`, { token: readOnly });
        assert.equal(res.statusCode, 200, res.body);
        const b = res.json();
        if (pages === 0) {
          const total = b.histogram.buckets.reduce((n: number, x: { count: number }) => n + x.count, 0);
          assert.equal(total, 12);
        } else assert.equal(b.histogram, null);
        for (const item of b.items) seen.push(item.id);
        cursor = b.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.equal(seen.length, 12);
      assert.equal(new Set(seen).size, 12);
      const filtered = await w.request(
        'GET',
        `/api/v1/events?q=${encodeURIComponent('CommandLine:"whoami /all" AND Computer:ws-1')}`,
        {
          token: readOnly,
        },
      );
      const items = filtered.json().items;
      assert.equal(items.length, 1);
      assert.equal(items[0].computer, 'ws-1');
      assert.equal(items[0].fields.ProcessId, 1000);
      assert.equal(items[0].logsource.category, 'process_creation');
      const one = await w.request('GET', `/api/v1/events/${items[0].id}`, { token: readOnly });
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().command_line, 'cmd.exe /c whoami /all');
      const bad = await w.request('GET', '/api/v1/events?q=User%3A(alice', { token: readOnly });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'invalid_query');
      assert.ok(bad.json().error.details.column >= 1);
      const badCursor = await w.request('GET', '/api/v1/events?cursor=bm9wZQ', { token: readOnly });
      assert.equal(badCursor.statusCode, 400);
      // Another organization's event id is not found, not forbidden.
      const foreign = await w.request('GET', `/api/v1/events/${items[0].id}`, { token: otherAdmin });
      assert.equal(foreign.statusCode, 404);
    });

    test('saved queries: private to the owner, shared with the organization, owner-only changes', async () => {
      const create = await w.request('POST', '/api/v1/saved-queries', {
        token: analyst,
        body: { name: 'whoami', query: 'Events | where CommandLine has "whoami"', lookback_seconds: 86_400 },
      });
      assert.equal(create.statusCode, 201, create.body);
      const q = create.json();
      assert.equal(q.visibility, 'private');
      assert.equal(q.owned, true);
      assert.equal(q.schedule, null);
      // Private: invisible to a colleague and to the other organization.
      assert.equal(
        (await w.request('GET', `/api/v1/saved-queries/${q.id}`, { token: senior })).statusCode,
        404,
      );
      assert.equal(
        (await w.request('GET', `/api/v1/saved-queries/${q.id}`, { token: otherAdmin })).statusCode,
        404,
      );
      const share = await w.request('PATCH', `/api/v1/saved-queries/${q.id}`, {
        token: analyst,
        body: { visibility: 'shared', description: 'shell discovery' },
      });
      assert.equal(share.statusCode, 200, share.body);
      assert.equal(share.json().visibility, 'shared');
      const seen = await w.request('GET', `/api/v1/saved-queries/${q.id}`, { token: readOnly });
      assert.equal(seen.statusCode, 200);
      assert.equal(seen.json().owned, false);
      const list = await w.request('GET', '/api/v1/saved-queries?scope=shared', { token: readOnly });
      assert.ok(list.json().items.some((x: { id: string }) => x.id === q.id));
      assert.equal(
        (await w.request('GET', '/api/v1/saved-queries?scope=mine', { token: readOnly })).json().items.length,
        0,
      );
      const otherList = await w.request('GET', '/api/v1/saved-queries', { token: otherAdmin });
      assert.equal(otherList.json().items.length, 0);
      // A colleague may run it, not change it; read-only users may not save at all.
      const run = await w.request('POST', `/api/v1/saved-queries/${q.id}/run`, { token: readOnly, body: {} });
      assert.equal(run.statusCode, 200, run.body);
      assert.equal(run.json().rows.length, 3);
      assert.equal(run.json().saved_query.id, q.id);
      const foreignEdit = await w.request('PATCH', `/api/v1/saved-queries/${q.id}`, {
        token: senior,
        body: { name: 'mine now' },
      });
      assert.equal(foreignEdit.statusCode, 403);
      const roCreate = await w.request('POST', '/api/v1/saved-queries', {
        token: readOnly,
        body: { name: 'x', query: 'Events' },
      });
      assert.equal(roCreate.statusCode, 403);
      const invalid = await w.request('POST', '/api/v1/saved-queries', {
        token: analyst,
        body: { name: 'broken', query: 'Events | where' },
      });
      assert.equal(invalid.statusCode, 400);
      assert.equal(invalid.json().error.details.code, 'SYNTAX_ERROR');
      // Scheduling turns a query into a detection: analysts may not.
      const schedule = await w.request('PATCH', `/api/v1/saved-queries/${q.id}`, {
        token: analyst,
        body: { schedule: { interval_seconds: 300, threshold: 0 } },
      });
      assert.equal(schedule.statusCode, 403);
      const del = await w.request('DELETE', `/api/v1/saved-queries/${q.id}`, { token: analyst });
      assert.equal(del.statusCode, 204);
      assert.equal(
        (await w.request('GET', `/api/v1/saved-queries/${q.id}`, { token: analyst })).statusCode,
        404,
      );
    });

    test('history lists the caller’s own queries, newest first', async () => {
      await hunt(senior, { query: 'Events | take 1' });
      await hunt(senior, { query: 'Events | where' });
      const res = await w.request('GET', '/api/v1/hunt/history?limit=2', { token: senior });
      assert.equal(res.statusCode, 200);
      const items = res.json().items;
      assert.equal(items[0].query, 'Events | where');
      assert.equal(items[0].status, 'error');
      assert.equal(items[0].error_code, 'SYNTAX_ERROR');
      assert.equal(items[1].status, 'ok');
      assert.equal(items[1].row_count, 1);
      const theirs = await w.request('GET', '/api/v1/hunt/history', { token: otherAdmin });
      assert.ok(theirs.json().items.every((h: { query: string }) => h.query !== 'Events | where'));
      const cleared = await w.request('DELETE', '/api/v1/hunt/history', { token: senior });
      assert.ok(cleared.json().deleted >= 2);
    });

    test('exports results as CSV and JSON, with a row cap', async () => {
      const query = 'Events | where CommandLine startswith "=" | project Timestamp, Computer, CommandLine';
      const csv = await w.request('POST', '/api/v1/hunt/export', {
        token: analyst,
        body: { query, format: 'csv' },
      });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /attachment; filename="hunt-.*\.csv"/);
      const lines = csv.body.trimEnd().split('\r\n');
      assert.equal(lines[0], 'Timestamp,Computer,CommandLine');
      assert.equal(lines.length, 4);
      // A formula in event data is neutralized for spreadsheets.
      assert.match(lines[1]!, /,"'=HYPERLINK\(""http:\/\/evil\.test""\)"$/);
      const json = await w.request('POST', '/api/v1/hunt/export', {
        token: analyst,
        body: { query: 'Events | project Computer, User', format: 'json', limit: 5 },
      });
      assert.equal(json.statusCode, 200);
      const rows = json.json();
      assert.equal(rows.length, 5);
      assert.deepEqual(Object.keys(rows[0]), ['Computer', 'User']);
      assert.equal(json.headers['x-harrier-truncated'], 'true');
      const tooMany = await w.request('POST', '/api/v1/hunt/export', {
        token: analyst,
        body: { query: 'Events', format: 'csv', limit: 1_000_000 },
      });
      assert.equal(tooMany.statusCode, 400);
    });

    test('seed 004: POST /search/kql answers in its shape', async () => {
      const res = await w.request('POST', '/search/kql', {
        token: analyst,
        body: {
          query:
            'SecurityEvent | where User == "alice" and CommandLine contains "whoami" | project Computer, User | limit 50',
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.deepEqual(Object.keys(b).sort(), ['fields', 'hits', 'index', 'query', 'took_ms', 'total']);
      assert.equal(b.index, 'Events');
      assert.equal(b.total, 2);
      assert.deepEqual(b.fields, ['Computer', 'User']);
      assert.deepEqual(Object.keys(b.hits[0]), ['Computer', 'User']);
      const limited = await w.request('POST', '/search/kql', {
        token: analyst,
        body: { query: 'Events', limit: 3 },
      });
      assert.equal(limited.json().hits.length, 3);
      const syntax = await w.request('POST', '/search/kql', {
        token: analyst,
        body: { query: 'Events | where (' },
      });
      assert.equal(syntax.statusCode, 400);
      assert.equal(syntax.json().detail.error_type, 'SYNTAX_ERROR');
      assert.equal(typeof syntax.json().detail.message, 'string');
      const table = await w.request('POST', '/search/kql', {
        token: analyst,
        body: { query: 'Nope | take 1' },
      });
      assert.equal(table.statusCode, 404);
      assert.equal(table.json().detail.error_type, 'TABLE_NOT_FOUND');
      const anonymous = await w.request('POST', '/search/kql', { body: { query: 'Events' } });
      assert.equal(anonymous.statusCode, 401);
      const empty = await w.request('POST', '/search/kql', { token: analyst, body: { query: '' } });
      assert.equal(empty.statusCode, 422);
    });

    test('seed 004: GET /events searches with its query, severity and size', async () => {
      const res = await w.request('GET', '/events?query=User:alice&size=2', { token: analyst });
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json();
      assert.equal(list.length, 2);
      assert.deepEqual(Object.keys(list[0]).sort(), [
        'agent_id',
        'category',
        'details',
        'event_id',
        'event_type',
        'message',
        'severity',
        'timestamp',
      ]);
      assert.equal(list[0].details.User, 'alice');
      assert.equal(list[0].event_type, 'process_creation');
      const none = await w.request('GET', '/events?severity=critical', { token: analyst });
      assert.deepEqual(none.json(), []);
      const bad = await w.request('GET', '/events?query=User%3A(', { token: analyst });
      assert.equal(bad.statusCode, 400);
      assert.equal(typeof bad.json().detail, 'string');
      assert.equal((await w.request('GET', '/events')).statusCode, 401);
    });

    test('the schema lists the catalog for the editor, without SQL names', async () => {
      const res = await w.request('GET', '/api/v1/hunt/schema', { token: readOnly });
      assert.equal(res.statusCode, 200);
      const tables = res.json().tables as Array<{ name: string; columns: Array<{ name: string }> }>;
      assert.deepEqual(tables.map((t) => t.name).sort(), ['Alerts', 'Devices', 'Events', 'Heartbeats']);
      const alerts = tables.find((t) => t.name === 'Alerts')!;
      assert.ok(alerts.columns.some((c) => c.name === 'RuleTitle'));
      assert.doesNotMatch(res.body, /org_id|command_line/);
    });

    test('a scheduled query raises an alert with its rows as evidence, then grows it', async () => {
      const ctx = w.t.runtime.ctx;
      const create = await w.request('POST', '/api/v1/saved-queries', {
        token: senior,
        body: {
          name: 'Encoded PowerShell',
          query: 'Events | where CommandLine contains "-enc" | project Id, Timestamp, Computer, CommandLine',
          visibility: 'shared',
          lookback_seconds: 2 * 3600,
          schedule: { interval_seconds: 300, threshold: 2, severity: 'high' },
        },
      });
      assert.equal(create.statusCode, 201, create.body);
      const q = create.json();
      assert.equal(q.schedule.enabled, true);
      assert.equal(q.schedule.threshold, 2);
      // A quiet query with a high threshold runs without an alert.
      const quiet = await w.request('POST', '/api/v1/saved-queries', {
        token: senior,
        body: {
          name: 'quiet',
          query: 'Events | where CommandLine contains "-enc"',
          schedule: { interval_seconds: 300, threshold: 100 },
          lookback_seconds: 7200,
        },
      });
      assert.equal(quiet.statusCode, 201);
      const now = Date.now() + 301_000;
      const outcomes = await ctx.hunting.scheduler.runDue(now);
      const mine = outcomes.find((o) => o.savedQueryId === q.id)!;
      assert.equal(mine.status, 'alert', JSON.stringify(outcomes));
      assert.equal(mine.rowCount, 3);
      assert.equal(outcomes.find((o) => o.savedQueryId === quiet.json().id)!.status, 'ok');
      const alert = await ctx.database.db
        .selectFrom('alerts')
        .selectAll()
        .where('id', '=', mine.alertId!)
        .executeTakeFirstOrThrow();
      assert.equal(alert.org_id, w.orgId);
      assert.equal(alert.kind, 'scheduled_query');
      assert.equal(alert.severity, 'high');
      assert.equal(alert.rule_title, 'Encoded PowerShell');
      assert.equal(alert.count, 1);
      const details = typeof alert.details === 'string' ? JSON.parse(alert.details) : alert.details;
      assert.equal(details.row_count, 3);
      assert.equal(details.rows.length, 3);
      assert.equal(details.saved_query.id, q.id);
      const matched =
        typeof alert.matched_event_ids === 'string'
          ? JSON.parse(alert.matched_event_ids)
          : alert.matched_event_ids;
      assert.equal(matched.length, 3);
      // Not due again until the interval passed; then the same alert grows.
      assert.equal((await ctx.hunting.scheduler.runDue(now + 1000)).length, 0);
      const again = await ctx.hunting.scheduler.runDue(now + 301_000);
      const second = again.find((o) => o.savedQueryId === q.id)!;
      assert.equal(second.alertId, mine.alertId);
      const grown = await ctx.database.db
        .selectFrom('alerts')
        .select('count')
        .where('id', '=', mine.alertId!)
        .executeTakeFirstOrThrow();
      assert.equal(grown.count, 2);
      const shown = await w.request('GET', `/api/v1/saved-queries/${q.id}`, { token: analyst });
      assert.equal(shown.json().schedule.last_status, 'alert');
      assert.equal(shown.json().schedule.last_alert_id, mine.alertId);
      // Alerts are huntable too.
      const hunted = await hunt(analyst, {
        query: 'Alerts | where Kind == "scheduled_query" | project Title, Count',
      });
      assert.equal(hunted.statusCode, 200, hunted.body);
      assert.equal(hunted.json().rows.length, 1);
    });
  });
}

function row0(b: { rows: string[][] }): string {
  return b.rows[0]![0]!;
}
