// Test helpers shared by this package's *.test.ts files: a SQLite or PostgreSQL database with the
// server's table layout (migration 0001 plus a plausible alerts table) and a fixed event set for
// two organizations. Not exported from the package.
import Database from 'better-sqlite3';
import pg from 'pg';
import { decodeRowObjects, type ResultValue } from './results.ts';
import type { CompiledQuery } from './sql-compiler.ts';
import { createSqliteRegexp } from './sqlite-regexp.ts';

export const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);
export const NOW = T0 + 3_600_000;
export const MIN = 60_000;
export const HOUR = 3_600_000;

export interface FixtureEvent {
  id: string;
  org_id: string;
  ts: number;
  source: string;
  event_code: number | null;
  hostname: string | null;
  user_name?: string | null;
  image?: string | null;
  command_line?: string | null;
  parent_image?: string | null;
  target_filename?: string | null;
  source_ip?: string | null;
  destination_ip?: string | null;
  destination_port?: number | null;
  severity?: string | null;
  title?: string | null;
  product?: string | null;
  category?: string | null;
  fields: Record<string, unknown>;
}

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

export const EVENTS: FixtureEvent[] = [
  {
    id: 'a1',
    org_id: 'org-a',
    ts: T0 - 10 * MIN,
    source: 'sysmon',
    event_code: 1,
    hostname: 'WS01',
    user_name: 'CORP\\alice',
    image: PS,
    command_line: 'powershell -enc SQBFAFgA',
    parent_image: 'C:\\Windows\\explorer.exe',
    severity: 'high',
    title: 'Process Create',
    product: 'windows',
    category: 'process_creation',
    fields: { LogonType: 3, 'Threat Name': 'Mimikatz', 'actor.alternateId': 'a@x', Elevated: true },
  },
  {
    id: 'a2',
    org_id: 'org-a',
    ts: T0 - 20 * MIN,
    source: 'sysmon',
    event_code: 1,
    hostname: 'WS01',
    user_name: 'CORP\\bob',
    image: 'C:\\Windows\\System32\\cmd.exe',
    command_line: 'cmd /c whoami',
    severity: 'medium',
    title: 'Process Create',
    product: 'windows',
    category: 'process_creation',
    fields: { LogonType: '10', Elevated: false },
  },
  {
    id: 'a3',
    org_id: 'org-a',
    ts: T0 - 2 * HOUR,
    source: 'sysmon',
    event_code: 3,
    hostname: 'WS02',
    image: 'C:\\Windows\\System32\\svchost.exe',
    destination_ip: '10.0.0.5',
    destination_port: 445,
    severity: 'low',
    title: 'Network connection',
    product: 'windows',
    category: 'network_connection',
    fields: {},
  },
  {
    id: 'a4',
    org_id: 'org-a',
    ts: T0 - 3 * HOUR,
    source: 'winlog',
    event_code: 4624,
    hostname: 'DC01',
    user_name: 'CORP\\alice',
    source_ip: '10.0.0.9',
    severity: 'informational',
    title: 'Logon',
    product: 'windows',
    fields: { LogonType: 3, IpAddress: '10.0.0.9' },
  },
  {
    id: 'a5',
    org_id: 'org-a',
    ts: T0 - 26 * HOUR,
    source: 'winlog',
    event_code: 4625,
    hostname: 'DC01',
    user_name: 'CORP\\bob',
    severity: 'medium',
    title: 'Logon failure',
    product: 'windows',
    fields: { LogonType: 3 },
  },
  {
    id: 'a6',
    org_id: 'org-a',
    ts: T0 - 4 * HOUR,
    source: 'sysmon',
    event_code: 1,
    hostname: 'WS02',
    user_name: 'CORP\\carol',
    image: 'C:\\Tools\\rclone.exe',
    command_line: 'copy 100%_done.txt \\\\share\\x',
    target_filename: 'C:\\Temp\\100%_done.txt',
    severity: 'high',
    title: 'Process Create',
    fields: { Note: 'it\'s "quoted"' },
  },
  {
    id: 'a7',
    org_id: 'org-a',
    ts: T0 - 5 * HOUR,
    source: 'auditd',
    event_code: 1,
    hostname: 'WS03',
    user_name: 'zoë',
    image: '/usr/bin/echo',
    command_line: 'Écho naïve',
    severity: 'low',
    title: 'execve!',
    product: 'linux',
    fields: { uid: 1000 },
  },
  {
    id: 'b1',
    org_id: 'org-b',
    ts: T0 - 5 * MIN,
    source: 'sysmon',
    event_code: 1,
    hostname: 'SECRET-HOST',
    user_name: 'evil',
    image: PS,
    command_line: 'powershell -enc secret',
    severity: 'high',
    title: 'Process Create',
    fields: { LogonType: 3, 'Threat Name': 'Mimikatz', 'actor.alternateId': 'a@x' },
  },
  {
    id: 'b2',
    org_id: 'org-b',
    ts: T0 - 3 * HOUR,
    source: 'winlog',
    event_code: 4624,
    hostname: 'DC99',
    user_name: 'evil',
    severity: 'informational',
    title: 'Logon',
    fields: { LogonType: 3 },
  },
];

