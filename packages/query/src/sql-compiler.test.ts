import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { describeCatalog } from './catalog.ts';
import { QueryError } from './errors.ts';
import type { ResultValue } from './results.ts';
import { type CompileOptions, compileHistogram, compileQuery } from './sql-compiler.ts';
import { HOUR, MIN, NOW, T0, type TestDb, testDatabases } from './test-support.ts';

type Row = Record<string, ResultValue>;

const base = (dialect: 'sqlite' | 'postgres'): CompileOptions => ({
  dialect,
  orgId: 'org-a',
  now: NOW,
  maxRows: 1000,
});

/** Query → expected ids (Id column), in order when `ordered`. */
const ID_CASES: Array<[string, string[], boolean?]> = [
  ['Events | project Id', ['a1', 'a2', 'a3', 'a4', 'a6', 'a7', 'a5'], true],
  ['Events | where Image endswith "\\\\powershell.exe" | project Id', ['a1']],
  ['Events | where Image endswith @"\\POWERSHELL.EXE" | project Id', ['a1']],
  ['Events | where Image endswith_cs @"\\POWERSHELL.EXE" | project Id', []],
  ['Events | where CommandLine contains "-ENC" | project Id', ['a1']],
  ['Events | where CommandLine contains_cs "-ENC" | project Id', []],
  ['Events | where CommandLine has "whoami" | project Id', ['a2']],
  ['Events | where CommandLine has "WHOAMI" | project Id', ['a2']],
  ['Events | where CommandLine has_cs "WHOAMI" | project Id', []],
  ['Events | where CommandLine has "who" | project Id', []],
  [
    'Events | where CommandLine !has "who" and isnotempty(CommandLine) | project Id',
    ['a1', 'a2', 'a6', 'a7'],
  ],
  ['Events | where CommandLine has "cmd" | project Id', ['a2']],
  ['Events | where Image has "cmd.exe" | project Id', ['a2']],
  ['Events | where Image has "md.exe" | project Id', []],
  ['Events | where CommandLine has "-enc" | project Id', ['a1']],
  ['Events | where CommandLine has "100%_done" | project Id', ['a6']],
  ['Events | where CommandLine has "100%_" | project Id', ['a6']],
  ['Events | where CommandLine has "0%_do" | project Id', []],
  ['Events | where CommandLine has "%_" | project Id', ['a6']],
  ['Events | where CommandLine has_any ("whoami", "-enc") | project Id', ['a1', 'a2']],
  ['Events | where CommandLine has_all ("cmd", "whoami") | project Id', ['a2']],
  ['Events | where CommandLine has_all ("cmd", "who") | project Id', []],
  ['Events | where EventID == 4624 | render table with (title="x (y)") | project Id', ['a4']],
  ['Events | where CommandLine !contains "powershell" | project Id', ['a2', 'a3', 'a4', 'a5', 'a6', 'a7']],
  ['Events | where CommandLine contains "100%_" | project Id', ['a6']],
  ['Events | where CommandLine contains "%" | project Id', ['a6']],
  ['Events | where CommandLine contains "_" | project Id', ['a6']],
  ['Events | where CommandLine contains "!" or CommandLine contains "!%" | project Id', []],
  ['Events | where Title contains "!" | project Id', ['a7']],
  ['Events | where TargetFilename contains @"\\100%" | project Id', ['a6']],
  ['Events | where CommandLine startswith "cmd" | project Id', ['a2']],
  [
    'Events | where CommandLine !startswith "cmd" and isnotempty(CommandLine) | project Id',
    ['a1', 'a6', 'a7'],
  ],
  ['Events | where User == "CORP\\\\alice" | project Id', ['a1', 'a4']],
  ['Events | where User == "corp\\\\alice" | project Id', []],
  ['Events | where User =~ "corp\\\\alice" | project Id', ['a1', 'a4']],
  ['Events | where User !~ "corp\\\\alice" | project Id', ['a2', 'a3', 'a5', 'a6', 'a7']],
  ['Events | where User != "CORP\\\\alice" | project Id', ['a2', 'a3', 'a5', 'a6', 'a7']],
  ['Events | where Computer in ("WS01", "DC01") | project Id', ['a1', 'a2', 'a4', 'a5']],
  ['Events | where Computer !in ("WS01", "DC01") | project Id', ['a3', 'a6', 'a7']],
  ['Events | where Computer in~ ("ws01") | project Id', ['a1', 'a2']],
  ['Events | where EventID in (4624, 4625) | project Id', ['a4', 'a5']],
  ['Events | where EventID == 1 and Computer == "WS02" | project Id', ['a6']],
  ['Events | where EventID > 3 or DestinationPort >= 445 | project Id', ['a3', 'a4', 'a5']],
  ['Events | where DestinationPort between (400 .. 500) | project Id', ['a3']],
  ['Events | where isnotnull(DestinationPort) and DestinationPort !between (1 .. 100) | project Id', ['a3']],
  ['Events | where Timestamp > ago(90m) | project Id', ['a1', 'a2']],
  [
    'Events | where Timestamp between (datetime(2024-01-15T06:00:00Z) .. datetime(2024-01-15 09:30)) | project Id',
    ['a4', 'a6', 'a7'],
  ],
  ['Events | where Timestamp >= "2024-01-15T11:00:00Z" | project Id', ['a1', 'a2']],
  ['Events | where Timestamp < now(-24h) | project Id', ['a5']],
  ['Events | where not(Computer startswith "WS") | project Id', ['a4', 'a5']],
  ['Events | where not Computer startswith "WS" and EventID == 4624 | project Id', ['a4']],
  ['Events | where LogonType == 3 | project Id', ['a1', 'a4', 'a5']],
  ['Events | where LogonType == "10" | project Id', ['a2']],
  ['Events | where LogonType > 5 | project Id', ['a2']],
  ["Events | where ['Threat Name'] == 'Mimikatz' | project Id", ['a1']],
  ['Events | where `Threat Name` has "mimikatz" | project Id', ['a1']],
  ['Events | where `Threat Name` contains "mimi" | project Id', ['a1']],
  ['Events | where actor.alternateId == "a@x" | project Id', ['a1']],
  ["Events | where ['actor.alternateId'] == 'a@x' | project Id", ['a1']],
  ['Events | where Elevated == true | project Id', ['a1']],
  ['Events | where Elevated == false | project Id', ['a2']],
  ['Events | where isnotempty(IpAddress) | project Id', ['a4']],
  ['Events | where isempty(IpAddress) and EventID == 4624 | project Id', []],
  ['Events | where Note contains "\\"quoted\\"" | project Id', ['a6']],
  ['Events | where CommandLine matches regex "(?i)POWERSHELL\\\\s+-enc" | project Id', ['a1']],
  ['Events | where CommandLine matches regex "\\\\bwhoami\\\\b" | project Id', ['a2']],
  ['Events | where CommandLine matches regex "^who" | project Id', []],
  ['Events | where CommandLine matches regex "(?<=cmd )/c" | project Id', ['a2']],
  ['Events | where CommandLine matches regex "[\\d]{3}%_" | project Id', ['a6']],
  ['Events | where Title matches regex "(?i)^NETWORK" | project Id', ['a3']],
  ['Events | where CommandLine !matches regex "o" and isnotempty(CommandLine) | project Id', []],
  ['Events | where User contains "zoë" | project Id', ['a7']],
  ['Events | where CommandLine == "Écho naïve" | project Id', ['a7']],
  ['Events | extend cl = tolower(CommandLine) | where cl contains "whoami" | project Id', ['a2']],
  ['Events | extend port = DestinationPort * 2 | where port == 890 | project Id', ['a3']],
  ['Events | extend a = DestinationPort + 1, b = a * 2 | where b == 892 | project Id', ['a3']],
  ['Events | extend age = now() - Timestamp | where age < 90m | project Id', ['a1', 'a2']],
  ['Events | where strlen(Computer) == 4 and toupper(Computer) == "WS01" | project Id', ['a1', 'a2']],
  ['Events | where tostring(EventID) == "4624" | project Id', ['a4']],
  ['Events | where toint(LogonType) == 10 | project Id', ['a2']],
  ['Events | where iff(EventID == 1, "proc", "other") == "other" | project Id', ['a3', 'a4', 'a5']],
  ['Events | where strcat(Computer, "/", User) == "WS01/CORP\\\\bob" | project Id', ['a2']],
  ['Events | take 3 | where Computer == "WS01" | project Id', ['a1', 'a2']],
  ['Events | sort by Timestamp asc | take 2 | project Id', ['a5', 'a7'], true],
  ['Events | top 2 by Timestamp | project Id', ['a1', 'a2'], true],
  ['Events | top 3 by Timestamp asc | where EventID == 1 | project Id', ['a7', 'a6'], true],
  [
    'Events | sort by Computer asc, Timestamp asc | take 4 | where Computer != "DC01" | project Id',
    ['a2', 'a1'],
    true,
  ],
  ['Events | take 3 | extend x = 1 | project Id, x', ['a1', 'a2', 'a3'], true],
  ['Events | top 1 by DestinationPort | project Id', ['a3']],
  ['Events | top 1 by DestinationPort asc nulls last | project Id', ['a3']],
  ['Events | where SourceIp == "10.0.0.9" | project Id', ['a4']],
  ['SecurityEvent | where Computer == "DC01" | project Id', ['a4', 'a5']],
];

