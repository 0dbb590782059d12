import { isIP } from 'node:net';
import { type HarrierEvent, parseInstant, uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { unprocessable } from '../errors.ts';
import { ThreatMapRepository } from '../repositories/threat-map-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { type GeoLookup, type GeoPoint, geoLookup, isPrivateAddress } from './geoip.ts';
import {
  type AttackType,
  aggregateThreats,
  attackTypeOf,
  SEVERITY_SCALE,
  type ThreatMapSnapshot,
  type ThreatObservation,
} from './threat-map-aggregation.ts';

/** Seed 004's `IngestEventIn`, as validated by the route's schema. */
export interface ThreatMapItemInput {
  id?: string | undefined;
  ts: string;
  src_ip?: string | null | undefined;
  dst_ip?: string | null | undefined;
  attack_type: AttackType;
  severity: number;
  volume?: { pps?: number | undefined; bps?: number | undefined } | null | undefined;
  tags?: string[] | undefined;
  confidence?: number | undefined;
  source?: string | undefined;
}

/** What the live map receives: one attack as it arrives, or the window's aggregate. */
export type ThreatMapMessage =
  | {
      type: 'threat';
      origin: ThreatObservation['origin'];
      ts: string;
      src_ip: string;
      dst_ip: string | null;
      attack_type: AttackType;
      severity: number;
      geo: GeoPoint | null;
    }
  | { type: 'snapshot'; snapshot: ThreatMapSnapshot };

export type ThreatMapListener = (message: ThreatMapMessage) => void;

/** How long ingested threat-map items are kept (the map shows minutes to days). */
export const THREAT_MAP_ITEM_TTL_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** Most rows of each kind read for one snapshot. */
const SNAPSHOT_ROWS = 5_000;
const SNAPSHOT_ALERTS = 500;
const EVENTS_PER_ALERT = 10;

/**
 * The threat map (seed 004): attack sources from ingested items, alerts and network sensor
 * records, placed by the bundled GeoIP database, aggregated per window and pushed live to
 * the organization's subscribers. Private and reserved sources never appear; an address
 * the database does not place is counted but gets no position.
 */
export class ThreatMapService {
  private readonly listeners = new Map<string, Set<ThreatMapListener>>();
  private readonly repo: ThreatMapRepository;
  private prunedAt = 0;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly geo: GeoLookup = geoLookup,
  ) {
    this.repo = new ThreatMapRepository(database.db);
  }

  /** Pushes network sensor records with a public source to live subscribers as they commit. */
  attach(pipeline: EventPipeline): void {
    pipeline.subscribe((events) => this.publishNetwork(events));
  }

  /** Stores seed 004 threat-map items and pushes them live; a bad item refuses the whole request (422). */
  async ingest(
    orgId: string,
    items: readonly ThreatMapItemInput[],
    now = Date.now(),
  ): Promise<{ accepted: number }> {
    const rows = items.map((item, index) => {
      const ts = parseInstant(item.ts);
      if (ts === undefined) throw invalid(index, 'ts', 'ts is not a date-time');
      for (const key of ['src_ip', 'dst_ip'] as const) {
        const v = item[key];
        if (v !== undefined && v !== null && isIP(v) === 0)
          throw invalid(index, key, `${key} is not an IP address`);
      }
      return {
        id: uuidv7(now),
        org_id: orgId,
        ts,
        src_ip: item.src_ip ?? null,
        dst_ip: item.dst_ip ?? null,
        attack_type: item.attack_type,
        severity: item.severity,
        volume_pps: item.volume?.pps ?? null,
        volume_bps: item.volume?.bps ?? null,
        tags: JSON.stringify(item.tags ?? []),
        confidence: item.confidence ?? 1,
        source: item.source ?? 'ingest',
        created_at: now,
      };
    });
    const queries = this.repo.insertQueries(rows);
    // Expired items go in the same transaction, at most hourly.
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      queries.push(this.repo.pruneQuery(now - THREAT_MAP_ITEM_TTL_MS));
    }
    await commitThroughWriter(this.database, queries);
    for (const r of rows) {
      if (r.src_ip === null) continue;
      this.publish(orgId, {
        ts: r.ts,
        srcIp: r.src_ip,
        dstIp: r.dst_ip,
        attackType: r.attack_type,
        severity: r.severity,
        origin: 'ingest',
      });
    }
    return { accepted: rows.length };
  }

  /** The aggregate of the window ending now. */
  async snapshot(orgId: string, windowMs: number, now = Date.now()): Promise<ThreatMapSnapshot> {
    const from = now - windowMs;
    const observations: ThreatObservation[] = [];
    for (const r of await this.repo.items(orgId, from, now, SNAPSHOT_ROWS)) {
      if (r.src_ip === null) continue;
      observations.push({
        ts: Number(r.ts),
        srcIp: r.src_ip,
        dstIp: r.dst_ip,
        attackType: r.attack_type as AttackType,
        severity: r.severity,
        origin: 'ingest',
      });
    }
    for (const e of await this.repo.networkEvents(orgId, from, now, SNAPSHOT_ROWS)) {
      observations.push({
        ts: Number(e.ts),
        srcIp: e.source_ip,
        dstIp: e.destination_ip,
        attackType: attackTypeOf({ category: e.category, text: e.title }),
        severity: SEVERITY_SCALE[e.severity ?? ''] ?? 1,
        origin: 'network',
      });
    }
    const alerts = await this.repo.alertsWithEvents(orgId, from, now, SNAPSHOT_ALERTS, EVENTS_PER_ALERT);
    const events = new Map(
      (await this.repo.sourcedEvents(orgId, [...new Set(alerts.flatMap((a) => a.eventIds))])).map((e) => [
        e.id,
        e,
      ]),
    );
    for (const a of alerts) {
      for (const id of a.eventIds) {
        const e = events.get(id);
        if (e === undefined) continue;
        // An alert on a connection from inside (a C2 indicator, an outbound rule) is about the
        // remote party: the public end of the connection is the source on the map.
        const inbound = !isPrivateAddress(e.source_ip) || e.destination_ip === null;
        observations.push({
          ts: Number(e.ts),
          srcIp: inbound ? e.source_ip : e.destination_ip!,
          dstIp: inbound ? e.destination_ip : e.source_ip,
          attackType: attackTypeOf({ kind: a.kind, category: e.category, text: a.title }),
          severity: SEVERITY_SCALE[a.severity] ?? 5,
          origin: 'alert',
        });
      }
    }
    return aggregateThreats(observations, { from, to: now }, this.geo, isPrivateAddress);
  }

  /** Receives the organization's live threats until the returned function is called. */
  subscribe(orgId: string, listener: ThreatMapListener): () => void {
    let set = this.listeners.get(orgId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(orgId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(orgId);
    };
  }

  private publishNetwork(events: readonly HarrierEvent[]): void {
    if (this.listeners.size === 0) return;
    for (const e of events) {
      if (e.source !== 'suricata' && e.source !== 'zeek') continue;
      if (!this.listeners.has(e.org_id)) continue;
      const src = e.fields.SourceIp;
      if (typeof src !== 'string') continue;
      const dst = e.fields.DestinationIp;
      this.publish(e.org_id, {
        ts: e.ts,
        srcIp: src,
        dstIp: typeof dst === 'string' ? dst : null,
        attackType: attackTypeOf({ category: e.logsource.category ?? null, text: e.title ?? null }),
        severity: SEVERITY_SCALE[e.severity ?? ''] ?? 1,
        origin: 'network',
      });
    }
  }

  private publish(orgId: string, o: ThreatObservation): void {
    const set = this.listeners.get(orgId);
    if (set === undefined || isPrivateAddress(o.srcIp)) return;
    const message: ThreatMapMessage = {
      type: 'threat',
      origin: o.origin,
      ts: new Date(o.ts).toISOString(),
      src_ip: o.srcIp,
      dst_ip: o.dstIp,
      attack_type: o.attackType,
      severity: o.severity,
      geo: this.geo(o.srcIp) ?? null,
    };
    for (const listener of set) listener(message);
  }
}

function invalid(index: number, field: string, msg: string) {
  return unprocessable('invalid_item', msg, [{ type: 'value_error', loc: ['body', index, field], msg }]);
}
