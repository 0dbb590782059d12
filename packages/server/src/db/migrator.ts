import { type Kysely, type Migration, Migrator } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';
import type { Database, Dialect } from './tables.ts';

/** invalid_schema_name, undefined_table, undefined_column. */
const INTROSPECTION_RACES = new Set(['3F000', '42P01', '42703']);

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
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely's introspection reads every schema's tables; another schema dropped or changed
    // meanwhile (tests, other tenants) fails it with 3F000, 42P01 or 42703 although ours is
    // fine: look again. A migration's own failure fails the same way each time and is thrown.
    if (INTROSPECTION_RACES.has((error as { code?: string }).code ?? '') && attempt < 5) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}
