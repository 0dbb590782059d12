/**
 * Seed 002 (sec44) signed ingest: constants (CONTRACTS.md §2.2) and the payload schema
 * (§2.3, every model `extra="forbid"`). Validation order follows pydantic: types and lengths
 * on the raw strings first (code points), then sanitization, which must leave the
 * sanitized fields non-empty.
 */
import { type Static, Type } from '@sinclair/typebox';
import { sanitizeJsonObject, sanitizeText } from '../sanitize.ts';
import { parseInstant } from '../timestamps.ts';
import {
  CodePointString,
  Instant,
  type ValidationIssue,
  type ValidationResult,
  validate,
} from '../validate.ts';

export const SEC44_MAX_EVENTS_PER_BATCH = 200;
export const SEC44_MAX_PAYLOAD_BYTES = 512 * 1024;
export const SEC44_MAX_STRING_LEN = 4096;
export const SEC44_REPLAY_WINDOW_SECONDS = 300;
export const SEC44_TIMESTAMP_SKEW_SECONDS = 300;
export const SEC44_NONCE_MIN_LENGTH = 16;
export const SEC44_NONCE_MAX_LENGTH = 128;

/** Request headers of a sec44 ingest (lower case, as Node presents them). */
export const SEC44_HEADERS = {
  org: 'x-em-org',
  device: 'x-em-device',
  timestamp: 'x-em-timestamp',
  nonce: 'x-em-nonce',
  signature: 'x-em-signature',
} as const;

export const SEC44_SOURCES = ['process', 'auth', 'network', 'filewatch', 'system'] as const;
export type Sec44Source = (typeof SEC44_SOURCES)[number];
export const SEC44_SEVERITIES = ['INFO', 'WARN', 'HIGH'] as const;
export type Sec44Severity = (typeof SEC44_SEVERITIES)[number];
export const SEC44_PLATFORMS = ['macos', 'windows'] as const;
export type Sec44Platform = (typeof SEC44_PLATFORMS)[number];

/** One event of a sec44 batch (`EventEnvelope`). */
export const Sec44EventEnvelope = Type.Object(
  {
    ts: Type.Optional(Instant({ description: 'defaults to the time of receipt' })),
    source: Type.Union(SEC44_SOURCES.map((s) => Type.Literal(s))),
    severity: Type.Union(SEC44_SEVERITIES.map((s) => Type.Literal(s))),
    platform: Type.Union(SEC44_PLATFORMS.map((s) => Type.Literal(s))),
    title: CodePointString({ minLength: 1, maxLength: SEC44_MAX_STRING_LEN }),
    details_json: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { default: {} })),
  },
  { additionalProperties: false },
);
export type Sec44EventEnvelope = Static<typeof Sec44EventEnvelope>;

/** The body of `POST /ingest` with `X-EM-*` headers (`IngestRequest`). */
export const Sec44IngestRequest = Type.Object(
  {
    org_id: CodePointString({ minLength: 1, maxLength: 256 }),
    device_id: CodePointString({ minLength: 1, maxLength: 256 }),
    agent_version: CodePointString({ minLength: 1, maxLength: 64 }),
    sent_at: Type.Optional(Instant({ description: 'defaults to the time of receipt' })),
    nonce: CodePointString({ minLength: SEC44_NONCE_MIN_LENGTH, maxLength: SEC44_NONCE_MAX_LENGTH }),
    events: Type.Array(Sec44EventEnvelope, { minItems: 1, maxItems: SEC44_MAX_EVENTS_PER_BATCH }),
  },
  { additionalProperties: false },
);
export type Sec44IngestRequest = Static<typeof Sec44IngestRequest>;

/** The response of a successful ingest (`IngestResponse`). */
export const Sec44IngestResponse = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 }),
    server_time: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Sec44IngestResponse = Static<typeof Sec44IngestResponse>;

/** A validated, sanitized event with its time parsed (epoch ms UTC). */
export interface Sec44Event {
  ts: number;
  source: Sec44Source;
  severity: Sec44Severity;
  platform: Sec44Platform;
  title: string;
  details_json: Record<string, unknown>;
}

/** A validated, sanitized batch, as sec44's `IngestRequest` model holds it. */
export interface Sec44Batch {
  org_id: string;
  device_id: string;
  agent_version: string;
  /** Epoch ms UTC. */
  sent_at: number;
  nonce: string;
  events: Sec44Event[];
}

/**
 * Validates a parsed sec44 body and returns it sanitized, with `ts`/`sent_at` parsed (absent
 * ones default to `now`), or the list of problems. sec44 answers any problem with 422
 * `{"detail":"invalid payload schema"}` and no details; the issues are for logs and tests.
 */
export function parseSec44IngestRequest(
  value: unknown,
  now: number = Date.now(),
): ValidationResult<Sec44Batch> {
  const result = validate(Sec44IngestRequest, value);
  if (!result.ok) return result;
  const v = result.value;
  const errors: ValidationIssue[] = [];
  const clean = (text: string, path: string): string => {
    const out = sanitizeText(text);
    if (out === '') errors.push({ path, message: 'field cannot be empty after sanitization' });
    return out;
  };
  const batch: Sec44Batch = {
    org_id: clean(v.org_id, '/org_id'),
    device_id: clean(v.device_id, '/device_id'),
    agent_version: clean(v.agent_version, '/agent_version'),
    sent_at: v.sent_at === undefined ? now : parseInstant(v.sent_at)!,
    nonce: clean(v.nonce, '/nonce'),
    events: v.events.map((e, i) => ({
      ts: e.ts === undefined ? now : parseInstant(e.ts)!,
      source: e.source,
      severity: e.severity,
      platform: e.platform,
      title: clean(e.title, `/events/${i}/title`),
      details_json: e.details_json === undefined ? {} : sanitizeJsonObject(e.details_json)!,
    })),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: batch };
}
