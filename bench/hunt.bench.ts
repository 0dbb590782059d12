// npm run bench:hunt — loads 1 M and 10 M corpus-like events into SQLite and PostgreSQL and
// times the typical hunts (filter by field, text contains, summarize by two fields, top 10, the
// results histogram, a quick-filter page) before and after migration 0004's indexes.
//
// Options (env):
//   BENCH_EVENTS=1000000         one size only (default: 1000000 then 10000000)
//   BENCH_STORES=sqlite,postgres which stores (PostgreSQL needs a URL)
//   HARRIER_BENCH_DATABASE_URL   PostgreSQL (else HARRIER_TEST_DATABASE_URL, else DATABASE_URL)
//   BENCH_DIR                    where SQLite files go (default: a temp dir)
//   BENCH_KEEP=1                 keep the loaded stores (schema bench_hunt_<n>, file in BENCH_DIR)
//   BENCH_REUSE=1                reuse a kept store of the same size instead of loading again
//   BENCH_RUNS=5                 timed runs per query after one warm-up (fastest and median reported)
//   BENCH_BEFORE=0               skip the measurement before the hunting indexes
//   BENCH_READERS=0              SQLite hunts on the main connection instead of the reader processes
// Corpus: $HARRIER_CORPUS_DIR or ../shared/corpus relative to the repo root.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CompiledQuery, compileHistogram, compileQuery, compileQuickFilter } from '@harrier/query';
import { normalizeWindowsEvent } from '@harrier/schema';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import pg from 'pg';
import { type HarrierDatabase, openDatabase } from '../packages/server/src/db/database.ts';
import { EVENT_ROLLUP_SPEC } from '../packages/server/src/db/event-rollups.ts';
import { MIGRATIONS } from '../packages/server/src/db/migrations/index.ts';
import type { Database } from '../packages/server/src/db/tables.ts';
import { HuntRepository } from '../packages/server/src/repositories/hunt-repository.ts';
import { eventToRow } from '../packages/server/src/services/event-rows.ts';
import { loadWindowsRecords } from './lib/corpus.ts';

const HUNTING_MIGRATION = '0004-hunting';
const ORG_A = '01900000-0000-7000-8000-00000000000a';
const ORG_B = '01900000-0000-7000-8000-00000000000b';
const HOSTS = 200;
const USERS = 300;
const END = Date.UTC(2026, 10, 23);
const SPAN = 30 * 86_400_000;
const RANGE = { from: END - SPAN, to: END + 1 };
const runs = Number(process.env.BENCH_RUNS ?? 5);
const keep = process.env.BENCH_KEEP === '1';
const reuse = process.env.BENCH_REUSE === '1';
const measureBefore = process.env.BENCH_BEFORE !== '0';
const useReaders = process.env.BENCH_READERS !== '0';
const sizes = process.env.BENCH_EVENTS ? [Number(process.env.BENCH_EVENTS)] : [1_000_000, 10_000_000];
const pgUrl =
  process.env.HARRIER_BENCH_DATABASE_URL ?? process.env.HARRIER_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const stores = (process.env.BENCH_STORES ?? 'sqlite,postgres')
  .split(',')
  .filter((s) => s === 'sqlite' || (s === 'postgres' && pgUrl)) as Array<'sqlite' | 'postgres'>;
const benchDir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'harrier-hunt-bench-'));
mkdirSync(benchDir, { recursive: true });

