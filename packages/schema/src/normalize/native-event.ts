/**
 * Harrier's own agent events (`POST /api/v1/ingest`) → the event model.
 *
 * This runs once per event at the ingest budget (100,000 events/s), so validation is
 * hand-written: no schema interpreter, no `Object.keys`/`entries` arrays, no copies of
 * `fields` (the parsed request body is owned by the caller and handed over as is). The
 * TypeBox schema below documents the same contract for OpenAPI and for tests.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Logsource, NormalizedEvent } from '../event-model.ts';
import { parseSeverity, type Severity } from '../severity.ts';
import { parseInstant } from '../timestamps.ts';

/** Limits of the native event contract. */
export const NATIVE_EVENT_LIMITS = {
  idMaxLength: 128,
  typeMaxLength: 64,
  titleMaxLength: 1024,
  logsourcePartMaxLength: 128,
  maxFields: 256,
  fieldNameMaxLength: 128,
  /** Bytes of UTF-8 per string value, anywhere inside `fields`. */
  fieldValueMaxBytes: 32 * 1024,
  /** Nesting depth of arrays/objects inside one field value. */
  fieldMaxDepth: 8,
} as const;

/** Event types the agent sends today; any other non-empty string is accepted too. */
export const NATIVE_EVENT_TYPES = [
  'process_start',
  'process_end',
  'network_listen',
  'network_connection',
  'auth',
  'persistence',
  'file_change',
  'software',
  'os_facts',
  'log',
] as const;

/** Wire schema of one native event (documentation, OpenAPI and tests; unknown keys are ignored). */
export const NativeEvent = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: NATIVE_EVENT_LIMITS.idMaxLength })),
    ts: Type.Union([Type.String({ description: 'RFC 3339 instant, any offset' }), Type.Number()], {
      description: 'RFC 3339 string or epoch milliseconds',
    }),
    type: Type.String({ minLength: 1, maxLength: NATIVE_EVENT_LIMITS.typeMaxLength }),
    logsource: Type.Optional(
      Type.Object({
        product: Type.Optional(Type.String({ maxLength: NATIVE_EVENT_LIMITS.logsourcePartMaxLength })),
        category: Type.Optional(Type.String({ maxLength: NATIVE_EVENT_LIMITS.logsourcePartMaxLength })),
        service: Type.Optional(Type.String({ maxLength: NATIVE_EVENT_LIMITS.logsourcePartMaxLength })),
      }),
    ),
    severity: Type.Optional(
      Type.String({ description: 'informational|low|medium|high|critical (any seed word)' }),
    ),
    title: Type.Optional(Type.String({ maxLength: NATIVE_EVENT_LIMITS.titleMaxLength })),
    fields: Type.Record(Type.String({ maxLength: NATIVE_EVENT_LIMITS.fieldNameMaxLength }), Type.Unknown(), {
      maxProperties: NATIVE_EVENT_LIMITS.maxFields,
      description: 'Sigma field names (Image, CommandLine, User, …); string values ≤ 32 KiB',
    }),
  },
  { additionalProperties: true },
);
export type NativeEvent = Static<typeof NativeEvent>;

/** Why one event of a batch was rejected; the batch response carries it with the event's index. */
export type NativeEventErrorCode =
  | 'invalid_event'
  | 'invalid_id'
  | 'invalid_timestamp'
  | 'invalid_type'
  | 'invalid_logsource'
  | 'invalid_severity'
  | 'title_too_long'
  | 'invalid_fields'
  | 'too_many_fields'
  | 'field_name_too_long'
  | 'field_too_long'
  | 'field_too_deep';

export interface NativeEventError {
  code: NativeEventErrorCode;
  message: string;
}

export type NativeEventResult =
  | { ok: true; event: NormalizedEvent; id: string | undefined }
  | { ok: false; error: NativeEventError };

/** Defaults the server knows from the device (its OS) rather than from the event. */
export interface NativeEventDefaults {
  /** Sigma product (`windows`, `linux`, `macos`) when the event names none. */
  product?: string;
}

