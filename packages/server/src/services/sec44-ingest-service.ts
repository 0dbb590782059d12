import {
  checkSec44Signature,
  type HarrierEvent,
  normalizeSec44Event,
  parseSec44IngestRequest,
  SEC44_MAX_PAYLOAD_BYTES,
  SEC44_REPLAY_WINDOW_SECONDS,
  SEC44_TIMESTAMP_SKEW_SECONDS,
  uuidv7,
} from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { HarrierError } from '../errors.ts';
import type { HarrierMetrics } from '../metrics.ts';
import { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import type { AgentKeyService } from './agent-key-service.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { eventToRow } from './event-rows.ts';
import { FixedWindowLimiter } from './fixed-window-limiter.ts';
import { submitWrite } from './submit-write.ts';

const HEADERS = ['x-em-org', 'x-em-device', 'x-em-timestamp', 'x-em-nonce', 'x-em-signature'] as const;
const HEADER_NAMES: Record<(typeof HEADERS)[number], string> = {
  'x-em-org': 'X-EM-Org',
  'x-em-device': 'X-EM-Device',
  'x-em-timestamp': 'X-EM-Timestamp',
  'x-em-nonce': 'X-EM-Nonce',
  'x-em-signature': 'X-EM-Signature',
};

/**
 * Seed 002's signed batch ingest (`POST /ingest` with `X-EM-*` headers), in
 * its order of checks and with its messages, minus its weaknesses: a body that
 * is not JSON is a 400 (not a 500), and the rate limit counts only requests
 * whose signature verified.
 */
export class Sec44IngestService {
  private readonly orgs: OrganizationsRepository;
  private readonly limiter = new FixedWindowLimiter(60_000);

  constructor(
    private readonly database: HarrierDatabase,
    private readonly agentKeys: AgentKeyService,
    private readonly pipeline: EventPipeline,
    private readonly metrics: HarrierMetrics,
  ) {
    this.orgs = new OrganizationsRepository(database.db);
  }

  private refuse(
    status: number,
    reason: string,
    message: string,
    headers?: Record<string, string>,
  ): HarrierError {
    this.metrics.ingestRequests.inc({ route: 'sec44', outcome: reason });
    return new HarrierError(status, reason, message, undefined, headers);
  }

  async ingest(headers: Record<string, string | string[] | undefined>, body: Buffer, now: number) {
    const h: Partial<Record<(typeof HEADERS)[number], string>> = {};
    for (const name of HEADERS) {
      const v = headers[name];
      const value = Array.isArray(v) ? v[0] : v;
      if (!value) throw this.refuse(400, 'missing_header', `missing required header: ${HEADER_NAMES[name]}`);
      h[name] = value;
    }
    const org = h['x-em-org']!.length <= 256 ? await this.orgs.findBySlug(h['x-em-org']!) : undefined;
    if (!org) throw this.refuse(401, 'unknown_org', 'unknown or inactive org');
    if (body.length === 0) throw this.refuse(400, 'empty_body', 'empty request body');
    if (body.length > SEC44_MAX_PAYLOAD_BYTES)
      throw this.refuse(413, 'payload_too_large', 'payload too large');

    const keys = await this.agentKeys.sec44Keys(org.id);
    if (keys.length === 0) throw this.refuse(401, 'missing_signing_key', 'org signing key not configured');
    let verified: { value: unknown } | undefined;
    let failure: { code: string; message: string } | undefined;
    for (const { key } of keys) {
      const check = checkSec44Signature(key, body, h['x-em-signature']);
      if (check.ok) {
        verified = check;
        break;
      }
      failure = check;
      if (check.code !== 'invalid_signature') break;
    }
    if (!verified) {
      if (failure?.code === 'invalid_json')
        throw this.refuse(400, 'invalid_json', 'request body is not valid JSON');
      throw this.refuse(401, failure?.code ?? 'invalid_signature', failure?.message ?? 'invalid signature');
    }

    const tsText = h['x-em-timestamp']!;
    if (!/^-?\d{1,15}$/.test(tsText.trim()))
      throw this.refuse(400, 'invalid_timestamp', 'invalid timestamp header');
    const headerTs = Number(tsText.trim());
    if (Math.abs(headerTs - now / 1000) > SEC44_TIMESTAMP_SKEW_SECONDS) {
      throw this.refuse(401, 'timestamp_skew', 'request timestamp outside allowed window');
    }
    const retryAfter = this.limiter.take(org.id, org.ingest_rate_limit_per_minute, now);
    if (retryAfter > 0) {
      throw this.refuse(429, 'rate_limit', 'rate limit exceeded', { 'retry-after': String(retryAfter) });
    }

    const parsed = parseSec44IngestRequest(verified.value, now);
    if (!parsed.ok) throw this.refuse(422, 'invalid_schema', 'invalid payload schema');
    const batch = parsed.value;
    if (batch.org_id !== h['x-em-org']) throw this.refuse(400, 'org_mismatch', 'org header/body mismatch');
    if (batch.device_id !== h['x-em-device'])
      throw this.refuse(400, 'device_mismatch', 'device header/body mismatch');
    if (batch.nonce !== h['x-em-nonce'])
      throw this.refuse(400, 'nonce_mismatch', 'nonce header/body mismatch');
    if (Math.abs(headerTs * 1000 - batch.sent_at) > SEC44_REPLAY_WINDOW_SECONDS * 1000) {
      throw this.refuse(401, 'timestamp_skew', 'sent_at outside allowed replay window');
    }

    const platform = batch.events[0]?.platform ?? null;
    const device = await this.agentKeys.deviceForHost(org.id, batch.device_id, {
      platform,
      agent_version: batch.agent_version,
    });
    const events: HarrierEvent[] = batch.events.map((e) => ({
      ...normalizeSec44Event(e),
      id: uuidv7(now),
      org_id: org.id,
      device_id: device.id,
      received_at: now,
    }));
    this.pipeline.admit();
    const outbox = this.pipeline.outbox(events);
    const outcome = await submitWrite(this.database.writer, {
      kind: 'events',
      outbox,
      nonce: {
        scope: `sec44:${org.id}:${batch.device_id}`,
        nonce: batch.nonce,
        expiresAt: (headerTs + SEC44_REPLAY_WINDOW_SECONDS) * 1000 + 1000,
      },
      events: events.map((e) => eventToRow(e, null)),
      deviceSeen: { deviceId: device.id, at: now },
    });
    if (outcome.status === 'replay') throw this.refuse(409, 'replay_nonce', 'replay nonce rejected');
    await this.pipeline.publish(events, outbox);
    this.metrics.ingestRequests.inc({ route: 'sec44', outcome: 'accepted' });
    this.metrics.ingestEvents.inc({ route: 'sec44', outcome: 'accepted' }, events.length);
    return { accepted: events.length, rejected: 0, server_time: new Date(now).toISOString() };
  }
}
