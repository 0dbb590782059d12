import {
  alertGroupKey,
  DEFAULT_GROUPING_WINDOW,
  type DetectableEvent,
  type DetectionMatch,
  extendAlertWindow,
  fallsInAlertWindow,
  type GroupingWindow,
  mitreFromTags,
} from '@harrier/detect';
import {
  type HarrierEvent,
  parseSeverity,
  type Severity,
  severityAtLeast,
  severityRank,
  uuidv7,
} from '@harrier/schema';
import type { Compilable, Insertable } from 'kysely';
import type { DomainEvent, DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import type { AlertsTable } from '../db/detection-tables.ts';
import { readJson } from '../db/json-column.ts';
import { type AlertRow, AlertsRepository } from '../repositories/alerts-repository.ts';
import {
  DetectionEventsRepository,
  type StoredEventRow,
} from '../repositories/detection-events-repository.ts';
import { IocRepository } from '../repositories/ioc-repository.ts';
import { RulesRepository } from '../repositories/rules-repository.ts';
import { SuppressionsRepository } from '../repositories/suppressions-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import type { EventPipeline } from './event-pipeline.ts';
import type { IocHit } from './ioc-matcher.ts';
import { OrgDetector, RuleCompileCache } from './org-detector.ts';

/** Rule ids of the alerts that are not raised by a stored Sigma rule. */
export const BUILTIN_RULES = {
  severity: { uid: 'harrier:severity-promotion', title: 'High-severity event' },
  ioc: { uid: 'harrier:ioc', title: 'IOC match' },
} as const;

/** Alert statuses that no longer absorb new matches. */
export const CLOSED_ALERT_STATUSES = ['resolved', 'false_positive', 'closed'] as const;

/** Most matched event ids an alert keeps (the newest). */
export const MAX_MATCHED_EVENT_IDS = 100;

export interface DetectionSettings {
  /** Events at or above this severity raise an alert (seed 003); null turns promotion off. */
  promoteAtSeverity: Severity | null;
  grouping?: GroupingWindow;
  /** How often stored rules and lists are checked for changes made by another process. */
  recheckMs?: number;
  /** Most stored events replayed to rebuild correlation state. */
  replayLimit?: number;
}

/** Counters of the detection service (metrics, bench, tests). */
export interface DetectionStats {
  events: number;
  batches: number;
  matches: number;
  alertsCreated: number;
  alertsUpdated: number;
  suppressed: number;
  /** Wall time in runs, storing included. */
  busyMs: number;
  /** Wall time evaluating events (engine, promotion, IOC, suppressions), storing excluded. */
  evaluateMs: number;
}

/** A match on its way to becoming (or growing) an alert. */
interface AlertCandidate {
  kind: 'rule' | 'correlation' | 'signal' | 'severity' | 'ioc';
  ruleId: string | null;
  ruleUid: string;
  ruleVersion: number | null;
  ruleTitle: string;
  title: string;
  severity: Severity;
  deviceId: string | null;
  groupKey: string;
  ts: number;
  eventIds: string[];
  techniques: string[];
  tactics: string[];
  details: Record<string, unknown>;
}

interface OpenAlert {
  id: string;
  group_key: string;
  first_seen: number;
  last_seen: number;
  count: number;
  eventIds: string[];
  row: Insertable<AlertsTable> | undefined;
  changed: boolean;
  /** Event ids the stored alert held when it was read (idempotency under redelivery). */
  stored: ReadonlySet<string>;
}

interface DetectorEntry {
  detector: OrgDetector;
  checkedAt: number;
  rulesFingerprint: string;
  listsFingerprint: string;
}

interface Queued {
  events: HarrierEvent[];
  resolve(): void;
  reject(error: unknown): void;
}

/** Most events coalesced into one detection transaction. */
const MAX_EVENTS_PER_RUN = 20_000;

/** Event ids remembered as evaluated, so a batch the bus delivers again is not counted twice. */
const RECENT_EVENT_IDS = 100_000;

function pushBounded(list: string[], ids: readonly string[]): string[] {
  const out = list.concat(ids);
  return out.length > MAX_MATCHED_EVENT_IDS ? out.slice(out.length - MAX_MATCHED_EVENT_IDS) : out;
}

/** A stored event row as the engine reads it. */
export function storedToDetectable(r: StoredEventRow): DetectableEvent {
  const logsource: DetectableEvent['logsource'] = {};
  if (r.product !== null) logsource.product = r.product;
  if (r.category !== null) logsource.category = r.category;
  if (r.service !== null) logsource.service = r.service;
  return {
    id: r.id,
    device_id: r.device_id,
    ts: Number(r.ts),
    logsource,
    fields: readJson<Record<string, unknown>>(r.fields, {}),
  };
}

/**
 * Detection in the platform: every committed event of the pipeline is run
 * through its organization's compiled engine (Sigma rules and correlations),
 * severity promotion, IOC lists and Santamon's signals; matches that pass the
 * suppressions create or grow alerts, one transaction per run of batches.
 * Runs are serial, so matches reach correlations in order and two batches can
 * never open the same alert twice.
 */
export class DetectionService {
  readonly stats: DetectionStats = {
    events: 0,
    batches: 0,
    matches: 0,
    alertsCreated: 0,
    alertsUpdated: 0,
    suppressed: 0,
    busyMs: 0,
    evaluateMs: 0,
  };
  private readonly detectors = new Map<string, DetectorEntry>();
  private readonly caches = new Map<string, RuleCompileCache>();
  private readonly dirtyRules = new Set<string>();
  private readonly dirtyLists = new Set<string>();
  private readonly building = new Map<string, Promise<DetectorEntry>>();
  private queue: Queued[] = [];
  private running = false;
  private readonly evaluated = new RecentIds(RECENT_EVENT_IDS);
  private readonly grouping: GroupingWindow;
  private readonly recheckMs: number;
  private readonly replayLimit: number;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly settings: DetectionSettings,
    private readonly domainEvents?: DomainEventBus,
  ) {
    this.grouping = settings.grouping ?? DEFAULT_GROUPING_WINDOW;
    this.recheckMs = settings.recheckMs ?? 5_000;
    this.replayLimit = settings.replayLimit ?? 200_000;
  }

  /** Receives every committed batch of the pipeline from now on. */
  attach(pipeline: EventPipeline): void {
    pipeline.subscribe((events) => this.submit(events));
  }

  /** Queues committed events; resolves when their alerts are stored. */
  submit(events: HarrierEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      void this.drain();
    });
  }

  /** Marks an organization's rules (or only its suppressions and indicators) as changed. */
  invalidate(orgId: string, what: 'rules' | 'lists' = 'rules'): void {
    (what === 'rules' ? this.dirtyRules : this.dirtyLists).add(orgId);
  }

  /** The organization's detector, built or refreshed when its rules changed. */
  async detectorFor(orgId: string, pending: ReadonlySet<string> = new Set()): Promise<OrgDetector> {
    const existing = this.building.get(orgId);
    if (existing) return (await existing).detector;
    const work = this.refresh(orgId, pending);
    this.building.set(orgId, work);
    try {
      return (await work).detector;
    } finally {
      this.building.delete(orgId);
    }
  }

  private async refresh(orgId: string, pending: ReadonlySet<string>): Promise<DetectorEntry> {
    const now = Date.now();
    const entry = this.detectors.get(orgId);
    const rulesDirty = this.dirtyRules.has(orgId);
    const listsDirty = this.dirtyLists.has(orgId);
    if (entry && !rulesDirty && !listsDirty && now - entry.checkedAt < this.recheckMs) {
      if (now >= entry.detector.nextExpiry) await this.reloadLists(orgId, entry, now);
      return entry;
    }
    const db = this.database.db;
    const rules = new RulesRepository(db);
    const [rulesFp, listsFp] = await Promise.all([rules.fingerprint(orgId), this.listsFingerprint(orgId)]);
    if (entry && !rulesDirty && rulesFp === entry.rulesFingerprint) {
      if (listsDirty || listsFp !== entry.listsFingerprint || now >= entry.detector.nextExpiry) {
        this.dirtyLists.delete(orgId);
        await this.reloadLists(orgId, entry, now);
        entry.listsFingerprint = listsFp;
      }
      entry.checkedAt = now;
      return entry;
    }
    this.dirtyRules.delete(orgId);
    this.dirtyLists.delete(orgId);
    let cache = this.caches.get(orgId);
    if (cache === undefined) {
      cache = new RuleCompileCache();
      this.caches.set(orgId, cache);
    }
    const [rows, suppressions, iocs] = await Promise.all([
      rules.all(orgId),
      new SuppressionsRepository(db).active(orgId, now),
      new IocRepository(db).active(orgId, now),
    ]);
    // Compiling thousands of rules takes seconds: yield between slices so requests keep flowing.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.enabled === 1 && row.kind !== 'correlation') cache.compile(row);
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    const detector = new OrgDetector(rows, cache, suppressions, iocs);
    for (const s of detector.skipped) {
      console.error(
        JSON.stringify({ level: 'warn', msg: 'stored rule not run', rule: s.uid, reason: s.message }),
      );
    }
    if (detector.maxTimespanMs > 0) await this.replay(orgId, detector, pending);
    const fresh: DetectorEntry = {
      detector,
      checkedAt: now,
      rulesFingerprint: rulesFp,
      listsFingerprint: listsFp,
    };
    this.detectors.set(orgId, fresh);
    return fresh;
  }

  private async listsFingerprint(orgId: string): Promise<string> {
    const db = this.database.db;
    const [s, i] = await Promise.all([
      new SuppressionsRepository(db).fingerprint(orgId),
      new IocRepository(db).fingerprint(orgId),
    ]);
    return `${s}|${i}`;
  }

  private async reloadLists(orgId: string, entry: DetectorEntry, now: number): Promise<void> {
    const db = this.database.db;
    const [suppressions, iocs] = await Promise.all([
      new SuppressionsRepository(db).active(orgId, now),
      new IocRepository(db).active(orgId, now),
    ]);
    entry.detector.setLists(suppressions, iocs);
  }

  /**
   * Rebuilds correlation state from the stored events of the longest
   * correlation window (after a restart or a rule change). Events still
   * waiting to be detected are left out: they are about to be run for real.
   */
  private async replay(orgId: string, detector: OrgDetector, pending: ReadonlySet<string>): Promise<void> {
    const events = new DetectionEventsRepository(this.database.db);
    const latest = await events.latestTs(orgId);
    if (latest === undefined) return;
    const rows = await events.window(orgId, latest - detector.maxTimespanMs, latest, this.replayLimit);
    for (const row of rows) {
      if (pending.has(row.id)) continue;
      detector.engine.match(storedToDetectable(row));
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const items: Queued[] = [];
        let n = 0;
        while (
          this.queue.length > 0 &&
          (items.length === 0 || n + this.queue[0]!.events.length <= MAX_EVENTS_PER_RUN)
        ) {
          const q = this.queue.shift()!;
          items.push(q);
          n += q.events.length;
        }
        const started = performance.now();
        try {
          await this.process(items.flatMap((i) => i.events));
          for (const i of items) i.resolve();
        } catch (error) {
          for (const i of items) i.reject(error);
        } finally {
          this.stats.busyMs += performance.now() - started;
          this.stats.batches += items.length;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async process(batch: HarrierEvent[]): Promise<void> {
    // A redelivered batch (NATS bus) may hold events this process already ran: they would grow
    // correlation counts twice. Alerts stored by another process are checked in store().
    const events = batch.filter((e) => !this.evaluated.has(e.id));
    this.stats.events += events.length;
    const byOrg = new Map<string, HarrierEvent[]>();
    for (const e of events) {
      const list = byOrg.get(e.org_id);
      if (list) list.push(e);
      else byOrg.set(e.org_id, [e]);
    }
    const pending = new Set<string>();
    for (const q of this.queue) for (const e of q.events) pending.add(e.id);
    for (const e of events) pending.add(e.id);
    try {
      for (const [orgId, list] of byOrg) {
        const detector = await this.detectorFor(orgId, pending);
        const started = performance.now();
        const run = this.evaluate(detector, list);
        this.stats.evaluateMs += performance.now() - started;
        await this.store(orgId, run);
      }
    } catch (error) {
      // The engines saw events whose alerts were not stored; the batch comes again (redelivery),
      // so their state is rebuilt from stored events first instead of counting them twice.
      for (const orgId of byOrg.keys()) this.invalidate(orgId);
      throw error;
    }
    for (const e of events) this.evaluated.add(e.id);
  }

  /** Runs events (in time order) through the detector; nothing is written here. */
  private evaluate(detector: OrgDetector, events: HarrierEvent[]) {
    const candidates: AlertCandidate[] = [];
    const suppressed = new Map<string, number>();
    const iocHits = new Map<string, number>();
    const annotated: HarrierEvent[] = [];
    const sorted = events.length > 1 ? [...events].sort((a, b) => a.ts - b.ts) : events;
    const promote = this.settings.promoteAtSeverity;
    const offer = (c: AlertCandidate, fields: Readonly<Record<string, unknown>>) => {
      const by =
        detector.suppressions.size > 0
          ? detector.suppressions.find(c.ruleUid, fields, c.deviceId)
          : undefined;
      if (by !== undefined) {
        suppressed.set(by, (suppressed.get(by) ?? 0) + 1);
        this.stats.suppressed++;
        return;
      }
      candidates.push(c);
    };
    let maxTs = Number.NEGATIVE_INFINITY;
    for (const e of sorted) {
      if (e.ts > maxTs) maxTs = e.ts;
      if (e.source === 'santamon') offer(signalCandidate(e), e.fields);
      else if (promote !== null && e.severity !== undefined && severityAtLeast(e.severity, promote)) {
        offer(promotionCandidate(e), e.fields);
      }
      // Indicators first: the event carries `ioc_match` when the rules see it, so BIOC rules
      // (saved Sigma rules testing `ioc_match`) apply to the same event.
      const hits = detector.iocs.match(e.fields);
      if (hits.length > 0) {
        annotateIocMatches(e, hits);
        annotated.push(e);
      }
      const matches = detector.engine.match(e);
      for (const m of matches) this.offerMatch(detector, m, e, offer);
      for (const hit of hits) {
        const spec = hit.indicator;
        iocHits.set(spec.id, (iocHits.get(spec.id) ?? 0) + 1);
        offer(
          {
            kind: 'ioc',
            ruleId: null,
            ruleUid: BUILTIN_RULES.ioc.uid,
            ruleVersion: null,
            ruleTitle: BUILTIN_RULES.ioc.title,
            title: `IOC match: ${spec.value}`,
            severity: parseSeverity(spec.severity) ?? 'high',
            deviceId: e.device_id,
            groupKey: JSON.stringify([BUILTIN_RULES.ioc.uid, spec.id, e.device_id ?? '']),
            ts: e.ts,
            eventIds: [e.id],
            techniques: [],
            tactics: [],
            details: {
              indicator: { id: spec.id, type: spec.type, value: spec.value, source: spec.source },
              field: hit.field,
              observed: hit.observed,
            },
          },
          e.fields,
        );
      }
    }
    // Correlations whose condition can only be decided once their window has closed.
    if (Number.isFinite(maxTs) && detector.maxTimespanMs > 0) {
      for (const m of detector.engine.advance(maxTs)) this.offerMatch(detector, m, undefined, offer);
    }
    return { candidates, suppressed, iocHits, annotated };
  }

  private offerMatch(
    detector: OrgDetector,
    m: DetectionMatch,
    e: HarrierEvent | undefined,
    offer: (c: AlertCandidate, fields: Readonly<Record<string, unknown>>) => void,
  ): void {
    const rule = detector.rules.get(m.rule_id);
    if (rule === undefined) return;
    this.stats.matches++;
    const base = {
      ruleId: rule.id,
      ruleUid: rule.uid,
      ruleVersion: rule.version,
      ruleTitle: rule.title,
      title: rule.title,
      severity: m.severity,
      techniques: rule.techniques,
      tactics: rule.tactics,
    };
    if (m.kind === 'correlation' && m.correlation !== undefined) {
      const c = m.correlation;
      offer(
        {
          ...base,
          kind: 'correlation',
          deviceId: null,
          groupKey: JSON.stringify([rule.uid, c.group]),
          ts: c.ts,
          eventIds: c.event_ids,
          details: {
            correlation: {
              type: c.type,
              group: c.group,
              count: c.count,
              first_ts: c.first_ts,
              last_ts: c.last_ts,
            },
          },
        },
        { ...(e?.fields ?? {}), ...c.group },
      );
      return;
    }
    if (e === undefined) return;
    offer(
      {
        ...base,
        kind: 'rule',
        deviceId: e.device_id,
        groupKey: alertGroupKey(rule.uid, e, rule.groupBy),
        ts: e.ts,
        eventIds: [e.id],
        details: {},
      },
      e.fields,
    );
  }

  /** Creates or grows the alerts of one run and adds the suppression and IOC counts, in one transaction. */
  private async store(
    orgId: string,
    run: {
      candidates: AlertCandidate[];
      suppressed: Map<string, number>;
      iocHits: Map<string, number>;
      annotated: HarrierEvent[];
    },
  ): Promise<void> {
    const { candidates, suppressed, iocHits, annotated } = run;
    if (candidates.length === 0 && suppressed.size === 0 && iocHits.size === 0) return;
    const now = Date.now();
    const open = new Map<string, OpenAlert>();
    if (candidates.length > 0) {
      let minTs = Number.POSITIVE_INFINITY;
      const pairs = new Map<string, { ruleUid: string; groupKey: string }>();
      for (const c of candidates) {
        if (c.ts < minTs) minTs = c.ts;
        pairs.set(`${c.ruleUid}\u0000${c.groupKey}`, { ruleUid: c.ruleUid, groupKey: c.groupKey });
      }
      // Reads on the query connection; the writes below go through the store's writer.
      const rows = await new AlertsRepository(this.database.db).findOpenForGroups(
        orgId,
        [...pairs.values()],
        minTs - this.grouping.idleMs,
        CLOSED_ALERT_STATUSES,
      );
      for (const row of rows) {
        const key = `${row.rule_uid}\u0000${row.group_key}`;
        if (!pairs.has(key) || open.has(key)) continue;
        open.set(key, openAlertOf(row));
      }
    }
    const created: OpenAlert[] = [];
    for (const c of candidates) {
      const key = `${c.ruleUid}\u0000${c.groupKey}`;
      const cur = open.get(key);
      // A match an alert already holds (its events were delivered again): no second count.
      if (cur !== undefined && cur.row === undefined && c.eventIds.every((id) => cur.stored.has(id)))
        continue;
      if (cur !== undefined && fallsInAlertWindow(cur, c.groupKey, c.ts, this.grouping)) {
        const grown = extendAlertWindow(cur, c.ts);
        cur.first_seen = grown.first_seen;
        cur.last_seen = grown.last_seen;
        cur.count = grown.count;
        cur.eventIds = pushBounded(cur.eventIds, c.eventIds);
        cur.changed = true;
        continue;
      }
      const alert: OpenAlert = {
        id: uuidv7(now),
        group_key: c.groupKey,
        first_seen: c.ts,
        last_seen: c.ts,
        count: 1,
        eventIds: pushBounded([], c.eventIds),
        row: {
          id: '',
          org_id: orgId,
          rule_id: c.ruleId,
          rule_uid: c.ruleUid,
          rule_version: c.ruleVersion,
          rule_title: c.ruleTitle,
          kind: c.kind,
          title: c.title,
          severity: c.severity,
          severity_rank: severityRank(c.severity),
          status: 'open',
          device_id: c.deviceId,
          group_key: c.groupKey,
          first_seen: c.ts,
          last_seen: c.ts,
          count: 1,
          matched_event_ids: '[]',
          mitre_techniques: JSON.stringify(c.techniques),
          mitre_tactics: JSON.stringify(c.tactics),
          details: JSON.stringify(c.details),
          created_at: now,
          updated_at: now,
        },
        changed: true,
        stored: new Set(),
      };
      open.set(key, alert);
      created.push(alert);
    }
    // One job through the store's writer: alerts, suppression counts and IOC hits commit together.
    const db = this.database.db;
    const alerts = new AlertsRepository(db);
    const queries: Compilable[] = alerts.insertQueries(
      created.map((a) => ({
        ...a.row!,
        id: a.id,
        first_seen: a.first_seen,
        last_seen: a.last_seen,
        count: a.count,
        matched_event_ids: JSON.stringify(a.eventIds),
      })),
    );
    let grown = 0;
    for (const a of open.values()) {
      if (a.row !== undefined || !a.changed) continue;
      grown++;
      queries.push(
        alerts.growQuery(orgId, a.id, {
          first_seen: a.first_seen,
          last_seen: a.last_seen,
          count: a.count,
          matched_event_ids: JSON.stringify(a.eventIds),
          updated_at: now,
        }),
      );
    }
    const suppressions = new SuppressionsRepository(db);
    for (const [id, n] of suppressed) queries.push(suppressions.addSuppressedQuery(orgId, id, n, now));
    const iocs = new IocRepository(db);
    for (const [id, n] of iocHits) queries.push(iocs.addHitsQuery(orgId, id, n));
    const events = new DetectionEventsRepository(db);
    for (const e of annotated)
      queries.push(events.annotateQuery(orgId, e.id, e.ts, e.fields, e.severity ?? null));
    await commitThroughWriter(this.database, queries);
    this.stats.alertsUpdated += grown;
    this.stats.alertsCreated += created.length;
    this.domainEvents?.publishAll(alertEventsOf(orgId, open.values(), now));
  }
}

/**
 * Seed 004's annotation of an event an indicator matched: `ioc_match: true` and
 * `ioc_matches: [{id, type, value, severity, source, field}]` in its fields, and its
 * severity raised to the highest indicator's.
 */
export function annotateIocMatches(e: HarrierEvent, hits: readonly IocHit[]): void {
  e.fields.ioc_match = true;
  e.fields.ioc_matches = hits.map((h) => ({
    id: h.indicator.id,
    type: h.indicator.type,
    value: h.indicator.value,
    severity: h.indicator.severity,
    source: h.indicator.source,
    field: h.field,
  }));
  let top = e.severity;
  for (const h of hits) {
    const s = parseSeverity(h.indicator.severity);
    if (s !== undefined && (top === undefined || severityRank(s) > severityRank(top))) top = s;
  }
  if (top !== undefined) e.severity = top;
}

/** Tells the live feed and notifications which alerts this run created or grew. */
function alertEventsOf(orgId: string, alerts: Iterable<OpenAlert>, now: number): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (const a of alerts) {
    if (!a.changed) continue;
    const created = a.row !== undefined;
    out.push({
      type: created ? 'alert.created' : 'alert.updated',
      orgId,
      subjectId: a.id,
      at: now,
      actorId: null,
      data: created
        ? {
            title: a.row!.title,
            severity: a.row!.severity,
            status: 'open',
            ruleUid: a.row!.rule_uid,
            deviceId: a.row!.device_id,
            count: a.count,
          }
        : { count: a.count, lastSeen: a.last_seen },
    });
  }
  return out;
}

function openAlertOf(row: AlertRow): OpenAlert {
  const eventIds = readJson<string[]>(row.matched_event_ids, []);
  return {
    id: row.id,
    group_key: row.group_key,
    first_seen: Number(row.first_seen),
    last_seen: Number(row.last_seen),
    count: row.count,
    eventIds,
    row: undefined,
    changed: false,
    stored: new Set(eventIds),
  };
}

/** A bounded set of ids: the oldest are forgotten first. */
class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }

  add(id: string): void {
    // Two generations: O(1) eviction of the older half instead of per-id bookkeeping.
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
  }
}