/** The typical hunts of issue 9, item 6; every one over the whole loaded range. */
const QUERIES: Array<{ name: string; kind: 'hunt' | 'histogram' | 'filter'; text: string; day?: true }> = [
  { name: 'filter by field', kind: 'hunt', text: 'Events | where Computer == "WS-0042" | take 100' },
  { name: 'filter by field (histogram)', kind: 'histogram', text: 'Events | where Computer == "WS-0042"' },
  { name: 'filter by event id', kind: 'hunt', text: 'Events | where EventID == 4624 | take 100' },
  {
    name: 'text contains (common)',
    kind: 'hunt',
    text: 'Events | where CommandLine contains "powershell" | take 100',
  },
  {
    name: 'text contains (rare), count',
    kind: 'hunt',
    text: 'Events | where CommandLine contains "mimikatz" | count',
  },
  { name: 'summarize by two fields', kind: 'hunt', text: 'Events | summarize count() by Computer, EventID' },
  { name: 'top 10', kind: 'hunt', text: 'Events | summarize n = count() by Image | top 10 by n' },
  {
    name: 'filter + summarize',
    kind: 'hunt',
    text: 'Events | where EventID == 4688 | summarize count() by User, Computer | top 10 by count_',
  },
  { name: 'quick filter page', kind: 'filter', text: 'Computer:WS-0042 AND EventID:4624' },
  // The same heavy ones over the last 24 hours, the console's default range.
  {
    name: 'text contains (rare), 24 h',
    kind: 'hunt',
    text: 'Events | where CommandLine contains "mimikatz" | count',
    day: true,
  },
  {
    name: 'summarize by two fields, 24 h',
    kind: 'hunt',
    text: 'Events | summarize count() by Computer, EventID',
    day: true,
  },
  {
    name: 'top 10, 24 h',
    kind: 'hunt',
    text: 'Events | summarize n = count() by Image | top 10 by n',
    day: true,
  },
];

interface Timing {
  ms: number;
  median: number;
  rows: number;
}

interface Template {
  row: ReturnType<typeof eventToRow>;
  fields: Record<string, unknown>;
}

function templates(): Template[] {
  const out: Template[] = [];
  for (const record of loadWindowsRecords(50_000)) {
    try {
      const e = normalizeWindowsEvent(record);
      const row = eventToRow(
        { ...e, id: '', org_id: '', device_id: null, received_at: 0, severity: 'informational' },
        null,
      );
      out.push({ row, fields: e.fields });
    } catch {
      // Records without a System section are not events.
    }
  }
  if (out.length === 0) throw new Error('no corpus events');
  return out;
}

// Deterministic spreads of event number i over templates, hosts, users and organizations.
const tplOf = (i: number, n: number) => (i * 7919) % n;
const hostOf = (i: number) => ((i * 2654435761) % 4294967296) % HOSTS;
const userOf = (i: number) => ((i * 40503 + 17) % 65536) % USERS;
const orgOf = (i: number) => (i % 10 === 0 ? ORG_B : ORG_A);
const hostName = (h: number) => `WS-${String(h + 1).padStart(4, '0')}`;
const tsOf = (i: number, n: number) => END - SPAN + Math.floor((i * SPAN) / n);
const deviceId = (h: number) => `01900000-0000-7000-8000-${String(h).padStart(12, '0')}`;

/** A UUIDv7-shaped id whose order follows the time, unique per event number. */
function eventId(ts: number, i: number): string {
  const h = ts.toString(16).padStart(12, '0');
  const r = i.toString(16).padStart(15, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6, 15).padStart(12, '0')}`;
}

async function migrateTo(database: HarrierDatabase, target: string): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS))
    migrations[name] = { up: (k) => m.up(k, database.dialect) };
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'harrier_migrations',
    migrationLockTableName: 'harrier_migrations_lock',
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const { error } = await migrator.migrateTo(target);
  if (error) throw error;
}

/**
 * Applies the pending migrations each in its own transaction without Kysely's migration lock:
 * that lock is one advisory lock for the whole PostgreSQL database, and building the indexes
 * over millions of rows would hold every other schema's migrations (parallel test runs) for
 * minutes.
 */
async function migrateRestUnlocked(database: HarrierDatabase): Promise<void> {
  const done = new Set(await applied(database));
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    if (done.has(name)) continue;
    await database.db.transaction().execute(async (trx) => {
      await m.up(trx as unknown as Kysely<unknown>, database.dialect);
      await sql`insert into harrier_migrations (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(
        trx,
      );
    });
  }
}

async function applied(database: HarrierDatabase): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`select name from harrier_migrations`.execute(database.db);
    return r.rows.map((x) => x.name);
  } catch {
    return [];
  }
}

