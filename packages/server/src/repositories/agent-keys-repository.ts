import type { Kysely, Selectable } from 'kysely';
import type { AgentKeysTable, Database } from '../db/tables.ts';

export type AgentKey = Selectable<AgentKeysTable>;

/** Queries on `agent_keys`: Santamon API keys and sec44 org signing keys. */
export class AgentKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findActiveByHash(kind: string, keyHash: string): Promise<AgentKey | undefined> {
    return this.db
      .selectFrom('agent_keys')
      .selectAll()
      .where('kind', '=', kind)
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  listActiveByOrg(orgId: string, kind: string): Promise<AgentKey[]> {
    return this.db
      .selectFrom('agent_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async insert(key: AgentKey): Promise<void> {
    await this.db.insertInto('agent_keys').values(key).execute();
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('agent_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