/** Seed 001: a Santamon signal was detected on the agent; it becomes an alert as sent. */
function signalCandidate(e: HarrierEvent): AlertCandidate {
  const f = e.fields;
  const ruleUid = typeof f.rule_id === 'string' && f.rule_id !== '' ? f.rule_id : 'santamon:signal';
  const tags = Array.isArray(f.tags) ? f.tags.filter((t): t is string => typeof t === 'string') : [];
  const mitre = mitreFromTags(tags);
  const signalId = typeof f.signal_id === 'string' ? f.signal_id : e.id;
  const title = e.title ?? ruleUid;
  return {
    kind: 'signal',
    ruleId: null,
    ruleUid,
    ruleVersion: null,
    ruleTitle: title,
    title,
    severity: e.severity ?? 'medium',
    deviceId: e.device_id,
    // Each signal is its own alert: the agent already grouped and de-duplicated it.
    groupKey: JSON.stringify(['signal', signalId]),
    ts: e.ts,
    eventIds: [e.id],
    techniques: mitre.techniques,
    tactics: mitre.tactics,
    details: { signal_id: signalId, tags },
  };
}

/** Seed 003: an event of high (configurable) severity raises an alert by itself. */
function promotionCandidate(e: HarrierEvent): AlertCandidate {
  const severity = e.severity!;
  const title = e.title ?? `${severity} severity ${e.source} event`;
  return {
    kind: 'severity',
    ruleId: null,
    ruleUid: BUILTIN_RULES.severity.uid,
    ruleVersion: null,
    ruleTitle: BUILTIN_RULES.severity.title,
    title,
    severity,
    deviceId: e.device_id,
    groupKey: JSON.stringify([BUILTIN_RULES.severity.uid, e.device_id ?? '', title.toLowerCase()]),
    ts: e.ts,
    eventIds: [e.id],
    techniques: [],
    tactics: [],
    details: { source: e.source },
  };
}
