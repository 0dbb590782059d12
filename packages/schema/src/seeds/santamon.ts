/**
 * Seed 001 (Santamon) payloads exactly as its pydantic models accept them (CONTRACTS.md §1.3):
 * `POST /ingest` signals and `POST /agents/heartbeat` heartbeats. Extra fields are ignored,
 * as pydantic's default does; lengths count code points, as Python does.
 */
import { type Static, Type } from '@sinclair/typebox';
import { pythonAsciiString, pythonFloatRepr } from '../python-canonical-json.ts';
import { CodePointString, type ValidationResult, validate } from '../validate.ts';

/** Santamon's severities (case-sensitive; the README's `info` is rejected by the code). */
export const SANTAMON_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type SantamonSeverity = (typeof SANTAMON_SEVERITIES)[number];

/** Santamon's signal statuses. */
export const SANTAMON_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type SantamonStatus = (typeof SANTAMON_STATUSES)[number];

/** `len(json.dumps(context))` above this gives 413 `{"detail":"Context too large"}`. */
export const SANTAMON_MAX_CONTEXT_SIZE = 100_000;
/** Santamon refuses to start with a shorter API key. */
export const SANTAMON_MIN_API_KEY_LENGTH = 16;

/** A Santamon signal as posted to `POST /ingest` (schema for validation and OpenAPI). */
export const SantamonSignal = Type.Object(
  {
    signal_id: CodePointString({ maxLength: 256 }),
    ts: CodePointString({ maxLength: 64, description: 'free text; not parsed by Santamon' }),
    host_id: CodePointString({ maxLength: 255 }),
    rule_id: CodePointString({ maxLength: 64 }),
    rule_description: Type.Optional(Type.Union([CodePointString({ maxLength: 2000 }), Type.Null()])),
    status: Type.Optional(
      Type.Union(
        SANTAMON_STATUSES.map((s) => Type.Literal(s)),
        { default: 'open' },
      ),
    ),
    severity: Type.Union(SANTAMON_SEVERITIES.map((s) => Type.Literal(s))),
    title: CodePointString({ maxLength: 512 }),
    tags: Type.Optional(Type.Array(CodePointString({ maxLength: 64 }), { maxItems: 50, default: [] })),
    context: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true },
);
export type SantamonSignal = Static<typeof SantamonSignal>;

/** A validated signal with pydantic's defaults applied and extra fields dropped. */
export interface SantamonSignalData {
  signal_id: string;
  ts: string;
  host_id: string;
  rule_id: string;
  rule_description: string | null;
  status: SantamonStatus;
  severity: SantamonSeverity;
  title: string;
  tags: string[];
  context: Record<string, unknown>;
}

/**
 * Strings pydantic's lax float parsing accepts (checked against pydantic 2.13): Python float
 * syntax with surrounding whitespace, single underscores between digits, `inf`/`infinity`/`nan`
 * in any case.
 */
const NUMERIC_STRING =
  /^\s*[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])\s*$/;

/** Converts an accepted uptime value to a number, as pydantic's float coercion does. */
function coerceFloat(value: number | string | boolean | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = value.trim().replaceAll('_', '').toLowerCase();
  const unsigned = text.replace(/^[+-]/, '');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') {
    return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return Number(text);
}

/** A Santamon heartbeat as posted to `POST /agents/heartbeat`. */
export const SantamonHeartbeat = Type.Object(
  {
    agent_id: CodePointString({ maxLength: 255 }),
    timestamp: CodePointString({ maxLength: 64, description: 'free text; not parsed by Santamon' }),
    version: CodePointString({ maxLength: 32 }),
    os_version: CodePointString({ maxLength: 32 }),
    uptime_seconds: Type.Optional(
      Type.Union(
        [Type.Number(), Type.String({ pattern: NUMERIC_STRING.source }), Type.Boolean(), Type.Null()],
        {
          description: 'seconds; a numeric string (or a boolean) is coerced to a number',
        },
      ),
    ),
  },
  { additionalProperties: true },
);
export type SantamonHeartbeat = Static<typeof SantamonHeartbeat>;

/** A validated heartbeat with `uptime_seconds` coerced to a number (or null). */
export interface SantamonHeartbeatData {
  agent_id: string;
  timestamp: string;
  version: string;
  os_version: string;
  uptime_seconds: number | null;
}

/**
 * Validates a signal body and applies pydantic's defaults (`status: 'open'`, `tags: []`,
 * `rule_description: null`); unknown keys are dropped. The context size limit is separate
 * ({@link santamonContextSize}) because Santamon checks it after validation (413, not 422).
 */
export function parseSantamonSignal(value: unknown): ValidationResult<SantamonSignalData> {
  const result = validate(SantamonSignal, value);
  if (!result.ok) return result;
  const v = result.value;
  return {
    ok: true,
    value: {
      signal_id: v.signal_id,
      ts: v.ts,
      host_id: v.host_id,
      rule_id: v.rule_id,
      rule_description: v.rule_description ?? null,
      status: v.status ?? 'open',
      severity: v.severity,
      title: v.title,
      tags: v.tags ?? [],
      context: v.context,
    },
  };
}

/** Validates a heartbeat body, coercing a numeric-string `uptime_seconds`; unknown keys are dropped. */
export function parseSantamonHeartbeat(value: unknown): ValidationResult<SantamonHeartbeatData> {
  const result = validate(SantamonHeartbeat, value);
  if (!result.ok) return result;
  const v = result.value;
  return {
    ok: true,
    value: {
      agent_id: v.agent_id,
      timestamp: v.timestamp,
      version: v.version,
      os_version: v.os_version,
      uptime_seconds: coerceFloat(v.uptime_seconds),
    },
  };
}

/**
 * Length of a compact canonical JSON text once re-printed with Python's default separators
 * (`", "` and `": "`): one extra character per structural `,` and `:`. Key order does not
 * change the length, so this is `len(json.dumps(value))` for the value the text encodes.
 */
export function pythonDumpsLength(canonical: string): number {
  let extra = 0;
  const n = canonical.length;
  for (let i = 0; i < n; i++) {
    const c = canonical.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string; the canonical form escapes only with backslashes.
      for (i++; i < n; i++) {
        const d = canonical.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2c || c === 0x3a) extra++;
  }
  return n + extra;
}

/** Compact Python-style JSON of a JavaScript value (ensure_ascii; key order irrelevant for length). */
function compactPython(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonAsciiString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // JavaScript cannot tell 1 from 1.0; whole numbers below 2^53 are taken for ints.
    return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(compactPython).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${pythonAsciiString(k)}:${compactPython(v)}`);
    return `{${parts.join(',')}}`;
  }
  return pythonAsciiString(String(value));
}

/**
 * `len(json.dumps(context))` as Santamon computes it for its 100,000-character cap: default
 * separators `", "`/`": "`, ensure_ascii (a non-ASCII BMP character counts 6, an astral one
 * 12). From a parsed value, whole-number floats (`1.0`) count as ints (`1`), two characters
 * fewer; for an exact figure pass the canonical text of the context instead
 * (`parsePythonJson(body).members.get('context')`), which keeps Python's float spelling.
 */
export function santamonContextSize(context: unknown, canonical?: string): number {
  return pythonDumpsLength(canonical ?? compactPython(context));
}
