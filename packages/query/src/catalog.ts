/** Types a hunting column can have; `dynamic` is untyped JSON. */
export type FieldType = 'string' | 'number' | 'datetime' | 'bool' | 'dynamic';

/** One queryable column: the friendly name is the key in {@link CatalogTable.columns}. */
export interface CatalogColumn {
  /** The SQL column name (an identifier, never user input). */
  sql: string;
  type: FieldType;
  /** An alias of another column: queryable, but left out of the default projection. */
  hidden?: boolean;
  /** Never null: sorting on it needs no NULLS clause, so PostgreSQL can walk an index backwards. */
  notNull?: boolean;
  description?: string;
}

/** How one hunting table maps onto a SQL table. */
export interface CatalogTable {
  sqlTable: string;
  /** The tenant column; every access is filtered on it. */
  orgColumn: string;
  /** The epoch-milliseconds column that time ranges and histograms use. */
  timeColumn?: string;
  /** A unique column used as a tie-breaker for stable ordering and cursors. */
  idColumn?: string;
  columns: Record<string, CatalogColumn>;
  /** JSON column holding further fields: unknown field names are read from it. */
  jsonColumn?: string;
  /** Friendly names searched by free-text terms in the quick filter. */
  textColumns?: string[];
  /** Other names the table answers to (seed 004 calls its events `SecurityEvent`). */
  aliases?: string[];
}