for (const dbInfo of testDatabases()) {
  describe(`compiled queries run on ${dbInfo.name}`, () => {
    let db: TestDb;
    // Each test gets its own database (a fresh in-memory SQLite, or a fresh PostgreSQL schema).
    beforeEach(async () => {
      db = await dbInfo.open();
    });
    afterEach(async () => {
      await db.close();
    });
    const run = async (q: string, extra: Partial<CompileOptions> = {}): Promise<Row[]> =>
      db.run(compileQuery(q, { ...base(db.dialect), ...extra }));

    test('filters select the expected rows and only the caller organization', async () => {
      for (const [q, ids, ordered] of ID_CASES) {
        const rows = await run(q);
        const got = rows.map((r) => String(r['Id']));
        if (ordered) assert.deepEqual(got, ids, q);
        else assert.deepEqual([...got].sort(), [...ids].sort(), q);
      }
    });

    test('default projection lists catalog columns and typed values', async () => {
      const rows = await run('Events | take 1');
      const r = rows[0]!;
      assert.equal(r['Id'], 'a1');
      assert.equal(r['Timestamp'], T0 - 10 * MIN);
      assert.equal(r['EventID'], 1);
      assert.equal(r['Computer'], 'WS01');
      assert.deepEqual(r['Fields'], {
        LogonType: 3,
        'Threat Name': 'Mimikatz',
        'actor.alternateId': 'a@x',
        Elevated: true,
      });
      assert.ok(!('ts' in r) && !('Hostname' in r), 'aliases are not repeated');
    });

    test('summarize with count, dcount, min, max, avg, sum and by keys', async () => {
      let rows = await run('Events | summarize n = count() by Computer | sort by n desc, Computer asc');
      assert.deepEqual(
        rows.map((r) => [r['Computer'], r['n']]),
        [
          ['DC01', 2],
          ['WS01', 2],
          ['WS02', 2],
          ['WS03', 1],
        ],
      );
      rows = await run(
        'Events | summarize count(), dcount(Computer), min(Timestamp), max(EventID), avg(EventID), sum(DestinationPort), countif(EventID == 1)',
      );
      assert.deepEqual(rows, [
        {
          count_: 7,
          dcount_Computer: 4,
          min_Timestamp: T0 - 26 * HOUR,
          max_EventID: 4625,
          avg_EventID: (1 + 1 + 3 + 4624 + 4625 + 1 + 1) / 7,
          sum_DestinationPort: 445,
          countif_: 4,
        },
      ]);
      rows = await run(
        'Events | where Timestamp > ago(7h) | summarize c = count() by bin(Timestamp, 1h) | sort by Timestamp asc',
      );
      assert.deepEqual(
        rows.map((r) => [r['Timestamp'], r['c']]),
        [
          [T0 - 5 * HOUR, 1],
          [T0 - 4 * HOUR, 1],
          [T0 - 3 * HOUR, 1],
          [T0 - 2 * HOUR, 1],
          [T0 - HOUR, 2],
        ],
      );
      rows = await run('Events | summarize n = count() by Computer, User | where n > 1');
      assert.deepEqual(
        rows,
        [{ Computer: 'WS01', User: 'CORP\\alice', n: 1 }].filter(() => false),
      );
      rows = await run(
        'Events | summarize n = count() by Computer | where n > 1 | sort by Computer asc | project Computer',
      );
      assert.deepEqual(
        rows.map((r) => r['Computer']),
        ['DC01', 'WS01', 'WS02'],
      );
      rows = await run(
        'Events | where isnotempty(LogonType) | summarize c = count() by LogonType | sort by c desc | take 1',
      );
      assert.deepEqual(rows, [{ LogonType: '3', c: 3 }]);
      rows = await run(
        'Events | summarize n = count() by bin(DestinationPort, 100) | where isnotnull(DestinationPort)',
      );
      assert.deepEqual(rows, [{ DestinationPort: 400, n: 1 }]);
    });

    test('distinct, count, top over aggregates, project-away', async () => {
      let rows = await run('Events | distinct Computer | sort by Computer asc');
      assert.deepEqual(
        rows.map((r) => r['Computer']),
        ['DC01', 'WS01', 'WS02', 'WS03'],
      );
      rows = await run('Events | where EventID == 1 | count');
      assert.deepEqual(rows, [{ Count: 4 }]);
      rows = await run('Events | summarize n = count() by User | top 1 by n desc');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!['n'], 2);
      rows = await run('Events | project Id, Computer, User | project-away User | take 1');
      assert.deepEqual(rows, [{ Id: 'a1', Computer: 'WS01' }]);
    });

    test('row and time limits', async () => {
      const rows = await run('Events', { maxRows: 2 });
      assert.equal(rows.length, 2);
      const ranged = await run('Events | project Id', {
        timeRange: { from: T0 - 4 * HOUR, to: T0 - 15 * MIN },
      });
      assert.deepEqual(ranged.map((r) => r['Id']).sort(), ['a2', 'a3', 'a4', 'a6']);
      const bounded = await run('Events | project Id', { maxTimeRangeMs: 6 * HOUR });
      assert.equal(bounded.length, 6);
    });

    test('other tables of the default catalog', async () => {
      let rows = await run('Alerts | where Severity == "high" | project AlertId, RuleTitle, Count');
      assert.deepEqual(rows, [{ AlertId: 'al1', RuleTitle: 'Encoded PowerShell', Count: 3 }]);
      rows = await run('Devices | project Hostname, Tags, owner');
      assert.deepEqual(rows, [{ Hostname: 'ws01', Tags: ['finance'], owner: 'alice' }]);
      rows = await run('Heartbeats | summarize avg(CpuPct), max(MemUsedBytes) by DeviceId');
      assert.deepEqual(rows, [{ DeviceId: 'dev-WS01', avg_CpuPct: 50, max_MemUsedBytes: 3000 }]);
      rows = await run('Heartbeats | where load > 1 | project DeviceId');
      assert.deepEqual(rows, [{ DeviceId: 'dev-WS01' }]);
    });

    test('histogram counts the filtered rows per bucket', async () => {
      const h = compileHistogram('Events | where EventID == 1 | summarize count() by Computer', {
        ...base(db.dialect),
        timeRange: { from: T0 - 6 * HOUR, to: T0 },
        bucketMs: HOUR,
      });
      const rows = await db.run(h);
      assert.deepEqual(
        rows.map((r) => [r['bucket'], r['count']]),
        [
          [T0 - 5 * HOUR, 1],
          [T0 - 4 * HOUR, 1],
          [T0 - HOUR, 2],
        ],
      );
      const auto = compileHistogram('Events', {
        ...base(db.dialect),
        timeRange: { from: T0 - 24 * HOUR, to: T0 },
      });
      assert.equal(auto.bucketMs, 15 * MIN);
      assert.deepEqual(auto.range, { from: T0 - 24 * HOUR, to: T0 });
      assert.equal(
        (await db.run(auto)).reduce((n, r) => n + Number(r['count']), 0),
        6,
      );
    });
  });
}

