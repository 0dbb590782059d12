import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { MAX_EXPRESSION_DEPTH, parseQuery } from './parser.ts';

function syntaxError(q: string): QueryError {
  try {
    parseQuery(q);
  } catch (err) {
    assert.ok(err instanceof QueryError, `expected a QueryError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(q)} to fail`);
}

test('lexer reads literals, quoted names, timespans and negated operators', () => {
  const toks = tokenize(
    `Events | where ['Threat Name'] !has @"C:\\x" and \`a b\` == 'it\\'s' and Timestamp > ago(1.5h) // c`,
  );
  const kinds = toks.map((t) => `${t.kind}:${t.value}`);
  assert.ok(kinds.includes('qident:Threat Name'));
  assert.ok(kinds.includes('bangword:!has'));
  assert.ok(kinds.includes('string:C:\\x'));
  assert.ok(kinds.includes('qident:a b'));
  assert.ok(kinds.includes("string:it's"));
  const span = toks.find((t) => t.kind === 'timespan');
  assert.equal(span?.num, 5_400_000);
  assert.equal(toks.at(-1)?.kind, 'eof');
});

test('a full pipeline parses into a typed AST', () => {
  const q = parseQuery(`Events
| where Timestamp > ago(7d) and EventID in (4624, 4625) and not(Computer startswith "dc")
| extend Lower = tolower(Image)
| summarize Logons = count(), Hosts = dcount(Computer), min(Timestamp) by User, bin(Timestamp, 1h)
| where Logons > 10
| top 20 by Logons desc
| project User, Logons
| sort by User asc nulls last
| take 5`);
  assert.equal(q.table, 'Events');
  assert.deepEqual(
    q.operators.map((o) => o.kind),
    ['where', 'extend', 'summarize', 'where', 'top', 'project', 'sort', 'take'],
  );
  const sum = q.operators[2];
  assert.equal(sum?.kind, 'summarize');
  if (sum?.kind === 'summarize') {
    assert.equal(sum.aggregates.length, 3);
    assert.equal(sum.aggregates[0]?.name, 'Logons');
    assert.equal(sum.by.length, 2);
  }
  const where = q.operators[0];
  assert.equal(where?.kind, 'where');
  if (where?.kind === 'where') {
    assert.equal(where.predicate.kind, 'logical');
    assert.deepEqual(where.pos, { offset: 9, line: 2, column: 3 });
  }
  const sort = q.operators[6];
  if (sort?.kind === 'sort') assert.deepEqual(sort.keys[0]?.nulls, 'last');
});

test('every operator from the issue parses', () => {
  for (const q of [
    'Events | where a == "x" | where a != "x" | where a =~ "x" | where a !~ "x"',
    'Events | where a < 1 or a <= 1 or a > 1 or a >= 1',
    'Events | where a has "x" and a !has "x" and a contains "x" and a !contains "x"',
    'Events | where a startswith "x" and a endswith "x" and a !startswith "x" and a has_cs "X"',
    'Events | where a matches regex "x+" and a in ("a", "b") and a !in ("c") and a in~ ("D")',
    'Events | where Timestamp between (datetime(2024-01-01) .. datetime("2024-01-02T10:00:00Z"))',
    'Events | where DestinationPort !between (1 .. 1024)',
    'Events | where Timestamp > now(-1h) and Timestamp < now()',
    'Events | project-away Fields, Raw',
    'Events | distinct Computer, User',
    'Events | count',
    'Events | limit 3',
    'Events | order by Timestamp',
    'Events | where ["x.y"] == 1 and actor.alternateId == "a"',
    'Events | extend d = (Timestamp - ago(1d)) / 1h, n = -DestinationPort * 2 % 7',
  ]) {
    assert.doesNotThrow(() => parseQuery(q), q);
  }
});

test('datetime accepts unquoted and quoted ISO forms', () => {
  const q = parseQuery(
    'Events | where Timestamp > datetime(2024-01-31T12:00:00Z) and Timestamp < datetime(2024-02-01)',
  );
  const w = q.operators[0];
  assert.ok(w?.kind === 'where' && w.predicate.kind === 'logical');
  if (w?.kind === 'where' && w.predicate.kind === 'logical') {
    const l = w.predicate.left;
    assert.ok(l.kind === 'compare' && l.right.kind === 'datetime');
    if (l.kind === 'compare' && l.right.kind === 'datetime')
      assert.equal(l.right.ms, Date.UTC(2024, 0, 31, 12));
  }
  const e = syntaxError('Events | where Timestamp > datetime(yesterday)');
  assert.equal(e.code, 'INVALID_ARGUMENT');
});

test('syntax errors name line, column and what was expected', () => {
  let e = syntaxError('Events | where');
  assert.equal(e.code, 'SYNTAX_ERROR');
  assert.equal(e.line, 1);
  assert.equal(e.column, 15);
  assert.ok(e.expected.includes('a field name'));
  assert.match(e.message, /end of query/);

  e = syntaxError('Events\n| where Image == "x"\n| summarise count()');
  assert.equal(e.line, 3);
  assert.equal(e.column, 3);
  assert.ok(e.expected.includes('"summarize"'));

  e = syntaxError('Events | where Image == "x" Computer');
  assert.deepEqual(e.expected, ['"|"', 'end of query']);
  assert.equal(e.column, 29);

  e = syntaxError('Events | where Image == "unterminated');
  assert.match(e.message, /unterminated string/);
  assert.equal(e.column, 25);

  e = syntaxError('Events | take many');
  assert.deepEqual(e.expected, ['a whole number of rows']);

  e = syntaxError('Events | where Timestamp > ago(1w)');
  assert.match(e.message, /timespan unit/);

  e = syntaxError('Events | sort Timestamp');
  assert.deepEqual(e.expected, ['"by"']);

  e = syntaxError('Events | where x between (1, 2)');
  assert.deepEqual(e.expected, ['".."']);
});

test('statement separators, comments tricks and stray characters are syntax errors', () => {
  for (const q of [
    'Events; DROP TABLE events',
    'Events | where Image == "x"; DELETE FROM events',
    'Events | where Image == "x" /* c */',
    'Events | where Image == “x”',
    'Events | where Image == "a\u0000b"',
    'Evénts',
    '',
  ]) {
    const e = syntaxError(q);
    assert.equal(e.code, 'SYNTAX_ERROR', q);
    assert.ok(e.line >= 1 && e.column >= 1);
  }
});

test('deep nesting and oversize input stop with TOO_COMPLEX, not a stack overflow', () => {
  const deep = `Events | where ${'('.repeat(5000)}a == 1${')'.repeat(5000)}`;
  assert.equal(syntaxError(deep).code, 'TOO_COMPLEX');
  const nots = `Events | where ${'not '.repeat(MAX_EXPRESSION_DEPTH + 5)}a == 1`;
  assert.equal(syntaxError(nots).code, 'TOO_COMPLEX');
  const negs = `Events | where a == ${'-'.repeat(200)}1`;
  assert.equal(syntaxError(negs).code, 'TOO_COMPLEX');
  assert.equal(syntaxError(`Events | where a == "${'x'.repeat(30_000)}"`).code, 'TOO_COMPLEX');
  assert.equal(syntaxError(`Events${' | take 1'.repeat(60)}`).code, 'TOO_COMPLEX');
  assert.doesNotThrow(() => parseQuery(`Events | where ${'('.repeat(20)}a == 1${')'.repeat(20)}`));
});
