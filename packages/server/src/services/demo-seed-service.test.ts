import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HarrierDatabase } from '../db/database.ts';
import { openMigrated, type TestStore, testStores } from '../test-support/databases.ts';
import { DemoSeedService } from './demo-seed-service.ts';

const TABLES = [
  'devices',
  'heartbeats',
  'events',
  'alerts',
  'decisions',
  'policies',
  'policy_versions',
  'policy_assignments',
  'device_groups',
  'device_profiles',
  'settings',
] as const;

async function counts(database: HarrierDatabase): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) {
    const r = await database.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

for (const makeStore of testStores()) {
  const store: TestStore = makeStore();
  describe(`harrier demo seed on ${store.name}`, () => {
    let database: HarrierDatabase;
    let orgId: string;
    before(async () => {
      database = await openMigrated(store);
      orgId = '01900000-0000-7000-8000-00000000de00';
      await database.db
        .insertInto('organizations')
        .values({
          id: orgId,
          slug: 'demo-test',
          name: 'Demo',
          ingest_rate_limit_per_minute: 1000,
          response_enabled: 1,
          created_at: Date.now(),
        })
        .execute();
    });
    after(async () => {
      await database.close();
      await store.cleanup();
    });

    test('seeds a fleet with alerts and decisions; a second seed is refused; reset removes exactly what it added', async () => {
      const before = await counts(database);
      const demo = new DemoSeedService(database);
      const m = await demo.seed(orgId);
      assert.equal(m.devices.length, 8);
      assert.equal(m.alerts.length, 7);
      assert.equal(m.decisions.length, 7);
      const during = await counts(database);
      assert.equal(during.devices - before.devices, 8);
      assert.equal(during.events - before.events, m.events.length);
      const actions = await database.db
        .selectFrom('decisions')
        .select('recommended_action')
        .where('org_id', '=', orgId)
        .execute();
      assert.ok(actions.some((a) => a.recommended_action === 'isolate_host'));
      await assert.rejects(demo.seed(orgId), (e: { status?: number }) => e.status === 409);
      await demo.reset(orgId);
      assert.deepEqual(await counts(database), before);
      assert.equal(await demo.reset(orgId), undefined);
    });
  });
}