function compileError(q: string, extra: Partial<CompileOptions> = {}): QueryError {
  try {
    compileQuery(q, { ...base('sqlite'), ...extra });
  } catch (err) {
    assert.ok(err instanceof QueryError, `expected QueryError for ${q}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${q} to fail`);
}

test('semantic errors carry a code and the position of the offending part', () => {
  let e = compileError('Alerts | where Bogus == 1');
  assert.equal(e.code, 'FIELD_NOT_FOUND');
  assert.equal(e.column, 16);
  e = compileError('Events | project Image | where CommandLine contains "x"');
  assert.equal(e.code, 'FIELD_NOT_FOUND');
  assert.equal(e.column, 32);
  e = compileError('Alerts | where Severty == "high"');
  assert.match(e.message, /did you mean Severity/);
  e = compileError('Evnts | take 1');
  assert.equal(e.code, 'TABLE_NOT_FOUND');
  assert.deepEqual(e.expected, ['Events', 'Alerts', 'Devices', 'Heartbeats']);
  e = compileError('Events | where DestinationPort contains "44"');
  assert.equal(e.code, 'TYPE_MISMATCH');
  assert.equal(e.column, 16);
  e = compileError('Events | where Image > 5');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | where EventID == "abc"');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | where Timestamp > "yesterday"');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | where Image');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | where EventID == 1 and Image');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | where Timestamp > ago(5)');
  assert.equal(e.code, 'INVALID_ARGUMENT');
  e = compileError('Events | where frobnicate(Image)');
  assert.equal(e.code, 'FUNCTION_NOT_FOUND');
  e = compileError('Events | where count() > 1');
  assert.equal(e.code, 'INVALID_ARGUMENT');
  e = compileError('Events | summarize Image');
  assert.equal(e.code, 'INVALID_ARGUMENT');
  e = compileError('Events | summarize avg(Image)');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = compileError('Events | project a = Image, a = User');
  assert.equal(e.code, 'INVALID_ARGUMENT');
  e = compileError('Events | where Image == "x" -- comment');
  assert.equal(e.code, 'TYPE_MISMATCH');
});

