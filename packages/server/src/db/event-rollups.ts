import type { RollupSpec } from '@harrier/query';
import type { Dialect } from './tables.ts';

/** One UTC day in milliseconds: the rollups' and the partitions' unit. */
export const DAY_MS = 86_400_000;

/** Start of the UTC day holding `ts` (also for instants before 1970). */
export function dayStart(ts: number): number {
  return ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * The dimension sets counted per organization and day in `event_rollups_daily`: the pairs
 * analysts summarize over weeks (host × event code, image × user) and image alone for
 * `top N by count` of images. A hunt grouping by a subset of one set sums that set's rows.
 */
export const EVENT_ROLLUP_DIMENSIONS: ReadonlyArray<{ name: string; columns: readonly string[] }> = [
  { name: 'image', columns: ['image'] },
  { name: 'host_code', columns: ['hostname', 'event_code'] },
  { name: 'image_user', columns: ['image', 'user_name'] },
];

/** Every column a dimension set may use; the others stay NULL in its rows. */
export const ROLLUP_COLUMNS = ['hostname', 'event_code', 'user_name', 'image'] as const;

/** What the hunting compiler needs to answer whole days from the rollups. */
export const EVENT_ROLLUP_SPEC: RollupSpec = {
  table: 'events',
  sqlTable: 'event_rollups_daily',
  dayMs: DAY_MS,
  dimensions: EVENT_ROLLUP_DIMENSIONS,
};

const DAY_SQL = (ts: string) => `(${ts} - (((${ts} % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}))`;

/** Key of a dimension set's row: NULL and '' must stay apart, so a JSON array of the values. */
function keyExpression(dialect: Dialect, columns: readonly string[], prefix: string): string {
  const values = columns.map((c) => `${prefix}${c}`).join(', ');
  return dialect === 'postgres' ? `jsonb_build_array(${values})::text` : `json_array(${values})`;
}

function dimensionValues(columns: readonly string[], prefix: string): string {
  return ROLLUP_COLUMNS.map((c) => (columns.includes(c) ? `${prefix}${c}` : 'NULL')).join(', ');
}

const TARGET = `event_rollups_daily (org_id, dims, day, key, ${ROLLUP_COLUMNS.join(', ')}, n)`;

/**
 * Statements adding the grouped counts of `source` (a table or transition table of event rows)
 * to the rollups, one per dimension set, `sign` 1 for inserted rows.
 */
export function rollupAddStatements(dialect: Dialect, source: string): string[] {
  // Rows are upserted in key order, so that concurrent writers (several ingest processes) lock
  // the rollup rows they share in the same order and wait for each other instead of deadlocking.
  return EVENT_ROLLUP_DIMENSIONS.map((d) => {
    const cols = d.columns.join(', ');
    return `INSERT INTO ${TARGET}
      SELECT org_id, '${d.name}', ${DAY_SQL('ts')}, ${keyExpression(dialect, d.columns, '')},
             ${dimensionValues(d.columns, '')}, count(*)
      FROM ${source} WHERE true GROUP BY org_id, ${DAY_SQL('ts')}, ${cols}
      ORDER BY 1, 3, 4
      ON CONFLICT (org_id, dims, day, key) DO UPDATE SET n = event_rollups_daily.n + excluded.n`;
  });
}

/** PostgreSQL: subtract the grouped counts of deleted rows, then drop rows left at zero. */
function rollupSubtractStatements(source: string): string[] {
  return EVENT_ROLLUP_DIMENSIONS.flatMap((d) => {
    const cols = d.columns.join(', ');
    const grouped = `SELECT org_id, ${DAY_SQL('ts')} AS day, ${keyExpression('postgres', d.columns, '')} AS key,
        count(*) AS n FROM ${source} GROUP BY org_id, ${DAY_SQL('ts')}, ${cols}`;
    return [
      `UPDATE event_rollups_daily r SET n = r.n - g.n FROM (${grouped}) g
        WHERE r.org_id = g.org_id AND r.dims = '${d.name}' AND r.day = g.day AND r.key = g.key`,
      `DELETE FROM event_rollups_daily r USING (${grouped}) g
        WHERE r.org_id = g.org_id AND r.dims = '${d.name}' AND r.day = g.day AND r.key = g.key AND r.n <= 0`,
    ];
  });
}

/**
 * DDL keeping the rollups equal to the events table whoever writes it (the writers, the demo
 * seed, retention's deletes from the default partition). PostgreSQL: statement triggers with
 * transition tables, one grouped upsert per statement; SQLite: row triggers.
 * Dropping a whole partition fires nothing: retention deletes those days' rollups itself.
 */
export function rollupTriggerStatements(dialect: Dialect): string[] {
  if (dialect === 'postgres') {
    const fn = (name: string, body: string[]) =>
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         ${body.join(';\n')};
         RETURN NULL;
       END $$`;
    return [
      fn('events_rollup_insert', rollupAddStatements('postgres', 'new_events')),
      fn('events_rollup_delete', rollupSubtractStatements('old_events')),
      `CREATE TRIGGER events_rollup_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
         FOR EACH STATEMENT EXECUTE FUNCTION events_rollup_insert()`,
      `CREATE TRIGGER events_rollup_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_events
         FOR EACH STATEMENT EXECUTE FUNCTION events_rollup_delete()`,
    ];
  }
  const add = EVENT_ROLLUP_DIMENSIONS.map(
    (d) => `INSERT INTO ${TARGET}
      VALUES (new.org_id, '${d.name}', ${DAY_SQL('new.ts')}, ${keyExpression('sqlite', d.columns, 'new.')},
              ${dimensionValues(d.columns, 'new.')}, 1)
      ON CONFLICT (org_id, dims, day, key) DO UPDATE SET n = n + 1;`,
  );
  const subtract = EVENT_ROLLUP_DIMENSIONS.flatMap((d) => {
    const match = `org_id = old.org_id AND dims = '${d.name}' AND day = ${DAY_SQL('old.ts')}
        AND key = ${keyExpression('sqlite', d.columns, 'old.')}`;
    return [
      `UPDATE event_rollups_daily SET n = n - 1 WHERE ${match};`,
      `DELETE FROM event_rollups_daily WHERE ${match} AND n <= 0;`,
    ];
  });
  return [
    `CREATE TRIGGER events_rollup_insert AFTER INSERT ON events BEGIN\n${add.join('\n')}\nEND`,
    `CREATE TRIGGER events_rollup_delete AFTER DELETE ON events BEGIN\n${subtract.join('\n')}\nEND`,
  ];
}
