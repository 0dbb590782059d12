import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { openMigrated, testStores } from '../test-support/databases.ts';
import { CommentsRepository } from './comments-repository.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`comments repository on ${store.name}`, () => {
    let database: HarrierDatabase;
    before(async () => {
      database = await openMigrated(store);
    });
    after(async () => {
      await database.close();
      await store.cleanup();
    });

    test('comments belong to one subject of one organization, oldest first', async () => {
      const repo = new CommentsRepository(database.db);
      const add = (orgId: string, type: 'alert' | 'case', id: string, body: string) => {
        const now = Date.now();
        return repo.insert({
          id: uuidv7(),
          org_id: orgId,
          subject_type: type,
          subject_id: id,
          author_id: null,
          body,
          created_at: now,
          updated_at: now,
        });
      };
      const first = await add('org-a', 'alert', 's1', 'first');
      await add('org-a', 'alert', 's1', 'second');
      await add('org-a', 'case', 's1', 'on the case');
      await add('org-b', 'alert', 's1', 'other org');
      const a = { orgId: 'org-a', type: 'alert' as const, id: 's1' };
      assert.deepEqual(
        (await repo.list(a, { limit: 10 })).map((c) => c.body),
        ['first', 'second'],
      );
      assert.deepEqual(
        (await repo.list(a, { after: first.id, limit: 10 })).map((c) => c.body),
        ['second'],
      );
      assert.deepEqual(
        (await repo.list({ orgId: 'org-a', type: 'case', id: 's1' }, { limit: 10 })).map((c) => c.body),
        ['on the case'],
      );
      assert.equal(await repo.findById('org-b', first.id), undefined);
      await repo.deleteForSubject(a);
      assert.equal((await repo.list(a, { limit: 10 })).length, 0);
      assert.equal((await repo.list({ ...a, orgId: 'org-b' }, { limit: 10 })).length, 1);
    });
  });
}