test('unsafe regular expressions are refused at the pattern', () => {
  const e = compileError('Events | where CommandLine matches regex "(a+)+$"');
  assert.equal(e.code, 'UNSAFE_REGEX');
  assert.equal(e.column, 42);
  assert.equal(compileError('Events | where CommandLine matches regex "(a)\\\\1"').code, 'UNSAFE_REGEX');
  assert.equal(compileError('Events | where CommandLine matches regex "(unclosed"').code, 'UNSAFE_REGEX');
  assert.equal(compileError('Events | where CommandLine matches regex Image').code, 'INVALID_ARGUMENT');
  for (const p of ['(?<n>a)', '\\\\p{L}', '[\\\\D]', '\\\\u{41}']) {
    const e = compileError(`Events | where CommandLine matches regex "${p}"`);
    assert.equal(e.code, 'INVALID_ARGUMENT', p);
  }
  assert.doesNotThrow(() =>
    compileQuery('Events | where CommandLine matches regex "(?<=a)b(?!c)[\\\\d\\\\]]"', base('sqlite')),
  );
});

test('row and time limits are errors with positions', () => {
  let e = compileError('Events | take 5000');
  assert.equal(e.code, 'ROW_LIMIT');
  assert.equal(e.column, 15);
  e = compileError('Events | top 1001 by Timestamp');
  assert.equal(e.code, 'ROW_LIMIT');
  e = compileError('Events', { timeRange: { from: 0, to: NOW }, maxTimeRangeMs: 30 * 24 * HOUR });
  assert.equal(e.code, 'TIME_LIMIT');
  const ok = compileQuery('Events | take 10', { ...base('sqlite'), maxRows: 10 });
  assert.equal(ok.limit, 10);
  assert.equal(compileQuery('Events', base('sqlite')).limit, 1000);
});

