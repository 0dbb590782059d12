import BetterSqlite3 from 'better-sqlite3';

/**
 * Opens a SQLite connection with the settings every Harrier connection shares:
 * WAL so readers never block the writer, a busy timeout instead of immediate
 * SQLITE_BUSY errors, and the configured durability.
 */
export function openSqliteConnection(path: string, synchronous: 'NORMAL' | 'FULL'): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}