/** The tables a query may read. The server owns it; {@link defaultCatalog} matches migration 0001. */
export interface Catalog {
  tables: Record<string, CatalogTable>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const eventsColumns: Record<string, CatalogColumn> = {
  Timestamp: { sql: 'ts', type: 'datetime', notNull: true, description: 'When the event happened (UTC)' },
  ts: { sql: 'ts', type: 'datetime', hidden: true, notNull: true },
  Id: { sql: 'id', type: 'string', description: 'Harrier event id' },
  DeviceId: { sql: 'device_id', type: 'string' },
  ReceivedAt: { sql: 'received_at', type: 'datetime', notNull: true },
  Source: { sql: 'source', type: 'string', notNull: true },
  Product: { sql: 'product', type: 'string' },
  Category: { sql: 'category', type: 'string' },
  Service: { sql: 'service', type: 'string' },
  EventID: { sql: 'event_code', type: 'number', description: 'Source event code (Windows EventID)' },
  Severity: { sql: 'severity', type: 'string' },
  Title: { sql: 'title', type: 'string' },
  Computer: { sql: 'hostname', type: 'string' },
  Hostname: { sql: 'hostname', type: 'string', hidden: true },
  User: { sql: 'user_name', type: 'string' },
  Image: { sql: 'image', type: 'string' },
  CommandLine: { sql: 'command_line', type: 'string' },
  ParentImage: { sql: 'parent_image', type: 'string' },
  TargetFilename: { sql: 'target_filename', type: 'string' },
  SourceIp: { sql: 'source_ip', type: 'string' },
  DestinationIp: { sql: 'destination_ip', type: 'string' },
  DestinationPort: { sql: 'destination_port', type: 'number' },
  BatchId: { sql: 'batch_id', type: 'string', hidden: true },
  Fields: { sql: 'fields', type: 'dynamic', description: 'All fields, Sigma names' },
  Raw: { sql: 'raw', type: 'string', hidden: true },
};

/**
 * The default catalog, matching the server's migration 0001 for events, devices and heartbeats and
 * a plausible alerts table. Times are epoch milliseconds in every table.
 */
export const defaultCatalog: Catalog = {
  tables: {
    Events: {
      sqlTable: 'events',
      orgColumn: 'org_id',
      timeColumn: 'ts',
      idColumn: 'id',
      jsonColumn: 'fields',
      columns: eventsColumns,
      textColumns: ['Title', 'CommandLine', 'Image', 'ParentImage', 'TargetFilename', 'Computer', 'User'],
      aliases: ['SecurityEvent'],
    },
    Alerts: {
      sqlTable: 'alerts',
      orgColumn: 'org_id',
      timeColumn: 'last_seen',
      idColumn: 'id',
      columns: {
        AlertId: { sql: 'id', type: 'string' },
        RuleId: { sql: 'rule_id', type: 'string' },
        RuleTitle: { sql: 'rule_title', type: 'string' },
        Title: { sql: 'rule_title', type: 'string', hidden: true },
        Severity: { sql: 'severity', type: 'string' },
        Status: { sql: 'status', type: 'string' },
        DeviceId: { sql: 'device_id', type: 'string' },
        FirstSeen: { sql: 'first_seen', type: 'datetime' },
        LastSeen: { sql: 'last_seen', type: 'datetime' },
        Timestamp: { sql: 'last_seen', type: 'datetime', hidden: true },
        Count: { sql: 'count', type: 'number' },
        AssigneeId: { sql: 'assignee_id', type: 'string' },
        CreatedAt: { sql: 'created_at', type: 'datetime' },
      },
      textColumns: ['RuleTitle'],
    },
    Devices: {
      sqlTable: 'devices',
      orgColumn: 'org_id',
      timeColumn: 'last_seen_at',
      idColumn: 'id',
      jsonColumn: 'metadata',
      columns: {
        DeviceId: { sql: 'id', type: 'string' },
        Hostname: { sql: 'hostname', type: 'string', notNull: true },
        Computer: { sql: 'hostname', type: 'string', hidden: true, notNull: true },
        DisplayName: { sql: 'display_name', type: 'string' },
        OsName: { sql: 'os_name', type: 'string' },
        OsVersion: { sql: 'os_version', type: 'string' },
        Platform: { sql: 'platform', type: 'string' },
        AgentVersion: { sql: 'agent_version', type: 'string' },
        IpAddress: { sql: 'ip_address', type: 'string' },
        Tags: { sql: 'tags', type: 'dynamic' },
        FirstSeen: { sql: 'first_seen_at', type: 'datetime', notNull: true },
        LastSeen: { sql: 'last_seen_at', type: 'datetime' },
        LastHeartbeat: { sql: 'last_heartbeat_at', type: 'datetime' },
        EnrolledAt: { sql: 'enrolled_at', type: 'datetime' },
        RevokedAt: { sql: 'revoked_at', type: 'datetime' },
      },
      textColumns: ['Hostname', 'DisplayName', 'OsName', 'IpAddress'],
    },
    Heartbeats: {
      sqlTable: 'heartbeats',
      orgColumn: 'org_id',
      timeColumn: 'ts',
      idColumn: 'id',
      jsonColumn: 'data',
      columns: {
        Timestamp: { sql: 'ts', type: 'datetime', notNull: true },
        ts: { sql: 'ts', type: 'datetime', hidden: true, notNull: true },
        DeviceId: { sql: 'device_id', type: 'string' },
        AgentVersion: { sql: 'agent_version', type: 'string' },
        OsVersion: { sql: 'os_version', type: 'string' },
        CpuPct: { sql: 'cpu_pct', type: 'number' },
        MemUsedBytes: { sql: 'mem_used_bytes', type: 'number' },
        MemTotalBytes: { sql: 'mem_total_bytes', type: 'number' },
        DiskUsedBytes: { sql: 'disk_used_bytes', type: 'number' },
        DiskTotalBytes: { sql: 'disk_total_bytes', type: 'number' },
        UptimeSeconds: { sql: 'uptime_s', type: 'number' },
      },
    },
  },
};

/**
 * Checks that a catalog is well formed: SQL names must be plain identifiers (optionally
 * schema-qualified tables) because they are the only text interpolated into generated SQL.
 * Throws an Error naming the first problem.
 */
export function validateCatalog(catalog: Catalog): void {
  for (const [name, t] of Object.entries(catalog.tables)) {
    const where = `catalog table ${name}`;
    if (!t.sqlTable.split('.').every((p) => IDENT.test(p))) throw new Error(`${where}: bad sqlTable`);
    for (const col of [t.orgColumn, t.timeColumn, t.idColumn, t.jsonColumn]) {
      if (col !== undefined && !IDENT.test(col)) throw new Error(`${where}: bad column name "${col}"`);
    }
    for (const [cname, c] of Object.entries(t.columns)) {
      if (!IDENT.test(c.sql)) throw new Error(`${where}: column ${cname} has bad sql name`);
      if (!['string', 'number', 'datetime', 'bool', 'dynamic'].includes(c.type)) {
        throw new Error(`${where}: column ${cname} has unknown type ${String(c.type)}`);
      }
    }
    for (const tc of t.textColumns ?? []) {
      if (!t.columns[tc]) throw new Error(`${where}: text column ${tc} is not a column`);
    }
  }
}

/** Finds a table by name: exact, then alias, then case-insensitive. */
export function findTable(catalog: Catalog, name: string): { name: string; table: CatalogTable } | undefined {
  const entries = Object.entries(catalog.tables);
  const exact = entries.find(([n, t]) => n === name || (t.aliases ?? []).includes(name));
  if (exact) return { name: exact[0], table: exact[1] };
  const lower = name.toLowerCase();
  const ci = entries.filter(
    ([n, t]) => n.toLowerCase() === lower || (t.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
  return ci.length === 1 ? { name: ci[0]![0], table: ci[0]![1] } : undefined;
}

/** Finds a column by friendly name: exact first, then a unique case-insensitive match. */
export function findColumn(
  table: CatalogTable,
  name: string,
): { name: string; column: CatalogColumn } | undefined {
  const exact = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
  if (exact) return { name, column: exact };
  const lower = name.toLowerCase();
  const matches = Object.entries(table.columns).filter(([n]) => n.toLowerCase() === lower);
  // Several case variants (Timestamp/ts are different names, not variants) must agree on the column.
  if (matches.length === 0) return undefined;
  const sqlNames = new Set(matches.map(([, c]) => c.sql));
  return sqlNames.size === 1 ? { name: matches[0]![0], column: matches[0]![1] } : undefined;
}

/** A table as the console's editor sees it, for completion and the schema sidebar. */
export interface TableDescription {
  name: string;
  aliases: string[];
  /** Unknown field names are read from the table's JSON fields. */
  openFields: boolean;
  columns: Array<{ name: string; type: FieldType; alias: boolean; description?: string }>;
}

/** Lists tables and their columns (aliases flagged) for completion; no SQL names are exposed. */
export function describeCatalog(catalog: Catalog = defaultCatalog): TableDescription[] {
  return Object.entries(catalog.tables).map(([name, t]) => ({
    name,
    aliases: [...(t.aliases ?? [])],
    openFields: t.jsonColumn !== undefined,
    columns: Object.entries(t.columns).map(([cname, c]) => {
      const col: { name: string; type: FieldType; alias: boolean; description?: string } = {
        name: cname,
        type: c.type,
        alias: c.hidden === true,
      };
      if (c.description) col.description = c.description;
      return col;
    }),
  }));
}
