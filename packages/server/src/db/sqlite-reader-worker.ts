import { createSqliteRegexp } from '@harrier/query';
import BetterSqlite3 from 'better-sqlite3';

// One read-only SQLite connection in its own child process: a long hunt blocks this process,
// never the server's event loop, and the pool stops it at the time limit with SIGKILL.

export interface ReaderRequest {
  id: number;
  sql: string;
  params: ReadonlyArray<string | number | boolean | null>;
}

export type ReaderReply =
  | { id: number; rows: unknown[] }
  | { id: number; error: { message: string; code: string | undefined } };

const path = process.argv[2]!;
// The server went away (crashed or was killed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
// The main connection's read settings; WAL mode is the file's own (set by the writer).
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -65536');
db.pragma('temp_store = MEMORY');
db.pragma('query_only = ON');
// Hunts compile `matches regex` to REGEXP, as on the main connection.
db.function('regexp', { deterministic: true }, createSqliteRegexp());

/** Statements prepared once per SQL text; hunts repeat (console reruns, scheduled queries). */
const prepared = new Map<string, BetterSqlite3.Statement>();
function statement(sql: string): BetterSqlite3.Statement {
  let s = prepared.get(sql);
  if (s === undefined) {
    s = db.prepare(sql);
    if (prepared.size >= 256) prepared.clear();
    prepared.set(sql, s);
  }
  return s;
}

process.send!('ready');
process.on('message', (request: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    const s = statement(request.sql);
    if (!s.reader) throw new Error('the reader pool runs only statements that return rows');
    reply = { id: request.id, rows: s.all(...request.params) };
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    reply = {
      id: request.id,
      error: { message: String(e.message ?? error), code: typeof e.code === 'string' ? e.code : undefined },
    };
  }
  process.send!(reply);
});
