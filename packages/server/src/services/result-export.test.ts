import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import type { OutputColumn } from '@harrier/query';
import { csvCell, exportStream } from './result-export.ts';

const columns: OutputColumn[] = [
  { name: 'Timestamp', type: 'datetime', key: 'c0' },
  { name: 'CommandLine', type: 'string', key: 'c1' },
  { name: 'n', type: 'number', key: 'c2' },
  { name: 'Fields', type: 'dynamic', key: 'c3' },
];

test('CSV cells are quoted when needed and formulas are neutralized', () => {
  assert.equal(csvCell(null), '');
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('-cmd'), "'-cmd");
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
});

test('exports stream CSV with a header and JSON as an array of objects', async () => {
  const rows = Array.from({ length: 1201 }, (_, i) => [Date.UTC(2026, 0, 1), `cmd ${i}`, i, { i }]);
  const csv = await text(exportStream('csv', columns, rows));
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'Timestamp,CommandLine,n,Fields');
  assert.equal(lines[1], '2026-01-01T00:00:00.000Z,cmd 0,0,"{""i"":0}"');
  assert.equal(lines.length, 1203);
  const json = JSON.parse(await text(exportStream('json', columns, rows)));
  assert.equal(json.length, 1201);
  assert.deepEqual(json[1200], {
    Timestamp: '2026-01-01T00:00:00.000Z',
    CommandLine: 'cmd 1200',
    n: 1200,
    Fields: { i: 1200 },
  });
  assert.deepEqual(JSON.parse(await text(exportStream('json', columns, []))), []);
});
