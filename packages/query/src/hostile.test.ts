// Hostile input: nothing a query or quick filter says may read another organization's rows, any
// table outside the catalog, or make the database fail with anything but a positioned QueryError.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { QueryError } from './errors.ts';
import { compileQuickFilter } from './quick-filter.ts';
import { type CompiledQuery, type CompileOptions, compileHistogram, compileQuery } from './sql-compiler.ts';
import { EVENTS, NOW, OTHER_ORG_MARKERS, type TestDb, testDatabases } from './test-support.ts';

const HOSTILE_QUERIES = [
  'Events; DROP TABLE events',
  'Events | take 1; DROP TABLE events',
  'Events | where Image == "\' or 1=1 --"',
  "Events | where Image == \"x' OR '1'='1\"",
  'Events | where Image == "x\\" or 1=1 --"',
  'Events | where Image == @"x"" or ""1""=""1"',
  "Events | where Image == 'x\\' or 1=1 --'",
  'Events | where Image == "x" or 1 == 1',
  'Events | where Image == "x" -- or 1=1',
  'Events | where Image == "x" /* or 1=1 */',
  'Events | where Image == "*/ or 1=1 /*"',
  'Events | where Image == "--" or Image == "/*" or Image == ";"',
  'Events | where Image contains "%" or Image contains "_" or Image contains "\\\\"',
  'Events | where Image matches regex ".*\') or 1=1 --"',
  "Events | where ['org_id'] == 'org-b'",
  "Events | where ['org_id'] != 'org-a'",
  'Events | where OrgId == "org-b"',
  "Events | where ['x\"; drop table events; --'] == 1",
  "Events | where ['a\"]'] == 1",
  "Events | where ['$'] == 1 or ['$.x'] == 1 or ['a[0]'] == 1 or ['*'] == 1",
  "Events | project ['org_id']",
  "Events | summarize count() by ['org_id']",
  'secrets',
  'secrets | take 1',
  'sqlite_master',
  'pg_catalog.pg_tables',
  'information_schema.tables',
  'Events | union secrets',
  'Events | join (secrets) on org_id',
  'events | take 1',
  '"Events"',
  "['secrets']",
  '`secrets`',
  'Εvents',
  'Events\u200b| take 1',
  'Events | where Image == "\u202e\u0000"',
  'Events | where Image == "\ud800"',
  'Events | where Image has "ﬀ" or User =~ "ZOË"',
  'Events | where Image == "x" | take 99999999999999999999',
  'Events | take -1',
  'Events | where Timestamp > ago(99999999999999999d)',
  'Events | where Timestamp > datetime(99999-01-01)',
  'Events | where Image matches regex "(.*a){20}"',
  'Events | where Image matches regex "(?<x>a)\\\\k<x>"',
  `Events | where Image in (${Array.from({ length: 1001 }, (_, i) => `"${i}"`).join(', ')})`,
  `Events | where ${Array.from({ length: 400 }, () => 'Image == "x"').join(' or ')}`,
  `Events | where ${'('.repeat(100_000)}`,
  `Events | where Image == "${'a'.repeat(19_000)}"`,
  `Events${' | where Image == "x"'.repeat(100)}`,
  'Events | extend org_id = "org-b" | where org_id == "org-b"',
  'Events | project x = 1 | where x == 1 | take 1',
  'Events | summarize count() | extend q = "x" | where q == "x"',
  'Alerts | where AlertId != "" | project AlertId, RuleTitle',
  'Devices | project Hostname, owner',
  'Heartbeats | summarize count() by DeviceId',
];

const HOSTILE_FILTERS = [
  'Image:"\' or 1=1 --"',
  "x' OR '1'='1",
  'org_id:org-b',
  '_exists_:org_id',
  'Computer:*) OR (1=1',
  '"--" /* */ ;',
  'a:b:c:d',
  '\\',
  '"',
  '((((',
  'NOT NOT NOT',
  'EventID:[* TO *]',
  'EventID:>=',
  'Image:%',
  'Image:_',
  '*'.repeat(50),
  Array.from({ length: 500 }, (_, i) => `t${i}`).join(' '),
  Array.from({ length: 300 }, () => 'a:1').join(' OR '),
  '\u0000',
  'Ｃomputer:WS01',
];

function leaks(rows: unknown): string | undefined {
  const text = JSON.stringify(rows);
  return [...OTHER_ORG_MARKERS, 'TOPSECRET'].find((m) => text.includes(m));
}

