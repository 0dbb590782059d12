import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PERMISSIONS, permissionsFor, ROLES, roleFromSeed, SEED_ROLES } from './permissions.ts';

test('roles are nested: each role can do everything the role below it can', () => {
  for (let i = 0; i + 1 < ROLES.length; i++) {
    const higher = new Set(permissionsFor(ROLES[i]!, false));
    for (const p of permissionsFor(ROLES[i + 1]!, false)) assert.ok(higher.has(p), `${ROLES[i]} lacks ${p}`);
  }
});

test('only instance administrators manage organizations; every permission is granted somewhere', () => {
  for (const role of ROLES) assert.ok(!permissionsFor(role, false).includes('organizations:manage'));
  assert.ok(permissionsFor('read_only', true).includes('organizations:manage'));
  const granted = new Set([...ROLES.flatMap((r) => permissionsFor(r, true))]);
  for (const p of Object.keys(PERMISSIONS)) assert.ok(granted.has(p as keyof typeof PERMISSIONS), p);
});

test('read_only changes nothing', () => {
  const writes = permissionsFor('read_only', false).filter((p) => !/:read$/.test(p));
  assert.deepEqual(writes, ['tokens:manage']);
});

test('the seeds’ role names map onto ours; unknown names get the least privilege', () => {
  assert.equal(roleFromSeed('ADMIN'), 'admin');
  assert.equal(roleFromSeed('ANALYST'), 'analyst');
  assert.equal(roleFromSeed('viewer'), 'read_only');
  assert.equal(roleFromSeed('team_lead'), 'team_lead');
  assert.equal(roleFromSeed('superuser'), 'read_only');
  assert.equal(roleFromSeed(undefined), 'read_only');
  for (const role of Object.values(SEED_ROLES)) assert.ok(ROLES.includes(role));
});