/**
 * Sigma category implied by an event type. Types not listed here are used as the category
 * themselves, so an agent that already sends a Sigma category name (`dns_query`,
 * `registry_set`, …) as its type is routed to those rules; `log` implies none.
 */
const TYPE_CATEGORY: Record<string, string | undefined> = {
  process_start: 'process_creation',
  process_end: 'process_termination',
  network_listen: 'network_connection',
  network_connection: 'network_connection',
  file_change: 'file_event',
  auth: 'authentication',
  persistence: 'persistence',
  software: 'software_inventory',
  os_facts: 'os_facts',
  log: undefined,
};

/** Default Sigma category for a native event type (see {@link TYPE_CATEGORY}). */
export function nativeTypeCategory(type: string): string | undefined {
  return Object.hasOwn(TYPE_CATEGORY, type) ? TYPE_CATEGORY[type] : type;
}

function fail(code: NativeEventErrorCode, message: string): NativeEventResult {
  return { ok: false, error: { code, message } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * UTF-8 length of `s` if it is at most `limit` bytes, else `limit + 1`. Cheap bounds first:
 * UTF-16 length ≤ UTF-8 length ≤ 3 × UTF-16 length, so most strings need no scan at all.
 */
function utf8LengthCapped(s: string, limit: number): number {
  const n = s.length;
  if (n > limit) return limit + 1;
  if (n * 3 <= limit) return n;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > limit) return limit + 1;
  }
  return bytes;
}

/** Checks one field value recursively; returns an error or undefined. */
function checkFieldValue(name: string, value: unknown, depth: number): NativeEventResult | undefined {
  if (typeof value === 'string') {
    if (
      utf8LengthCapped(value, NATIVE_EVENT_LIMITS.fieldValueMaxBytes) > NATIVE_EVENT_LIMITS.fieldValueMaxBytes
    ) {
      return fail(
        'field_too_long',
        `field '${name}' is longer than ${NATIVE_EVENT_LIMITS.fieldValueMaxBytes} bytes`,
      );
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    // number, boolean, null: fine. undefined/functions cannot come out of JSON.parse.
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return undefined;
    return fail('invalid_fields', `field '${name}' has an unsupported value type`);
  }
  if (depth >= NATIVE_EVENT_LIMITS.fieldMaxDepth) {
    return fail(
      'field_too_deep',
      `field '${name}' is nested deeper than ${NATIVE_EVENT_LIMITS.fieldMaxDepth}`,
    );
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const err = checkFieldValue(name, value[i], depth + 1);
      if (err) return err;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const err = checkFieldValue(name, (value as Record<string, unknown>)[key], depth + 1);
    if (err) return err;
  }
  return undefined;
}

function checkLogsourcePart(value: unknown, part: string): string | NativeEventResult | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > NATIVE_EVENT_LIMITS.logsourcePartMaxLength) {
    return fail(
      'invalid_logsource',
      `logsource.${part} must be a string of at most ${NATIVE_EVENT_LIMITS.logsourcePartMaxLength} characters`,
    );
  }
  return value === '' ? undefined : value;
}

/**
 * Validates and normalizes one native event. Never throws: a bad event yields a precise
 * `{ code, message }` so the batch can be partially accepted (platform issue, item 5).
 *
 * - `ts` is parsed with {@link parseInstant} (RFC 3339 with any offset, or epoch ms).
 * - `logsource` parts given by the event win; a missing category comes from `type`
 *   ({@link nativeTypeCategory}), a missing product from `defaults.product`.
 * - `severity` accepts any seed vocabulary ({@link parseSeverity}); an unknown word is an error.
 * - `fields` is used by reference, not copied: callers must not mutate the input afterwards.
 * - Unknown top-level keys are ignored, so newer agents can add keys without breaking ingest.
 */
