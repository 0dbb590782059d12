import type { Compilable, Insertable, Kysely } from 'kysely';
import type { ThreatMapItemsTable } from '../db/intel-tables.ts';
import { readJson } from '../db/json-column.ts';
import type { Database } from '../db/tables.ts';

/** A stored event with a source address, as the threat map reads it. */
export interface SourcedEvent {
  id: string;
  ts: number;
  source_ip: string;
  destination_ip: string | null;
  category: string | null;
  title: string | null;
  severity: string | null;
}

/** Queries of the threat map: its ingested items, network events and alerted events with a source. */
export class ThreatMapRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Not executed: for the store's writer. */
  insertQueries(rows: Insertable<ThreatMapItemsTable>[]): Compilable[] {
    const out: Compilable[] = [];
    for (let i = 0; i < rows.length; i += 200)
      out.push(this.db.insertInto('threat_map_items').values(rows.slice(i, i + 200)));
    return out;
  }

  /** Items older than the cutoff, every organization's (not executed: for the store's writer). */
  pruneQuery(cutoff: number): Compilable {
    return this.db.deleteFrom('threat_map_items').where('ts', '<', cutoff);
  }

  items(orgId: string, from: number, to: number, limit: number) {
    return this.db
      .selectFrom('threat_map_items')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('ts', '>=', from)
      .where('ts', '<=', to)
      .orderBy('ts', 'desc')
      .limit(limit)
      .execute();
  }

  /** Suricata and Zeek records of the window that name a source address. */
  networkEvents(orgId: string, from: number, to: number, limit: number): Promise<SourcedEvent[]> {
    return this.db
      .selectFrom('events')
      .select(['id', 'ts', 'source_ip', 'destination_ip', 'category', 'title', 'severity'])
      .where('org_id', '=', orgId)
      .where('ts', '>=', from)
      .where('ts', '<=', to)
      .where('source', 'in', ['suricata', 'zeek'])
      .where('source_ip', 'is not', null)
      .orderBy('ts', 'desc')
      .limit(limit)
      .execute() as Promise<SourcedEvent[]>;
  }

  /** Alerts active in the window, with the ids of (some of) their events. */
  async alertsWithEvents(orgId: string, from: number, to: number, limit: number, eventsPerAlert: number) {
    const alerts = await this.db
      .selectFrom('alerts')
      .select(['id', 'kind', 'title', 'severity', 'matched_event_ids'])
      .where('org_id', '=', orgId)
      .where('last_seen', '>=', from)
      .where('first_seen', '<=', to)
      .orderBy('last_seen', 'desc')
      .limit(limit)
      .execute();
    return alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      title: a.title,
      severity: a.severity,
      eventIds: readJson<string[]>(a.matched_event_ids, []).slice(-eventsPerAlert),
    }));
  }

  /** Events by id that name a source address. */
  async sourcedEvents(orgId: string, ids: readonly string[]): Promise<SourcedEvent[]> {
    const out: SourcedEvent[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('events')
        .select(['id', 'ts', 'source_ip', 'destination_ip', 'category', 'title', 'severity'])
        .where('org_id', '=', orgId)
        .where('id', 'in', ids.slice(i, i + 500))
        .where('source_ip', 'is not', null)
        .execute();
      out.push(...(rows as SourcedEvent[]));
    }
    return out;
  }
}