test('options are validated: the organization is mandatory', () => {
  assert.equal(compileError('Events', { orgId: '' }).code, 'INVALID_OPTIONS');
  assert.equal(compileError('Events', { maxRows: 0 }).code, 'INVALID_OPTIONS');
  assert.equal(compileError('Events', { now: Number.NaN }).code, 'INVALID_OPTIONS');
  assert.equal(compileError('Events', { timeRange: { from: 10, to: 5 } }).code, 'INVALID_OPTIONS');
});

test('SQL shape: parameters for every literal, placeholders per dialect', () => {
  const q =
    'Events | where CommandLine contains "secret-value" and EventID == 4688 and Timestamp > ago(1h) | take 7';
  const s = compileQuery(q, base('sqlite'));
  assert.ok(!s.sql.includes('secret-value') && !s.sql.includes('4688') && !s.sql.includes('org-a'));
  assert.ok(!/\$\d/.test(s.sql));
  assert.equal((s.sql.match(/\?/g) ?? []).length, s.params.length);
  assert.match(s.sql, /"ts" > CAST\(\? AS INTEGER\)/);
  assert.deepEqual(s.params, ['org-a', '%secret-value%', 4688, NOW - HOUR, 7]);
  const p = compileQuery(q, base('postgres'));
  assert.ok(p.sql.includes('$1::text') && p.sql.includes('ILIKE') && !p.sql.includes('?'));
  assert.match(p.sql, /"ts" > \$4::bigint/);
  assert.deepEqual(p.params, ['org-a', '%secret-value%', 4688, NOW - HOUR, 7]);
  // A parameter used twice is numbered once on PostgreSQL.
  const bin = compileQuery('Events | summarize count() by bin(Timestamp, 1h)', base('postgres'));
  assert.match(bin.sql, /\("ts" \/ \$1::bigint\) \* \$1::bigint/);
  // Sorting by the (never null) time column keeps an index-friendly ORDER BY on PostgreSQL.
  assert.match(
    compileQuery('Events | sort by Timestamp desc', base('postgres')).sql,
    /ORDER BY "ts" DESC LIMIT/,
  );
  assert.match(compileQuery('Events | sort by Computer asc', base('postgres')).sql, /NULLS FIRST/);
});