async function seedOrgs(db: Kysely<Database>): Promise<void> {
  for (const [id, slug] of [
    [ORG_A, 'bench-a'],
    [ORG_B, 'bench-b'],
  ] as const) {
    const exists = await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists)
      await db
        .insertInto('organizations')
        .values({
          id,
          slug,
          name: slug,
          created_at: END,
          ingest_rate_limit_per_minute: 600,
          response_enabled: 1,
        })
        .execute();
  }
}

function loadSqlite(path: string, n: number, tpls: Template[]): void {
  const conn = new BetterSqlite3(path);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = OFF');
  conn.pragma('cache_size = -262144');
  const cols = Object.keys(tpls[0]!.row);
  const insert = conn.prepare(
    `INSERT INTO events (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  // Fields JSON with placeholders for the per-event host and user, serialized once per template.
  const json = tpls.map((t) => {
    const f = { ...t.fields, Computer: '\u0001H', User: '\u0001U' };
    return JSON.stringify(f);
  });
  const chunk = 100_000;
  const t0 = performance.now();
  for (let start = 0; start < n; start += chunk) {
    conn.transaction(() => {
      for (let i = start; i < Math.min(n, start + chunk); i++) {
        const k = tplOf(i, tpls.length);
        const r = tpls[k]!.row;
        const h = hostOf(i);
        const host = hostName(h);
        const user = `user${userOf(i)}`;
        const ts = tsOf(i, n);
        insert.run(
          eventId(ts, i),
          orgOf(i),
          deviceId(h),
          ts,
          ts + 1500,
          r.source,
          r.product,
          r.category,
          r.service,
          r.event_code,
          r.severity,
          r.title,
          host,
          user,
          r.image,
          r.command_line,
          r.parent_image,
          r.target_filename,
          r.source_ip,
          r.destination_ip,
          r.destination_port,
          json[k]!.replace('\u0001H', host).replace('\u0001U', user),
          null,
          null,
        );
      }
    })();
    if ((start / chunk) % 10 === 9) progress('sqlite', start + chunk, n, t0);
  }
  conn.close();
}

async function loadPostgres(url: string, schema: string, n: number, tpls: Template[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    // The templates go over the wire once; PostgreSQL expands them to n events itself.
    await client.query(`DROP TABLE IF EXISTS bench_templates`);
    await client.query(
      `CREATE UNLOGGED TABLE bench_templates (k int primary key, source text, product text, category text,
        service text, event_code int, severity text, title text, image text, command_line text,
        parent_image text, target_filename text, source_ip text, destination_ip text,
        destination_port int, fields jsonb)`,
    );
    const per = 500;
    for (let s = 0; s < tpls.length; s += per) {
      const part = tpls.slice(s, s + per);
      const col = (f: (t: Template) => unknown) => part.map(f);
      await client.query(
        `INSERT INTO bench_templates SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[],
          $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
          $13::text[], $14::text[], $15::int[], $16::jsonb[])`,
        [
          part.map((_, j) => s + j),
          col((t) => t.row.source),
          col((t) => t.row.product),
          col((t) => t.row.category),
          col((t) => t.row.service),
          col((t) => t.row.event_code),
          col((t) => t.row.severity),
          col((t) => t.row.title),
          col((t) => t.row.image),
          col((t) => t.row.command_line),
          col((t) => t.row.parent_image),
          col((t) => t.row.target_filename),
          col((t) => t.row.source_ip),
          col((t) => t.row.destination_ip),
          col((t) => t.row.destination_port),
          col((t) => t.row.fields),
        ],
      );
    }
    const T = tpls.length;
    const chunk = 250_000;
    const t0 = performance.now();
    // Two connections (the machine's two cores) insert alternate chunks.
    const second = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
    await second.connect();
    let next = 0;
    let done = 0;
    const worker = async (c: pg.Client) => {
      for (let start = next; start < n; start = next) {
        next += chunk;
        const end = Math.min(n, start + chunk);
        // Same spreads as the SQLite loader (tplOf, hostOf, userOf, orgOf, tsOf, eventId).
        await c.query(
          `INSERT INTO events (id, org_id, device_id, ts, received_at, source, product, category, service,
           event_code, severity, title, hostname, user_name, image, command_line, parent_image,
           target_filename, source_ip, destination_ip, destination_port, fields, raw, batch_id)
         SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3)
                  || '-' || substr(r, 7, 9) || '000',
                CASE WHEN g % 10 = 0 THEN $4 ELSE $5 END,
                '01900000-0000-7000-8000-' || lpad(hh::text, 12, '0'),
                ts, ts + 1500, t.source, t.product, t.category, t.service, t.event_code, t.severity, t.title,
                host, usr, t.image, t.command_line, t.parent_image, t.target_filename, t.source_ip,
                t.destination_ip, t.destination_port,
                t.fields || jsonb_build_object('Computer', host, 'User', usr), NULL, NULL
         FROM (SELECT g, ts, hh, 'WS-' || lpad((hh + 1)::text, 4, '0') AS host,
                      'user' || (((g * 40503 + 17) % 65536) % ${USERS}) AS usr,
                      lpad(to_hex(ts), 12, '0') AS h, lpad(to_hex(g), 15, '0') AS r, (g * 7919) % ${T} AS k
               FROM (SELECT g, ($6::bigint - $7::bigint + (g * $7::bigint) / $3::bigint) AS ts,
                            ((g * 2654435761) % 4294967296) % ${HOSTS} AS hh
                     FROM generate_series($1::bigint, $2::bigint) AS g) x) y
         JOIN bench_templates t ON t.k = y.k`,
          [start, end - 1, n, ORG_B, ORG_A, END, SPAN],
        );
        done += end - start;
        progress('postgres', done, n, t0);
      }
    };
    try {
      await Promise.all([worker(client), worker(second)]);
    } finally {
      await second.end();
    }
    await client.query(`DROP TABLE bench_templates`);
  } finally {
    await client.end();
  }
}

function progress(store: string, done: number, n: number, t0: number): void {
  const s = (performance.now() - t0) / 1000;
  process.stderr.write(
    `  ${store}: ${done.toLocaleString()} / ${n.toLocaleString()} (${Math.round(done / s)}/s)\n`,
  );
}

async function count(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function compile(
  q: (typeof QUERIES)[number],
  dialect: 'sqlite' | 'postgres',
  rollups: boolean,
): CompiledQuery {
  const opts = {
    ...(rollups ? { rollup: EVENT_ROLLUP_SPEC } : {}),
    dialect,
    orgId: ORG_A,
    now: END,
    maxRows: 10_000,
    timeRange: q.day ? { from: END - 86_400_000, to: END + 1 } : RANGE,
    maxTimeRangeMs: SPAN + 86_400_000,
  };
  if (q.kind === 'histogram') return compileHistogram(q.text, opts);
  if (q.kind === 'filter') return compileQuickFilter(q.text, { ...opts, limit: 50 });
  return compileQuery(q.text, opts);
}

async function timeQueries(database: HarrierDatabase, rollups = false): Promise<Map<string, Timing>> {
  const out = new Map<string, Timing>();
  for (const q of QUERIES) {
    const c = compile(q, database.dialect, rollups);
    // The hunt service's path: statement timeout and work_mem on PostgreSQL.
    // On SQLite: in a reader process, unless BENCH_READERS=0 (the main connection, as before).
    const repo = new HuntRepository(database.db, database.dialect, useReaders ? database.readers : undefined);
    const run = () => repo.run(c, 60_000);
    let rows = (await run()).length;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      rows = (await run()).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // Fastest and median: on a shared machine the fastest run estimates the uncontended latency.
    out.set(q.name, { ms: times[0]!, median: times[Math.floor(times.length / 2)]!, rows });
  }
  return out;
}

async function open(
  store: 'sqlite' | 'postgres',
  n: number,
): Promise<{ database: HarrierDatabase; path?: string }> {
  if (store === 'sqlite') {
    const path = join(benchDir, `hunt-${n}.db`);
    if (!reuse) for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
    const database = await openDatabase({ sqlitePath: path });
    return { database, path };
  }
  const schema = `bench_hunt_${n}`;
  if (!reuse) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
  return { database: await openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 }) };
}

async function analyze(database: HarrierDatabase): Promise<void> {
  if (database.dialect === 'postgres') {
    await sql`VACUUM ANALYZE events`.execute(database.db);
    if ((await applied(database)).includes('0012-volume'))
      await sql`VACUUM ANALYZE event_rollups_daily`.execute(database.db);
  } else await sql`ANALYZE`.execute(database.db);
}

async function storeSize(database: HarrierDatabase, path: string | undefined): Promise<string> {
  if (database.dialect === 'postgres') {
    // A partitioned table's own size is 0: add up its partitions.
    const r = await sql<{ t: string; i: string }>`
      select pg_size_pretty(sum(pg_table_size(relid))) as t, pg_size_pretty(sum(pg_indexes_size(relid))) as i
        from pg_partition_tree('events')`.execute(database.db);
    return `table ${r.rows[0]!.t}, indexes ${r.rows[0]!.i}`;
  }
  const { statSync } = await import('node:fs');
  return path && existsSync(path) ? `file ${(statSync(path).size / 1e9).toFixed(2)} GB` : '';
}

const tpls = templates();
console.log(`hunt bench: ${tpls.length} corpus event templates, stores ${stores.join(', ')}, runs ${runs}`);
for (const n of sizes) {
  for (const store of stores) {
    const { database, path } = await open(store, n);
    try {
      const done = await applied(database);
      const have = done.includes('0001-initial') ? await count(database.db) : 0;
      let loadSeconds: number | undefined;
      if (!(reuse && have === n)) {
        if (have > 0)
          throw new Error(`${store} store for ${n} holds ${have} events; drop it or unset BENCH_REUSE`);
        const before = Object.keys(MIGRATIONS)
          .filter((m) => m < HUNTING_MIGRATION)
          .at(-1)!;
        await migrateTo(database, before);
        await seedOrgs(database.db);
        const t0 = performance.now();
        if (store === 'sqlite') loadSqlite(path!, n, tpls);
        else await loadPostgres(pgUrl!, database.schema!, n, tpls);
        loadSeconds = (performance.now() - t0) / 1000;
      }
      let before: Map<string, Timing> | undefined;
      if (!(await applied(database)).includes(HUNTING_MIGRATION)) {
        await analyze(database);
        if (measureBefore) before = await timeQueries(database);
        const t0 = performance.now();
        await migrateRestUnlocked(database);
        console.log(
          `  ${store} ${n}: migrations 0004.. (indexes; 0012 partitions and rollups) took ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      await analyze(database);
      const rowsOnly = await timeQueries(database);
      // Migration 0012's per-day rollups answer whole-day summaries (the hunt service's path).
      const after = await timeQueries(database, true);
      console.log(
        `\n${store}, ${n.toLocaleString()} events${loadSeconds ? `, loaded in ${loadSeconds.toFixed(0)} s (${Math.round(n / loadSeconds).toLocaleString()}/s)` : ''}; ${await storeSize(database, path)}`,
      );
      console.log(
        `  ${'query (fastest / median ms)'.padEnd(30)} ${'before'.padStart(18)} ${'rows only'.padStart(18)} ${'rollups'.padStart(18)}  rows`,
      );
      const fmt = (t: Timing | undefined) => (t ? `${t.ms.toFixed(1)} / ${t.median.toFixed(1)}` : '-');
      for (const q of QUERIES) {
        const a = after.get(q.name)!;
        console.log(
          `  ${q.name.padEnd(30)} ${fmt(before?.get(q.name)).padStart(18)} ${fmt(rowsOnly.get(q.name)).padStart(18)} ${fmt(a).padStart(18)}  ${a.rows}`,
        );
      }
    } finally {
      await database.close();
      if (!keep) {
        if (store === 'sqlite' && path)
          for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
        if (store === 'postgres') {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS "bench_hunt_${n}" CASCADE`);
          await c.end();
        }
      }
    }
  }
}
if (!keep && !process.env.BENCH_DIR) rmSync(benchDir, { recursive: true, force: true });
