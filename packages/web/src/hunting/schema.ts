import type { Catalog, TableDescription } from '@harrier/query';

/**
 * The server's table list (`GET /api/v1/hunt/schema`) as a catalog the completer reads. Only
 * names and types matter to completion; the SQL side stays on the server and is never sent.
 * Aliases of other columns are left out of the proposals.
 */
export function catalogFromSchema(tables: readonly TableDescription[]): Catalog {
  return {
    tables: Object.fromEntries(
      tables.map((t) => [
        t.name,
        {
          sqlTable: '',
          orgColumn: '',
          aliases: t.aliases,
          columns: Object.fromEntries(
            t.columns.filter((c) => !c.alias).map((c) => [c.name, { sql: '', type: c.type }]),
          ),
        },
      ]),
    ),
  };
}
