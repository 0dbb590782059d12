import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * The outbox of the NATS bus: a batch committed with its events stays here
 * until JetStream acknowledged it, so a batch whose publish failed after the
 * commit is published later by the relay instead of being lost to detection.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  await db.schema
    .createTable('bus_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bus_outbox_created').on('bus_outbox').column('created_at').execute();
}
