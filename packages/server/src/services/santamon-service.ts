import {
  type HarrierEvent,
  normalizeSantamonSignal,
  parseInstant,
  SANTAMON_MAX_CONTEXT_SIZE,
  type SantamonHeartbeatData,
  type SantamonSignalData,
  santamonContextSize,
  uuidv7,
} from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { HarrierError, notFound, payloadTooLarge } from '../errors.ts';
import type { AgentKey } from '../repositories/agent-keys-repository.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import { HeartbeatsRepository } from '../repositories/heartbeats-repository.ts';
import { type Signal, SignalsRepository } from '../repositories/signals-repository.ts';
import type { AgentKeyService } from './agent-key-service.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { eventToRow } from './event-rows.ts';
import { submitWrite } from './submit-write.ts';

/** Santamon reports `received_at` as naive UTC ISO text (no `Z`). */
export function naiveUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}

/** The Santamon signal as seed 001's `GET /signals` returns it. */
export function presentSignal(s: Signal) {
  return {
    signal_id: s.signal_id,
    ts: s.ts_text,
    host_id: s.host_id,
    rule_id: s.rule_id,
    rule_description: s.rule_description,
    status: s.status,
    severity: s.severity,
    title: s.title,
    tags: typeof s.tags === 'string' ? (JSON.parse(s.tags) as unknown) : s.tags,
    context: typeof s.context === 'string' ? (JSON.parse(s.context) as unknown) : s.context,
    received_at: naiveUtc(s.received_at),
  };
}

/**
 * Seed 001 (Santamon): signals detected on the agent, stored as sent and
 * de-duplicated by `signal_id`; heartbeats; the read routes scoped to the
 * key's organization (and device, for a device-bound key).
 */