export function normalizeNativeEvent(input: unknown, defaults?: NativeEventDefaults): NativeEventResult {
  if (!isPlainObject(input)) return fail('invalid_event', 'event must be a JSON object');

  const id = input.id;
  if (id !== undefined && id !== null) {
    if (typeof id !== 'string' || id.length === 0 || id.length > NATIVE_EVENT_LIMITS.idMaxLength) {
      return fail(
        'invalid_id',
        `id must be a non-empty string of at most ${NATIVE_EVENT_LIMITS.idMaxLength} characters`,
      );
    }
  }

  const rawTs = input.ts;
  if (typeof rawTs !== 'string' && typeof rawTs !== 'number') {
    return fail('invalid_timestamp', 'ts is required: an RFC 3339 string or epoch milliseconds');
  }
  const ts = parseInstant(rawTs);
  if (ts === undefined) {
    return fail('invalid_timestamp', `ts is not a valid instant: ${String(rawTs).slice(0, 64)}`);
  }

  const type = input.type;
  if (typeof type !== 'string' || type.length === 0 || type.length > NATIVE_EVENT_LIMITS.typeMaxLength) {
    return fail(
      'invalid_type',
      `type must be a non-empty string of at most ${NATIVE_EVENT_LIMITS.typeMaxLength} characters`,
    );
  }

  let product = defaults?.product;
  let category = nativeTypeCategory(type);
  let service: string | undefined;
  const ls = input.logsource;
  if (ls !== undefined && ls !== null) {
    if (!isPlainObject(ls)) return fail('invalid_logsource', 'logsource must be an object');
    const p = checkLogsourcePart(ls.product, 'product');
    if (typeof p === 'object') return p;
    const c = checkLogsourcePart(ls.category, 'category');
    if (typeof c === 'object') return c;
    const s = checkLogsourcePart(ls.service, 'service');
    if (typeof s === 'object') return s;
    if (p !== undefined) product = p;
    if (c !== undefined) category = c;
    service = s;
  }

  let severity: Severity | undefined;
  const rawSeverity = input.severity;
  if (rawSeverity !== undefined && rawSeverity !== null) {
    severity = parseSeverity(rawSeverity);
    if (severity === undefined) {
      return fail('invalid_severity', `severity must be informational, low, medium, high or critical`);
    }
  }

  const title = input.title;
  if (title !== undefined && title !== null) {
    if (typeof title !== 'string') return fail('invalid_event', 'title must be a string');
    if (title.length > NATIVE_EVENT_LIMITS.titleMaxLength) {
      return fail('title_too_long', `title is longer than ${NATIVE_EVENT_LIMITS.titleMaxLength} characters`);
    }
  }

  const fields = input.fields;
  if (!isPlainObject(fields)) return fail('invalid_fields', 'fields must be a JSON object');
  let count = 0;
  for (const name in fields) {
    if (!Object.hasOwn(fields, name)) continue;
    if (++count > NATIVE_EVENT_LIMITS.maxFields) {
      return fail('too_many_fields', `fields has more than ${NATIVE_EVENT_LIMITS.maxFields} keys`);
    }
    if (name.length === 0) return fail('invalid_fields', 'field names must not be empty');
    if (name.length > NATIVE_EVENT_LIMITS.fieldNameMaxLength) {
      return fail(
        'field_name_too_long',
        `field name '${name.slice(0, 32)}…' is longer than ${NATIVE_EVENT_LIMITS.fieldNameMaxLength} characters`,
      );
    }
    const err = checkFieldValue(name, fields[name], 0);
    if (err) return err;
  }

  // Only present parts are set, so stored logsources compare equal to rule logsources.
  const logsource: Logsource = {};
  if (product !== undefined) logsource.product = product;
  if (category !== undefined) logsource.category = category;
  if (service !== undefined) logsource.service = service;

  const event: NormalizedEvent = { ts, source: 'native', logsource, fields };
  if (severity !== undefined) event.severity = severity;
  if (typeof title === 'string' && title !== '') event.title = title;
  return { ok: true, event, id: typeof id === 'string' ? id : undefined };
}
