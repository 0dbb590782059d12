import { type Kysely, type Migration, Migrator } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';
import type { Database, Dialect } from './tables.ts';

/** Applies every pending migration; returns the names applied. Throws on failure. */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: Dialect,
  schema?: string,
): Promise<string[]> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    migrations[name] = { up: (k) => m.up(k, dialect) };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'harrier_migrations',
    migrationLockTableName: 'harrier_migrations_lock',
    // Without an explicit schema Kysely looks for its table in every schema, and finds another tenant's.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