export class SantamonService {
  private readonly signals: SignalsRepository;
  private readonly heartbeatsRepo: HeartbeatsRepository;
  private readonly devices: DevicesRepository;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly agentKeys: AgentKeyService,
    private readonly pipeline: EventPipeline,
  ) {
    this.signals = new SignalsRepository(database.db);
    this.heartbeatsRepo = new HeartbeatsRepository(database.db);
    this.devices = new DevicesRepository(database.db);
  }

  private async deviceFor(key: AgentKey, host: string) {
    if (key.device_id) {
      const bound = await this.devices.findById(key.device_id);
      if (bound) return bound;
    }
    return this.agentKeys.deviceForHost(key.org_id, host, { platform: 'macos' });
  }

  /** `contextCanonical`: the context's canonical text as parsed from the body, for Python's exact size. */
  async ingestSignal(
    key: AgentKey,
    signal: SantamonSignalData,
    receivedAt: number,
    contextCanonical?: string,
  ) {
    if (santamonContextSize(signal.context, contextCanonical) > SANTAMON_MAX_CONTEXT_SIZE) {
      throw payloadTooLarge('context_too_large', 'Context too large');
    }
    // Seed 001 stored `ts` as free text and compared it as text; we parse it.
    const ts = parseInstant(signal.ts);
    if (ts === undefined) {
      throw new HarrierError(422, 'invalid_timestamp', 'ts must be an RFC 3339 timestamp', [
        {
          type: 'datetime_parsing',
          loc: ['body', 'ts'],
          msg: 'ts must be an RFC 3339 timestamp',
          input: signal.ts,
        },
      ]);
    }
    const device = await this.deviceFor(key, signal.host_id);
    const normalized = normalizeSantamonSignal(signal, receivedAt);
    const event: HarrierEvent = {
      ...normalized,
      id: uuidv7(receivedAt),
      org_id: device.org_id,
      device_id: device.id,
      received_at: receivedAt,
    };
    this.pipeline.admit();
    const outbox = this.pipeline.outbox([event]);
    const outcome = await submitWrite(this.database.writer, {
      kind: 'signal',
      outbox,
      row: {
        id: uuidv7(receivedAt),
        org_id: device.org_id,
        device_id: device.id,
        signal_id: signal.signal_id,
        ts,
        ts_text: signal.ts,
        host_id: signal.host_id,
        rule_id: signal.rule_id,
        rule_description: signal.rule_description,
        status: signal.status,
        severity: signal.severity,
        title: signal.title,
        tags: JSON.stringify(signal.tags),
        context: JSON.stringify(signal.context),
        received_at: receivedAt,
        updated_at: receivedAt,
      },
      event: eventToRow(event, null),
      deviceSeen: { deviceId: device.id, at: receivedAt },
    });
    const duplicate = outcome.status === 'ok' && outcome.duplicate;
    if (!duplicate) await this.pipeline.publish([event], outbox);
    return { status: 'ok', id: signal.signal_id, duplicate };
  }

  async heartbeat(key: AgentKey, hb: SantamonHeartbeatData, receivedAt: number) {
    const device = await this.deviceFor(key, hb.agent_id);
    const ts = parseInstant(hb.timestamp) ?? receivedAt;
    await submitWrite(this.database.writer, {
      kind: 'heartbeat',
      row: {
        id: uuidv7(receivedAt),
        org_id: device.org_id,
        device_id: device.id,
        ts,
        received_at: receivedAt,
        reported_ts: hb.timestamp,
        agent_version: hb.version,
        os_version: hb.os_version,
        uptime_s: hb.uptime_seconds !== null && Number.isFinite(hb.uptime_seconds) ? hb.uptime_seconds : null,
        cpu_pct: null,
        mem_used_bytes: null,
        mem_total_bytes: null,
        disk_used_bytes: null,
        disk_total_bytes: null,
        data: JSON.stringify(hb),
      },
      device: {
        id: device.id,
        agentVersion: hb.version,
        osName: 'macOS',
        osVersion: hb.os_version,
        platform: 'macos',
      },
    });
    return { status: 'ok', agent_id: hb.agent_id };
  }

  async listSignals(
    key: AgentKey,
    q: {
      since?: number;
      severity?: string;
      host_id?: string;
      status?: string;
      search?: string;
      limit: number;
    },
  ) {
    const rows = await this.signals.list({
      orgId: key.org_id,
      deviceId: key.device_id ?? undefined,
      since: q.since,
      severity: q.severity,
      hostId: q.host_id,
      status: q.status === 'all' ? undefined : q.status,
      search: q.search?.trim() || undefined,
      limit: q.limit,
    });
    return { count: rows.length, signals: rows.map(presentSignal) };
  }

  async setStatus(key: AgentKey, signalId: string, status: string, at: number) {
    const existing = await this.signals.findBySignalId(key.org_id, signalId);
    if (!existing || (key.device_id && existing.device_id !== key.device_id)) {
      throw notFound('signal_not_found', 'Signal not found');
    }
    await this.signals.updateStatus(key.org_id, signalId, status, at);
    return { signal_id: signalId, status };
  }

  async listAgents(key: AgentKey, since: number, limit: number) {
    const rows = await this.heartbeatsRepo.latestPerDevice(
      key.org_id,
      since,
      limit,
      key.device_id ?? undefined,
    );
    return {
      count: rows.length,
      heartbeats: rows.map((r) => ({
        agent_id: r.agent_id,
        timestamp: r.reported_ts,
        version: r.agent_version,
        os_version: r.os_version,
        uptime_seconds: r.uptime_s,
        received_at: naiveUtc(r.received_at),
      })),
    };
  }

  async stats(key: AgentKey, now: number) {
    const s = await this.signals.stats(key.org_id, now - 86_400_000, key.device_id ?? undefined);
    return {
      total_signals: s.total,
      last_24h: s.last24h,
      by_severity: Object.fromEntries(s.bySeverity),
      by_host: Object.fromEntries(s.byHost),
      top_rules: s.topRules,
    };
  }
}
