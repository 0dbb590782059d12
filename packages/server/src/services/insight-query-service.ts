import { epochDay } from '@harrier/detect';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import {
  presentInsight,
  presentRiskDay,
  presentTrendPoint,
  riskDetails,
} from '../presenters/insight-presenter.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import type {
  InsightFilter,
  InsightsRepository,
  RiskWithDevice,
} from '../repositories/insights-repository.ts';

const SEVERITIES = ['INFO', 'WARN', 'HIGH'] as const;

/** The name seed 002 knows a device by: its agent's device id (our external id), else the host name. */
export function seedDeviceName(d: { external_id: string | null; hostname: string }): string {
  return d.external_id ?? d.hostname;
}

/** Reads of computed insights and risk, for seed 002's API, the native API and the console. */
export class InsightQueryService {
  private readonly devices: DevicesRepository;

  constructor(
    db: Kysely<Database>,
    private readonly repo: InsightsRepository,
  ) {
    this.devices = new DevicesRepository(db);
  }

  private async trendsOf(orgId: string, deviceIds: string[], now: number) {
    const today = epochDay(now);
    const rows = await this.repo.trends(orgId, deviceIds, today - 30);
    const out = new Map<
      string,
      { trend_7d: ReturnType<typeof presentTrendPoint>[]; trend_30d: ReturnType<typeof presentTrendPoint>[] }
    >();
    for (const id of deviceIds) out.set(id, { trend_7d: [], trend_30d: [] });
    for (const r of rows) {
      const t = out.get(r.device_id)!;
      t.trend_30d.push(presentTrendPoint(r));
      if (Number(r.day) >= today - 7) t.trend_7d.push(presentTrendPoint(r));
    }
    return out;
  }

  /** Insight counts per seed 002 severity (every severity present, zero when none). */
  async severitySummary(
    orgId: string,
    deviceId?: string,
  ): Promise<Record<(typeof SEVERITIES)[number], number>> {
    const counts = await this.repo.countBySeverity(orgId, deviceId);
    return { INFO: counts.INFO ?? 0, WARN: counts.WARN ?? 0, HIGH: counts.HIGH ?? 0 };
  }

  /**
   * Seed 002's `GET /v1/metrics`: the latest day of each device, riskiest first, with drivers,
   * anomalies and 7/30-day trends. `total` counts the organization's computed device-days, as
   * the seed does. `deviceName` is the seed's device id.
   */
  async seedMetrics(
    org: { id: string; slug: string },
    q: { deviceName?: string | undefined; page: number; pageSize: number },
    now: number,
  ) {
    let deviceId: string | undefined;
    if (q.deviceName !== undefined) {
      const device = await this.devices.findByExternalId(org.id, q.deviceName);
      if (!device) {
        const alerts_summary = { INFO: 0, WARN: 0, HIGH: 0 };
        return { org_id: org.slug, page: q.page, page_size: q.pageSize, total: 0, items: [], alerts_summary };
      }
      deviceId = device.id;
    }
    const rows = await this.repo.latestRisks(org.id, {
      deviceId,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const trends = await this.trendsOf(
      org.id,
      rows.map((r) => r.device_id),
      now,
    );
    return {
      org_id: org.slug,
      page: q.page,
      page_size: q.pageSize,
      total: await this.repo.countRiskRows(org.id, deviceId),
      items: rows.map((r) => {
        const { drivers, brief } = riskDetails(r);
        return {
          org_id: org.slug,
          device_id: seedDeviceName(r),
          day: presentTrendPoint(r).day,
          risk_score: Number(r.risk_score),
          delta_vs_7d: r.delta_vs_7d,
          top_driver: r.top_driver,
          drivers: drivers.slice(0, 3),
          anomalies: (brief?.anomalies ?? []).slice(0, 4).map(String),
          ...trends.get(r.device_id)!,
        };
      }),
      alerts_summary: await this.severitySummary(org.id, deviceId),
    };
  }

  /** Seed 002's `GET /v1/fleet/top`: the latest metrics of the riskiest devices. */
  async seedFleetTop(org: { id: string; slug: string }, limit: number) {
    const rows = await this.repo.latestRisks(org.id, { limit, offset: 0 });
    return {
      org_id: org.slug,
      items: rows.map((r) => ({
        org_id: org.slug,
        device_id: seedDeviceName(r),
        platform: r.platform,
        day: presentTrendPoint(r).day,
        risk_score: Number(r.risk_score),
        delta_vs_7d: r.delta_vs_7d,
        top_driver: r.top_driver,
        failed_logins: Number(r.failed_logins),
        new_listeners: Number(r.new_listeners),
        new_processes: Number(r.new_processes),
        suspicious_execs: Number(r.suspicious_execs),
      })),
    };
  }

  private presentFleetRow(r: RiskWithDevice, trend: { trend_7d: unknown[]; trend_30d: unknown[] }) {
    return {
      device_id: r.device_id,
      hostname: r.hostname,
      platform: r.platform,
      ...presentRiskDay(r),
      ...trend,
    };
  }

  /** The console's fleet brief and ranking: the latest day of the riskiest devices with their trends. */
  async fleet(orgId: string, limit: number, now: number) {
    const rows = await this.repo.latestRisks(orgId, { limit, offset: 0 });
    const trends = await this.trendsOf(
      orgId,
      rows.map((r) => r.device_id),
      now,
    );
    return {
      items: rows.map((r) => this.presentFleetRow(r, trends.get(r.device_id)!)),
      summary: await this.severitySummary(orgId),
    };
  }

  /** A device's risk: the latest day in full, the daily trend over `days`, and its recent insights. */
  async deviceRisk(orgId: string, deviceId: string, days: number, now: number) {
    const device = await this.devices.findById(deviceId);
    if (!device || device.org_id !== orgId) throw notFound('device_not_found', 'No such device.');
    const rows = await this.repo.deviceRisks(orgId, deviceId, epochDay(now) - days);
    const latest = rows.at(-1);
    const insights = await this.repo.listInsights({ orgId, deviceId }, { limit: 100 });
    return {
      device: { id: device.id, hostname: device.hostname, platform: device.platform },
      latest: latest ? presentRiskDay(latest) : null,
      trend: rows.map(presentTrendPoint),
      insights: insights.map((i) => presentInsight(i, device)),
      summary: await this.severitySummary(orgId, deviceId),
    };
  }

  /** Insights with filters, newest first, cursor-paginated, with the total matching. */
  async list(filter: InsightFilter, cursor: string | undefined, limit: number) {
    const rows = await this.repo.listInsights(filter, { beforeId: decodeCursor(cursor), limit: limit + 1 });
    const hosts = new Map<string, { hostname: string }>();
    for (const id of new Set(rows.map((r) => r.device_id))) {
      const d = await this.devices.findById(id);
      if (d && d.org_id === filter.orgId) hosts.set(id, d);
    }
    return {
      ...page(rows, limit, (r) => presentInsight(r, hosts.get(r.device_id))),
      total: await this.repo.countInsights(filter),
    };
  }
}
