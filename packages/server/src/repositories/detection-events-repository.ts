import type { Compilable, Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

/** A stored event as detection and the alert detail read it back. */
export interface StoredEventRow {
  id: string;
  device_id: string | null;
  ts: number;
  received_at: number;
  source: string;
  product: string | null;
  category: string | null;
  service: string | null;
  severity: string | null;
  title: string | null;
  fields: unknown;
}

const COLUMNS = [
  'id',
  'device_id',
  'ts',
  'received_at',
  'source',
  'product',
  'category',
  'service',
  'severity',
  'title',
  'fields',
] as const;

/** Reads of `events` that detection needs (matched events of an alert, correlation replay). */
export class DetectionEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Rewrites an event's fields and severity after detection annotated it (IOC matches);
   * not executed: for the store's writer, in the transaction of the alerts it raised.
   * `ts` (the event's, as stored) lets PostgreSQL touch the one day partition holding it.
   */
  annotateQuery(
    orgId: string,
    id: string,
    ts: number,
    fields: Record<string, unknown>,
    severity: string | null,
  ): Compilable {
    return this.db
      .updateTable('events')
      .set({ fields: JSON.stringify(fields), severity })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('ts', '=', ts);
  }

  /** Events of the organization with these ids. */
  async byIds(orgId: string, ids: readonly string[]): Promise<StoredEventRow[]> {
    if (ids.length === 0) return [];
    const out: StoredEventRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('events')
        .select(COLUMNS)
        .where('org_id', '=', orgId)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      out.push(...rows);
    }
    return out;
  }

  /** Time of the organization's newest event, or undefined. */
  async latestTs(orgId: string): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('ts').as('ts'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return r?.ts === null || r?.ts === undefined ? undefined : Number(r.ts);
  }

  /** Events with `from <= ts <= to`, oldest first, at most `limit` (correlation replay). */
  window(orgId: string, from: number, to: number, limit: number): Promise<StoredEventRow[]> {
    return this.db
      .selectFrom('events')
      .select(COLUMNS)
      .where('org_id', '=', orgId)
      .where('ts', '>=', from)
      .where('ts', '<=', to)
      .orderBy('ts', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
  }
}
