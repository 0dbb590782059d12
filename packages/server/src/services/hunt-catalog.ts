import { type Catalog, type CatalogColumn, type CatalogTable, defaultCatalog } from '@harrier/query';

/**
 * The `Alerts` table as migration 0003 stores it (the query package's default guesses at a
 * generic shape). Details are JSON, so `Alerts | where Details.x == …` reads them.
 */
const alertsTable: CatalogTable = {
  sqlTable: 'alerts',
  orgColumn: 'org_id',
  timeColumn: 'last_seen',
  idColumn: 'id',
  jsonColumn: 'details',
  columns: {
    AlertId: { sql: 'id', type: 'string', notNull: true },
    Title: { sql: 'title', type: 'string', notNull: true },
    RuleId: { sql: 'rule_uid', type: 'string', notNull: true, description: 'Sigma id of the rule' },
    RuleTitle: { sql: 'rule_title', type: 'string', notNull: true },
    Kind: { sql: 'kind', type: 'string', notNull: true },
    Severity: { sql: 'severity', type: 'string', notNull: true },
    SeverityRank: { sql: 'severity_rank', type: 'number', notNull: true },
    Status: { sql: 'status', type: 'string', notNull: true },
    DeviceId: { sql: 'device_id', type: 'string' },
    GroupKey: { sql: 'group_key', type: 'string', notNull: true },
    FirstSeen: { sql: 'first_seen', type: 'datetime', notNull: true },
    LastSeen: { sql: 'last_seen', type: 'datetime', notNull: true },
    Timestamp: { sql: 'last_seen', type: 'datetime', hidden: true, notNull: true },
    Count: { sql: 'count', type: 'number', notNull: true },
    MatchedEventIds: { sql: 'matched_event_ids', type: 'dynamic' },
    MitreTechniques: { sql: 'mitre_techniques', type: 'dynamic' },
    Details: { sql: 'details', type: 'dynamic' },
    CreatedAt: { sql: 'created_at', type: 'datetime', notNull: true },
  },
  textColumns: ['Title', 'RuleTitle'],
};

/** The catalog the server starts from: the query package's, with our alerts table. */
export function serverCatalog(): Catalog {
  return { tables: { ...defaultCatalog.tables, Alerts: alertsTable } };
}

/**
 * Keeps only what the store really has: a table whose SQL table is missing is dropped, and so is
 * a column whose SQL column is missing (or a table whose org, time or id column is), so no hunt
 * can fail with a database error over a name the catalog promised.
 */
export function restrictCatalog(catalog: Catalog, existing: Map<string, Set<string>>): Catalog {
  const tables: Record<string, CatalogTable> = {};
  for (const [name, table] of Object.entries(catalog.tables)) {
    const have = existing.get(table.sqlTable);
    if (!have?.has(table.orgColumn)) continue;
    const keep = (col: string | undefined) => (col !== undefined && have.has(col) ? col : undefined);
    const columns: Record<string, CatalogColumn> = {};
    for (const [cname, c] of Object.entries(table.columns)) if (have.has(c.sql)) columns[cname] = c;
    const restricted: CatalogTable = { ...table, columns };
    const time = keep(table.timeColumn);
    const id = keep(table.idColumn);
    const json = keep(table.jsonColumn);
    if (time === undefined) delete restricted.timeColumn;
    if (id === undefined) delete restricted.idColumn;
    if (json === undefined) delete restricted.jsonColumn;
    restricted.textColumns = (table.textColumns ?? []).filter((t) => columns[t] !== undefined);
    tables[name] = restricted;
  }
  return { tables };
}
