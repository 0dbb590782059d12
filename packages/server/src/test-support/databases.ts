import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type HarrierDatabase, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';

export interface TestStore {
  name: 'sqlite' | 'postgres';
  /** Options to open the same store again (e.g. in a child process). */
  env: Record<string, string>;
  open(): Promise<HarrierDatabase>;
  cleanup(): Promise<void>;
}

/** PostgreSQL URL of the test server, or undefined. Under CI its absence is an error. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.HARRIER_TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'HARRIER_TEST_DATABASE_URL must be set under CI=true: the PostgreSQL suites may not be skipped',
    );
  }
  return url || undefined;
}

let counter = 0;

/** A fresh SQLite file in a temp directory. */
export function sqliteStore(): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'harrier-test-'));
  return {
    name: 'sqlite',
    env: { HARRIER_DATA_DIR: dir },
    open: () => openDatabase({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL schema, dropped on cleanup. */
export function postgresStore(url: string): TestStore {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const dir = mkdtempSync(join(tmpdir(), 'harrier-test-'));
  return {
    name: 'postgres',
    env: { DATABASE_URL: url, HARRIER_PG_SCHEMA: schema, HARRIER_DATA_DIR: dir },
    open: () => openDatabase({ databaseUrl: url, pgSchema: schema, poolSize: 4 }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every store the suite should run on: SQLite always, PostgreSQL when configured. */
export function testStores(): Array<() => TestStore> {
  const url = testPostgresUrl();
  return url ? [sqliteStore, () => postgresStore(url)] : [sqliteStore];
}

/** Opens and migrates a store. */
export async function openMigrated(store: TestStore): Promise<HarrierDatabase> {
  const database = await store.open();
  await migrateToLatest(database.db, database.dialect, database.schema);
  return database;
}
