import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { QueryError } from './errors.ts';
import {
  compileQuickFilter,
  compileQuickFilterHistogram,
  parseQuickFilter,
  type QuickFilterOptions,
} from './quick-filter.ts';
import { HOUR, NOW, T0, type TestDb, testDatabases } from './test-support.ts';

const base = (dialect: 'sqlite' | 'postgres'): QuickFilterOptions => ({
  dialect,
  orgId: 'org-a',
  now: NOW,
  maxRows: 100,
});

const CASES: Array<[string, string[]]> = [
  ['', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']],
  ['   ', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']],
  ['*', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']],
  ['Computer:WS01', ['a1', 'a2']],
  ['computer:ws01', ['a1', 'a2']],
  ['Computer:WS01 AND CommandLine:"whoami"', ['a2']],
  ['Computer:WS01 CommandLine:whoami', ['a2']],
  ['Computer:WS01 && CommandLine:whoami', ['a2']],
  ['Computer:DC01 OR Computer:WS03', ['a4', 'a5', 'a7']],
  ['Computer:DC01 || Computer:WS03', ['a4', 'a5', 'a7']],
  ['NOT Computer:WS0*', ['a4', 'a5']],
  ['-Computer:WS0* AND EventID:4624', ['a4']],
  ['!Computer:WS0*', ['a4', 'a5']],
  ['EventID:[1 TO 3]', ['a1', 'a2', 'a3', 'a6', 'a7']],
  ['EventID:{1 TO 4624]', ['a3', 'a4']],
  ['EventID:[4000 TO *]', ['a4', 'a5']],
  ['DestinationPort:>=400', ['a3']],
  ['EventID:<3', ['a1', 'a2', 'a6', 'a7']],
  ['EventID:(4624 OR 4625)', ['a4', 'a5']],
  ['EventID:(4624 4625)', ['a4', 'a5']],
  ['Image:*rclone*', ['a6']],
  ['Image:*\\\\cmd.exe', ['a2']],
  ['Image:c:\\\\tools\\\\r?lone.exe', ['a6']],
  ['whoami', ['a2']],
  ['WHOAMI', ['a2']],
  ['"Process Create" alice', ['a1']],
  ['power* "-enc"', ['a1']],
  ['power* -enc', []],
  ['100%_done', ['a6']],
  ['(Computer:WS01 OR Computer:WS02) AND NOT EventID:3', ['a1', 'a2', 'a6']],
  ['Timestamp:>=2024-01-15T11:00:00Z', ['a1', 'a2']],
  ['Timestamp:2024-01-14', ['a5']],
  ['Timestamp:[2024-01-15T07:00:00Z TO 2024-01-15T10:00:00Z]', ['a3', 'a4', 'a6', 'a7']],
  ['Timestamp:{2024-01-15T07:00:00Z TO 2024-01-15T10:00:00Z}', ['a4', 'a6']],
  ['LogonType:3', ['a1', 'a4', 'a5']],
  ['LogonType:10', ['a2']],
  ['LogonType:>5', ['a2']],
  ['"Threat Name":mimi*', ['a1']],
  ['Threat\\ Name:Mimikatz', ['a1']],
  ['actor.alternateId:"a@x"', ['a1']],
  ['IpAddress:*', ['a4']],
  ['User:zoë', ['a7']],
  ['Severity:high AND NOT Image:*rclone*', ['a1']],
];

for (const dbInfo of testDatabases()) {
  describe(`quick filter on ${dbInfo.name}`, () => {
    let db: TestDb;
    // Each test gets its own database (a fresh in-memory SQLite, or a fresh PostgreSQL schema).
    beforeEach(async () => {
      db = await dbInfo.open();
    });
    afterEach(async () => {
      await db.close();
    });

    test('filters select the expected rows of the caller organization', async () => {
      for (const [f, ids] of CASES) {
        const rows = await db.run(compileQuickFilter(f, base(db.dialect))).catch((err: Error) => {
          throw new Error(`${f}: ${err.message}`);
        });
        assert.deepEqual(rows.map((r) => String(r['Id'])).sort(), [...ids].sort(), f);
      }
    });

    test('pages are newest first and the cursor continues after the last row', async () => {
      const first = await db.run(compileQuickFilter('', { ...base(db.dialect), limit: 3 }));
      assert.deepEqual(
        first.map((r) => r['Id']),
        ['a1', 'a2', 'a3'],
      );
      const last = first.at(-1)!;
      const next = await db.run(
        compileQuickFilter('', {
          ...base(db.dialect),
          limit: 3,
          before: { ts: Number(last['Timestamp']), id: String(last['Id']) },
        }),
      );
      assert.deepEqual(
        next.map((r) => r['Id']),
        ['a4', 'a6', 'a7'],
      );
    });

    test('histogram of a quick filter', async () => {
      const h = compileQuickFilterHistogram('EventID:1', {
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
    });
  });
}

function filterError(f: string, extra: Partial<QuickFilterOptions> = {}): QueryError {
  try {
    compileQuickFilter(f, { ...base('sqlite'), ...extra });
  } catch (err) {
    assert.ok(err instanceof QueryError, `expected a QueryError for ${f}: ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${f} to fail`);
}

test('quick filter errors are positioned', () => {
  let e = filterError('Computer:WS01 AND');
  assert.equal(e.code, 'SYNTAX_ERROR');
  assert.equal(e.column, 18);
  e = filterError('Computer:(WS01 OR WS02');
  assert.deepEqual(e.expected, ['")"']);
  e = filterError('EventID:[1 TO 5');
  assert.deepEqual(e.expected, ['"]"', '"}"']);
  e = filterError('EventID:[1 5]');
  assert.deepEqual(e.expected, ['"TO"']);
  e = filterError('EventID:abc');
  assert.equal(e.code, 'TYPE_MISMATCH');
  assert.equal(e.column, 9);
  e = filterError('Computer:"unterminated');
  assert.equal(e.code, 'SYNTAX_ERROR');
  e = filterError('Nope:1', { table: 'Alerts' });
  assert.equal(e.code, 'FIELD_NOT_FOUND');
  e = filterError('Timestamp:>=notadate');
  assert.equal(e.code, 'TYPE_MISMATCH');
  e = filterError('x', { before: { ts: Number.NaN, id: 'a' } });
  assert.equal(e.code, 'INVALID_OPTIONS');
  e = filterError('x', { limit: 1000 });
  assert.equal(e.code, 'ROW_LIMIT');
  e = filterError(`${'('.repeat(100)}x${')'.repeat(100)}`);
  assert.equal(e.code, 'TOO_COMPLEX');
  e = filterError('a*b*c*d*e*f*g*h*i*j*k');
  assert.equal(e.code, 'TOO_COMPLEX');
  e = filterError('x'.repeat(5000));
  assert.equal(e.code, 'TOO_COMPLEX');
});

test('quick filter parses to the shared expression tree', () => {
  assert.equal(parseQuickFilter(''), null);
  const e = parseQuickFilter('a:1 OR b:2');
  assert.equal(e?.kind, 'logical');
  const s = compileQuickFilter('Computer:"x\' OR 1=1 --"', base('postgres'));
  assert.ok(!s.sql.includes('1=1'));
  assert.ok(s.params.includes("%x' OR 1=1 --%"));
});