test('a catalog passed as data replaces the default one', () => {
  const catalog = {
    tables: {
      Things: {
        sqlTable: 'things',
        orgColumn: 'tenant',
        columns: { Name: { sql: 'name', type: 'string' as const } },
      },
    },
  };
  const c = compileQuery('Things | where Name == "x"', { ...base('sqlite'), catalog });
  assert.match(c.sql, /FROM "things" WHERE "tenant" = \?/);
  assert.equal(compileError('Events', { catalog }).code, 'TABLE_NOT_FOUND');
  assert.equal(compileError('Things | where Other == 1', { catalog }).code, 'FIELD_NOT_FOUND');
});

test('misspelt fields read from the JSON fields come with a warning', () => {
  const c = compileQuery('Events | where Imgae == "x" and LogonType == 3', base('sqlite'));
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0]!.message, /did you mean Image/);
  assert.equal(c.warnings[0]!.column, 16);
  assert.deepEqual(compileQuery('Events | where Image == "x"', base('sqlite')).warnings, []);
});

test('describeCatalog lists tables and columns for completion', () => {
  const tables = describeCatalog();
  const events = tables.find((t) => t.name === 'Events')!;
  assert.ok(events.openFields);
  assert.ok(events.columns.some((c) => c.name === 'CommandLine' && c.type === 'string' && !c.alias));
  assert.ok(events.columns.some((c) => c.name === 'Hostname' && c.alias));
  assert.deepEqual(
    tables.map((t) => t.name),
    ['Events', 'Alerts', 'Devices', 'Heartbeats'],
  );
});