/** Strings that appear only in org-b's rows: seeing one in org-a's results is a leak. */
export const OTHER_ORG_MARKERS = ['SECRET-HOST', 'evil', 'DC99', 'secret'];

const COLUMNS = [
  'id',
  'org_id',
  'device_id',
  'ts',
  'received_at',
  'source',
  'product',
  'category',
  'service',
  'event_code',
  'severity',
  'title',
  'hostname',
  'user_name',
  'image',
  'command_line',
  'parent_image',
  'target_filename',
  'source_ip',
  'destination_ip',
  'destination_port',
  'fields',
  'raw',
  'batch_id',
] as const;

function eventRow(e: FixtureEvent): unknown[] {
  const full: Record<string, unknown> = {
    device_id: `dev-${e.hostname}`,
    received_at: e.ts + 1000,
    service: null,
    raw: JSON.stringify(e),
    batch_id: null,
    ...e,
    fields: JSON.stringify(e.fields),
  };
  return COLUMNS.map((c) => full[c] ?? null);
}

function ddl(dialect: 'sqlite' | 'postgres'): string[] {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return [
    `create table events (id text primary key, org_id text not null, device_id text, ts ${time} not null,
      received_at ${time} not null, source text not null, product text, category text, service text,
      event_code integer, severity text, title text, hostname text, user_name text, image text,
      command_line text, parent_image text, target_filename text, source_ip text, destination_ip text,
      destination_port integer, fields ${json} not null, raw text, batch_id text)`,
    `create index events_org_ts on events (org_id, ts)`,
    `create table alerts (id text primary key, org_id text not null, rule_id text, rule_title text,
      severity text, status text, device_id text, first_seen ${time}, last_seen ${time}, count integer,
      assignee_id text, created_at ${time})`,
    `create table devices (id text primary key, org_id text not null, hostname text not null,
      display_name text, os_name text, os_version text, platform text, agent_version text,
      ip_address text, tags ${json} not null, metadata ${json} not null, first_seen_at ${time} not null,
      last_seen_at ${time}, last_heartbeat_at ${time}, enrolled_at ${time}, revoked_at ${time})`,
    `create table heartbeats (id text primary key, org_id text not null, device_id text not null,
      ts ${time} not null, agent_version text, os_version text, cpu_pct real, mem_used_bytes ${time},
      mem_total_bytes ${time}, disk_used_bytes ${time}, disk_total_bytes ${time}, uptime_s real,
      data ${json} not null)`,
    // A table outside the catalog: no query may read it.
    `create table secrets (org_id text, secret text)`,
  ];
}

const ALERTS: unknown[][] = [
  [
    'al1',
    'org-a',
    'r1',
    'Encoded PowerShell',
    'high',
    'new',
    'dev-WS01',
    T0 - 10 * MIN,
    T0 - 5 * MIN,
    3,
    null,
    T0 - 10 * MIN,
  ],
  [
    'al2',
    'org-a',
    'r2',
    'Whoami',
    'low',
    'closed',
    'dev-WS01',
    T0 - 20 * MIN,
    T0 - 20 * MIN,
    1,
    'u1',
    T0 - 20 * MIN,
  ],
  ['bl1', 'org-b', 'r1', 'Encoded PowerShell', 'high', 'new', 'dev-SECRET-HOST', T0, T0, 9, null, T0],
];
const DEVICES: unknown[][] = [
  [
    'dev-WS01',
    'org-a',
    'ws01',
    'WS01',
    'Windows',
    '11',
    'windows',
    '1.0',
    '10.0.0.1',
    '["finance"]',
    '{"owner":"alice"}',
    T0 - 100 * HOUR,
    T0,
    T0,
  ],
  [
    'dev-SECRET-HOST',
    'org-b',
    'secret-host',
    'SECRET-HOST',
    'Linux',
    '6',
    'linux',
    '1.0',
    '10.9.9.9',
    '[]',
    '{}',
    T0 - 100 * HOUR,
    T0,
    T0,
  ],
];
const HEARTBEATS: unknown[][] = [
  ['h1', 'org-a', 'dev-WS01', T0 - 2 * MIN, '1.0', '11', 12.5, 1000, 4000, 10, 100, 3600, '{"load":0.5}'],
  ['h2', 'org-a', 'dev-WS01', T0 - 1 * MIN, '1.0', '11', 87.5, 3000, 4000, 10, 100, 3660, '{"load":2.5}'],
  ['h3', 'org-b', 'dev-SECRET-HOST', T0 - 1 * MIN, '1.0', '6', 99, 1, 1, 1, 1, 1, '{}'],
];

