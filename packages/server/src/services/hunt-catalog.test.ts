import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restrictCatalog, serverCatalog } from './hunt-catalog.ts';

test('the catalog keeps only tables and columns the store has', () => {
  const existing = new Map([
    ['events', new Set(['id', 'org_id', 'ts', 'hostname', 'fields'])],
    ['alerts', new Set(['id', 'title', 'last_seen'])],
  ]);
  const c = restrictCatalog(serverCatalog(), existing);
  // Alerts lacks its org column: a table that cannot be scoped is never queryable.
  assert.deepEqual(Object.keys(c.tables), ['Events']);
  const events = c.tables.Events!;
  assert.ok(events.columns.Computer);
  assert.equal(events.columns.CommandLine, undefined);
  assert.equal(events.jsonColumn, 'fields');
  assert.deepEqual(events.textColumns, ['Computer']);
});
