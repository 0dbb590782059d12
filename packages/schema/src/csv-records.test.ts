import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvObjects, parseCsvRecords } from './csv-records.ts';

test('quoted fields keep commas, doubled quotes and line breaks', () => {
  const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n';
  assert.deepEqual(parseCsvRecords(text), [
    ['a', 'b', 'c'],
    ['1', 'x, y', 'say "hi"'],
    ['2', 'two\nlines', ''],
  ]);
});

test('blank lines are skipped; a last line without a newline is kept', () => {
  assert.deepEqual(parseCsvRecords('a\n\nb'), [['a'], ['b']]);
  assert.deepEqual(parseCsvRecords(''), []);
});

test('objects are keyed by the trimmed header; short rows get empty strings', () => {
  assert.deepEqual(parseCsvObjects(' cveID ,product\nCVE-2024-1,"Exchange"\nCVE-2024-2\n'), [
    { cveID: 'CVE-2024-1', product: 'Exchange' },
    { cveID: 'CVE-2024-2', product: '' },
  ]);
});