function inserts(): Array<[string, unknown[][]]> {
  const specs: Array<[string, readonly string[], unknown[][]]> = [
    ['events', COLUMNS, EVENTS.map(eventRow)],
    [
      'alerts',
      [
        'id',
        'org_id',
        'rule_id',
        'rule_title',
        'severity',
        'status',
        'device_id',
        'first_seen',
        'last_seen',
        'count',
        'assignee_id',
        'created_at',
      ],
      ALERTS,
    ],
    [
      'devices',
      [
        'id',
        'org_id',
        'hostname',
        'display_name',
        'os_name',
        'os_version',
        'platform',
        'agent_version',
        'ip_address',
        'tags',
        'metadata',
        'first_seen_at',
        'last_seen_at',
        'last_heartbeat_at',
      ],
      DEVICES,
    ],
    [
      'heartbeats',
      [
        'id',
        'org_id',
        'device_id',
        'ts',
        'agent_version',
        'os_version',
        'cpu_pct',
        'mem_used_bytes',
        'mem_total_bytes',
        'disk_used_bytes',
        'disk_total_bytes',
        'uptime_s',
        'data',
      ],
      HEARTBEATS,
    ],
    ['secrets', ['org_id', 'secret'], [['org-a', 'TOPSECRET']]],
  ];
  return specs.map(([table, cols, rows]) => [
    `insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`,
    rows,
  ]);
}

/** A database the compiled queries can run against. */
export interface TestDb {
  dialect: 'sqlite' | 'postgres';
  run(q: CompiledQuery): Promise<Array<Record<string, ResultValue>>>;
  /** Runs raw SQL (for checks that the catalog tables are intact). */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/** An in-memory SQLite database with the fixture data and `regexp` registered. */
export function sqliteDb(): TestDb {
  const db = new Database(':memory:');
  db.function('regexp', { deterministic: true }, createSqliteRegexp());
  for (const s of ddl('sqlite')) db.exec(s);
  for (const [s, rows] of inserts()) {
    const stmt = db.prepare(s);
    for (const r of rows) stmt.run(...r);
  }
  return {
    dialect: 'sqlite',
    async run(q) {
      const rows = db.prepare(q.sql).all(...q.params);
      return decodeRowObjects(q.columns, rows);
    },
    async count(table) {
      const row = db.prepare(`select count(*) as n from "${table}"`).get() as { n: number };
      return row.n;
    },
    async close() {
      db.close();
    },
  };
}

/** PostgreSQL URL for the tests, or undefined; under CI=true a missing URL is an error. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.HARRIER_TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error('HARRIER_TEST_DATABASE_URL must be set under CI=true');
  }
  return url || undefined;
}

let schemaCounter = 0;

/** A fresh PostgreSQL schema with the fixture data; dropped on close. */
export async function postgresDb(url: string): Promise<TestDb> {
  const schema = `q_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema "${schema}"`);
  await client.query(`set search_path to "${schema}"`);
  for (const s of ddl('postgres')) await client.query(s);
  for (const [s, rows] of inserts()) {
    let n = 0;
    const text = s.replace(/\?/g, () => `$${++n}`);
    for (const r of rows) await client.query(text, r);
  }
  return {
    dialect: 'postgres',
    async run(q) {
      const res = await client.query(q.sql, q.params);
      return decodeRowObjects(q.columns, res.rows);
    },
    async count(table) {
      const res = await client.query(`select count(*)::int as n from "${table}"`);
      return (res.rows[0] as { n: number }).n;
    },
    async close() {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

/** Database factories to run each suite on: SQLite always, PostgreSQL when configured. */
export function testDatabases(): Array<{ name: 'sqlite' | 'postgres'; open: () => Promise<TestDb> }> {
  const out: Array<{ name: 'sqlite' | 'postgres'; open: () => Promise<TestDb> }> = [
    { name: 'sqlite', open: async () => sqliteDb() },
  ];
  const url = testPostgresUrl();
  if (url) out.push({ name: 'postgres', open: () => postgresDb(url) });
  return out;
}