/** Mulberry32: deterministic pseudo-random numbers so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'Events',
  'Alerts',
  'secrets',
  '|',
  'where',
  'project',
  'extend',
  'summarize',
  'count()',
  'by',
  'sort',
  'top',
  'take',
  'distinct',
  '10',
  '1h',
  'ago(1h)',
  'Image',
  'Computer',
  'org_id',
  "['org_id']",
  'LogonType',
  'Timestamp',
  '==',
  '!=',
  '=~',
  'contains',
  '!has',
  'in',
  '(',
  ')',
  ',',
  'and',
  'or',
  'not',
  '"x"',
  '"\' or 1=1 --"',
  "'%'",
  '"org-b"',
  ';',
  '--',
  '/*',
  'matches regex',
  '"(a+)+"',
  '=',
  'bin(Timestamp, 1h)',
  'dcount(Image)',
  '..',
  'between',
  '3',
  '-',
  '*',
];

for (const dbInfo of testDatabases()) {
  describe(`hostile input on ${dbInfo.name}`, () => {
    let db: TestDb;
    // Each test gets its own database (a fresh in-memory SQLite, or a fresh PostgreSQL schema).
    beforeEach(async () => {
      db = await dbInfo.open();
    });
    afterEach(async () => {
      await db.close();
    });
    const opts = (): CompileOptions => ({ dialect: db.dialect, orgId: 'org-a', now: NOW, maxRows: 500 });

    /** Compiles and runs; a QueryError is a fine outcome, any other failure is a bug. */
    async function attempt(label: string, compile: () => CompiledQuery): Promise<'rejected' | 'ran'> {
      let compiled: CompiledQuery;
      try {
        compiled = compile();
      } catch (err) {
        if (err instanceof QueryError) {
          assert.ok(err.line >= 1 && err.column >= 1 && err.offset >= 0, `${label}: position`);
          assert.ok(err.message.length > 0);
          return 'rejected';
        }
        throw new Error(`${label}: non-QueryError ${String(err)}`);
      }
      assert.ok(!compiled.sql.includes(';'), `${label}: no statement separator in SQL`);
      assert.ok(
        !/secrets|sqlite_master|pg_catalog|information_schema/i.test(compiled.sql),
        `${label}: table`,
      );
      // Every table read in the SQL is immediately scoped to the organization.
      const reads = compiled.sql.match(/FROM "[a-z_]+"/g) ?? [];
      const scoped = compiled.sql.match(/FROM "[a-z_]+" WHERE "org_id" = (\?|\$\d+::text)/g) ?? [];
      assert.ok(reads.length >= 1 && reads.length === scoped.length, `${label}: org scope\n${compiled.sql}`);
      assert.ok(compiled.params.includes('org-a'), `${label}: org parameter`);
      let rows: unknown;
      try {
        rows = await db.run(compiled);
      } catch (err) {
        throw new Error(`${label}: database error ${String(err)}\n${compiled.sql}`);
      }
      const leak = leaks(rows);
      assert.equal(leak, undefined, `${label}: leaked ${leak}`);
      return 'ran';
    }

    test('hostile queries are rejected or run harmlessly within the organization', async () => {
      const outcomes: Record<string, number> = { rejected: 0, ran: 0 };
      for (const q of HOSTILE_QUERIES) {
        const o = await attempt(q.slice(0, 80), () => compileQuery(q, opts()));
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        if (o === 'ran') {
          await attempt(`histogram ${q.slice(0, 60)}`, () =>
            compileHistogram(q, { ...opts(), timeRange: { from: 0, to: NOW } }),
          );
        }
      }
      assert.ok(outcomes['rejected']! >= 20 && outcomes['ran']! >= 10, JSON.stringify(outcomes));
      assert.equal(await db.count('events'), EVENTS.length, 'events intact');
      assert.equal(await db.count('secrets'), 1, 'secrets intact');
    });

    test('the org id itself is a parameter, whatever it holds', async () => {
      for (const orgId of ["org-a' OR '1'='1", 'org-b" --', '%', '*']) {
        const rows = await db.run(compileQuery('Events', { ...opts(), orgId }));
        assert.equal(rows.length, 0, orgId);
        const qf = await db.run(compileQuickFilter('', { ...opts(), orgId }));
        assert.equal(qf.length, 0, orgId);
      }
    });

    test('specific injections find nothing and are not SQL text', async () => {
      const c = compileQuery('Events | where Image == "\' or 1=1 --"', opts());
      assert.ok(!c.sql.includes('1=1'));
      assert.deepEqual(await db.run(c), []);
      assert.deepEqual(await db.run(compileQuery("Events | where ['org_id'] == 'org-b'", opts())), []);
      assert.deepEqual(
        await db
          .run(compileQuery("Events | where ['org_id'] != 'org-a' | project Id", opts()))
          .then((r) => r.length),
        7,
      );
      const e = (() => {
        try {
          compileQuery("Events | where ['x\"; drop table events; --'] == 1", opts());
        } catch (err) {
          return err as QueryError;
        }
        return undefined;
      })();
      assert.equal(e?.code, 'FIELD_NOT_FOUND');
    });

    test('hostile quick filters are rejected or run harmlessly', async () => {
      for (const f of HOSTILE_FILTERS)
        await attempt(`filter ${f.slice(0, 60)}`, () => compileQuickFilter(f, opts()));
    });

    test('random token soup never escapes: QueryError or a harmless run', async () => {
      const rand = rng(dbInfo.name === 'sqlite' ? 42 : 7);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const n = dbInfo.name === 'sqlite' ? 1500 : 400;
      const fields = [
        'Image',
        'Computer',
        'org_id',
        "['org_id']",
        'LogonType',
        'Timestamp',
        'EventID',
        'User',
      ];
      const ops = ['==', '!=', '=~', 'contains', '!has', 'startswith', '>', '<='];
      const values = ['"x"', '"\' or 1=1 --"', "'%'", '"org-b"', '3', 'ago(1h)', '"WS01"', '""'];
      const tails = [
        '',
        '| take 5',
        '| summarize count() by Computer',
        '| distinct User',
        '| top 3 by Timestamp',
        '| project Image, x = 1',
      ];
      let ran = 0;
      for (let i = 0; i < n; i++) {
        let q: string;
        if (i % 2 === 0) {
          // Structured: mostly valid, exercising type checks and JSON fallbacks.
          const conds = Array.from(
            { length: 1 + Math.floor(rand() * 3) },
            () => `${pick(fields)} ${pick(ops)} ${pick(values)}`,
          );
          q = `Events | where ${conds.join(rand() < 0.5 ? ' and ' : ' or ')} ${pick(tails)}`;
        } else {
          const parts = ['Events'];
          const len = 1 + Math.floor(rand() * 14);
          for (let k = 0; k < len; k++) parts.push(pick(FRAGMENTS));
          q = parts.join(' ');
        }
        if ((await attempt(q, () => compileQuery(q, opts()))) === 'ran') ran++;
      }
      assert.ok(ran > 50, `some soups are valid queries (${ran})`);
    });

    test('random edits of quick filters never escape', async () => {
      const rand = rng(99);
      const seeds = [
        'Computer:WS01 AND CommandLine:"whoami /all" NOT User:svc*',
        'EventID:(4624 OR 4625) -Computer:DC* Timestamp:>=2024-01-15T10:00:00Z',
        'DestinationPort:[400 TO 500} LogonType:3 || "Threat Name":mimi?atz',
      ];
      const alphabet = `:()[]{}"*?\\-!+&| TO AND OR NOT<>=.%_'é\u0000`;
      const n = dbInfo.name === 'sqlite' ? 1500 : 300;
      for (let i = 0; i < n; i++) {
        let f = seeds[i % seeds.length]!;
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
          const at = Math.floor(rand() * (f.length + 1));
          f =
            rand() < 0.5
              ? f.slice(0, at) + f.slice(at + 1)
              : f.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + f.slice(at);
        }
        await attempt(JSON.stringify(f), () => compileQuickFilter(f, opts()));
      }
    });

    test('random edits of valid queries never escape', async () => {
      const rand = rng(1234);
      const seeds = [
        'Events | where Image endswith "\\\\powershell.exe" and CommandLine contains "-enc" | project Timestamp, Computer',
        'Events | summarize n = count(), dcount(User) by Computer, bin(Timestamp, 1h) | where n > 1 | top 5 by n',
        "Events | where ['Threat Name'] has 'mimi' or LogonType in (3, 10) | distinct Computer",
        'Events | where Timestamp between (ago(2d) .. now()) | extend l = strlen(CommandLine) | sort by l asc',
      ];
      const alphabet = `|()[]'"\`;-/*=!~<>.,@ \n\\%_aZ09$\u0000é`;
      const n = dbInfo.name === 'sqlite' ? 1500 : 300;
      for (let i = 0; i < n; i++) {
        let q = seeds[i % seeds.length]!;
        const edits = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(rand() * (q.length + 1));
          const r = rand();
          if (r < 0.4) q = q.slice(0, at) + q.slice(at + 1);
          else if (r < 0.8) q = q.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + q.slice(at);
          else q = q.slice(0, at) + q.slice(Math.floor(rand() * q.length));
        }
        await attempt(JSON.stringify(q), () => compileQuery(q, opts()));
      }
    });
  });
}

test('a catalog with a non-identifier SQL name is refused before any SQL is built', () => {
  const catalog = {
    tables: { Bad: { sqlTable: 'events; drop table x', orgColumn: 'org_id', columns: {} } },
  };
  assert.throws(
    () => compileQuery('Bad', { dialect: 'sqlite', orgId: 'o', now: NOW, maxRows: 1, catalog }),
    /bad sqlTable/,
  );
});
