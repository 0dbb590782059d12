import type { PostureRepository } from '../repositories/posture-repository.ts';
import {
  anomalyLevel,
  EVENT_CLASSES,
  eventClass,
  hostSecurityScore,
  median,
  pctOf,
  postureScore,
  resourceThreatLevel,
  threatCategory,
  threatLevelFromRank,
  underPressure,
} from './posture-formulas.ts';

const HOUR = 3600_000;
/** "Active" means a real heartbeat in the last 5 minutes (seed 000 inferred it from system_info rows). */
export const ACTIVE_WINDOW_MS = 5 * 60_000;
/** The timeline: the last 3 hours in 15-minute buckets. */
export const TIMELINE_BUCKET_MS = 15 * 60_000;
export const TIMELINE_BUCKETS = 12;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Posture metrics of one organization (seed 000's `/api/metrics/*`, from real data). */
export class PostureService {
  constructor(
    private readonly repo: PostureRepository,
    private readonly offlineAfterSeconds: number,
  ) {}

  /** Events stored with a timestamp in the last 24 hours. */
  async securityEvents24h(orgId: string, now = Date.now()) {
    return { value: await this.repo.eventsSince(orgId, now - 24 * HOUR, now) };
  }

  /** 1–5 from the most severe open alert seen in the last 24 hours. */
  async currentThreatLevel(orgId: string, now = Date.now()) {
    const open = (await this.repo.openAlerts(orgId)).filter((a) => a.last_seen >= now - 24 * HOUR);
    return { value: threatLevelFromRank(Math.max(-1, ...open.map((a) => a.severity_rank))) };
  }

  private async devices(orgId: string, now: number) {
    const live = await this.repo.liveDevices(orgId);
    const online = live.filter(
      (d) => d.last_heartbeat_at !== null && now - d.last_heartbeat_at <= this.offlineAfterSeconds * 1000,
    );
    return { live, online };
  }

  /** 0–100 (see `postureScore`). */
  async securityPostureScore(orgId: string, now = Date.now()) {
    const [open, { live, online }] = await Promise.all([
      this.repo.openAlerts(orgId),
      this.devices(orgId, now),
    ]);
    const pressured = online.filter((d) =>
      underPressure(
        d.cpu_pct ?? 0,
        pctOf(d.mem_used_bytes, d.mem_total_bytes),
        pctOf(d.disk_used_bytes, d.disk_total_bytes),
      ),
    ).length;
    return {
      value: postureScore({
        openAlertRanks: open.map((a) => a.severity_rank),
        liveDevices: live.length,
        onlineDevices: online.length,
        onlineUnderPressure: pressured,
      }),
    };
  }

  /** Live devices with a heartbeat in the last 5 minutes. */
  async activeAgents(orgId: string, now = Date.now()) {
    const { live } = await this.devices(orgId, now);
    return {
      value: live.filter((d) => d.last_heartbeat_at !== null && d.last_heartbeat_at >= now - ACTIVE_WINDOW_MS)
        .length,
    };
  }

  /**
   * The last 3 hours in 15-minute buckets: threat level of the alerts seen in
   * the bucket, security index 0–5 (share of live devices that sent a heartbeat
   * in it, ×5), anomaly level of its event count against the window's median.
   */
  async threatTimeline(orgId: string, now = Date.now()) {
    const end = Math.floor(now / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS + TIMELINE_BUCKET_MS;
    const start = end - TIMELINE_BUCKETS * TIMELINE_BUCKET_MS;
    const [events, alerts, beats, { live }] = await Promise.all([
      this.repo.eventsPerBucket(orgId, start, end, TIMELINE_BUCKET_MS),
      this.repo.alertRankPerBucket(orgId, start, end, TIMELINE_BUCKET_MS),
      this.repo.heartbeatDevicesPerBucket(orgId, start, end, TIMELINE_BUCKET_MS),
      this.devices(orgId, now),
    ]);
    const at = <T extends { b: number }>(rows: T[], i: number) => rows.find((r) => Number(r.b) === i);
    const counts = Array.from({ length: TIMELINE_BUCKETS }, (_, i) => Number(at(events, i)?.n ?? 0));
    const m = median(counts);
    return {
      series: counts.map((count, i) => {
        const rank = at(alerts, i)?.rank;
        const beating = Number(at(beats, i)?.n ?? 0);
        return {
          time: new Date(start + i * TIMELINE_BUCKET_MS).toISOString(),
          threat_level: threatLevelFromRank(rank === undefined || rank === null ? -1 : Number(rank)),
          security_index: live.length > 0 ? round2((5 * Math.min(beating, live.length)) / live.length) : 0,
          anomaly_level: anomalyLevel(count, m),
          events: count,
        };
      }),
    };
  }

  /** Events of the last hour in seed 000's five classes (counts, as floats like the seed). */
  async eventClassification(orgId: string, now = Date.now()) {
    const rows = await this.repo.eventsByCategory(orgId, now - HOUR, now);
    const totals = new Map(EVENT_CLASSES.map((c) => [c, 0]));
    for (const r of rows) {
      const c = eventClass(r.category, r.source);
      totals.set(c, (totals.get(c) ?? 0) + Number(r.n));
    }
    return { items: EVENT_CLASSES.map((event_type) => ({ event_type, count: totals.get(event_type) ?? 0 })) };
  }

  /**
   * One row per live device with a heartbeat (the 15 most recent; seed 000 listed
   * raw rows, so a chatty host filled the table): resource figures of its latest
   * heartbeat, risk level = the higher of the resource level and its open alerts' level.
   */
  async securityAssessment(orgId: string, now = Date.now()) {
    const [open, { live }] = await Promise.all([this.repo.openAlerts(orgId), this.devices(orgId, now)]);
    const maxRank = new Map<string, number>();
    for (const a of open)
      if (a.device_id) maxRank.set(a.device_id, Math.max(maxRank.get(a.device_id) ?? -1, a.severity_rank));
    const rows = live
      .filter((d) => d.ts !== null)
      .sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0))
      .slice(0, 15)
      .map((d) => {
        const cpu = d.cpu_pct ?? 0;
        const mem = pctOf(d.mem_used_bytes, d.mem_total_bytes);
        const disk = pctOf(d.disk_used_bytes, d.disk_total_bytes);
        const rank = maxRank.get(d.device_id) ?? -1;
        return {
          last_seen: new Date(d.ts ?? 0).toISOString(),
          endpoint: d.hostname,
          agent_id: d.device_id,
          risk_level: Math.max(resourceThreatLevel(cpu, mem), threatLevelFromRank(rank)),
          security_score: hostSecurityScore(cpu, mem / 100, disk),
          cpu: round2(cpu),
          memory: round2(mem),
          disk: round2(disk),
          threat_category: threatCategory({
            maxOpenRank: rank,
            cpu,
            memPct: mem,
            diskPct: disk,
            uptimeS: d.uptime_s,
          }),
          ts: d.ts ?? 0,
        };
      })
      .sort((a, b) => b.risk_level - a.risk_level || b.ts - a.ts)
      .map(({ ts: _ts, ...row }) => row);
    return { rows };
  }
}
