import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { type AlertFilter, type AlertRow, AlertsRepository } from '../repositories/alerts-repository.ts';
import {
  DetectionEventsRepository,
  type StoredEventRow,
} from '../repositories/detection-events-repository.ts';

/** An alert with the first event it matched (what the seeds call the alert's event). */
export interface AlertWithEvent {
  alert: AlertRow;
  event: StoredEventRow | undefined;
}

/** Alert reads in the seeds' shapes: numbered pages, counts, and each alert's first event. */
export class SeedAlertReader {
  private readonly alerts: AlertsRepository;
  private readonly events: DetectionEventsRepository;

  constructor(database: HarrierDatabase) {
    this.alerts = new AlertsRepository(database.db, database.dialect);
    this.events = new DetectionEventsRepository(database.db);
  }

  async page(
    f: Omit<AlertFilter, 'limit'>,
    order: 'newest' | 'oldest' | 'status' | '-status',
    offset: number,
    limit: number,
  ): Promise<AlertWithEvent[]> {
    return this.withEvents(f.orgId, await this.alerts.offsetPage(f, order, offset, limit));
  }

  count(f: Omit<AlertFilter, 'limit'>): Promise<number> {
    return this.alerts.count(f);
  }

  async one(orgId: string, id: string): Promise<AlertWithEvent | undefined> {
    const alert = await this.alerts.findById(orgId, id);
    return alert ? (await this.withEvents(orgId, [alert]))[0] : undefined;
  }

  private async withEvents(orgId: string, rows: AlertRow[]): Promise<AlertWithEvent[]> {
    const first = new Map<string, string>();
    for (const a of rows) {
      const id = readJson<string[]>(a.matched_event_ids, [])[0];
      if (id) first.set(a.id, id);
    }
    const events = await this.events.byIds(orgId, [...new Set(first.values())]);
    const byId = new Map(events.map((e) => [e.id, e]));
    return rows.map((alert) => {
      const eventId = first.get(alert.id);
      return { alert, event: eventId ? byId.get(eventId) : undefined };
    });
  }
}
