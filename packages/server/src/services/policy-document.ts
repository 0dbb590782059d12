import { createHash } from 'node:crypto';
import { DEFAULT_WATCHED_FILES } from '@harrier/schema';
import { type Static, Type } from '@sinclair/typebox';

/** Response actions an agent can be allowed to run (seed 004's queue, our names). */
export const RESPONSE_ACTION_TYPES = [
  'isolate',
  'release',
  'kill_process',
  'collect_triage',
  'run_command',
] as const;
export type ResponseActionType = (typeof RESPONSE_ACTION_TYPES)[number];

const Seconds = (min: number) => Type.Integer({ minimum: min, maximum: 86_400 });
const Paths = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 500 });

/**
 * A policy's agent configuration, in the snake_case keys the agent's
 * `mergePolicy` reads (packages/agent/src/policy.ts). Every key is optional in a
 * policy: an assignment overrides only what it names.
 */
export const PolicyDocument = Type.Object(
  {
    collectors: Type.Optional(
      Type.Object(
        {
          process: Type.Optional(Type.Boolean()),
          network: Type.Optional(Type.Boolean()),
          auth: Type.Optional(Type.Boolean()),
          persistence: Type.Optional(Type.Boolean()),
          file_integrity: Type.Optional(Type.Boolean()),
          software: Type.Optional(Type.Boolean()),
          os_facts: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    intervals: Type.Optional(
      Type.Object(
        {
          process_s: Type.Optional(Seconds(1)),
          fast_s: Type.Optional(Seconds(1)),
          files_s: Type.Optional(Seconds(1)),
          software_s: Type.Optional(Seconds(1)),
          /** Full inventory snapshot when nothing changed (a change sends one sooner). */
          inventory_s: Type.Optional(Seconds(60)),
          /** Pull of the active network indicators (seed 004: every 30 minutes). */
          iocs_s: Type.Optional(Seconds(60)),
          heartbeat_s: Type.Optional(Seconds(5)),
          config_s: Type.Optional(Seconds(5)),
          actions_s: Type.Optional(Seconds(5)),
        },
        { additionalProperties: false },
      ),
    ),
    collect_command_lines: Type.Optional(Type.Boolean()),
    fim_paths: Type.Optional(Paths),
    process_deny_list: Type.Optional(Paths),
    unusual_exec_paths: Type.Optional(Paths),
    log_sources: Type.Optional(Paths),
    response: Type.Optional(
      Type.Object(
        {
          allowed_actions: Type.Optional(
            Type.Array(Type.Union(RESPONSE_ACTION_TYPES.map((a) => Type.Literal(a))), { maxItems: 10 }),
          ),
          /** Absolute program paths `run_command` may start (argv[0], matched exactly). */
          allowed_commands: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 1024, pattern: '^/' }), { maxItems: 100 }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    spool_max_bytes: Type.Optional(Type.Integer({ minimum: 1024 * 1024, maximum: 64 * 1024 ** 3 })),
    batch_max_events: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type PolicyDocument = Static<typeof PolicyDocument>;

/** The complete configuration an agent receives: every key present. */
export interface EffectiveDocument {
  collectors: Required<NonNullable<PolicyDocument['collectors']>>;
  intervals: Required<NonNullable<PolicyDocument['intervals']>>;
  collect_command_lines: boolean;
  fim_paths: string[];
  process_deny_list: string[];
  unusual_exec_paths: string[];
  log_sources: string[];
  response: { allowed_actions: ResponseActionType[]; allowed_commands: string[] };
  spool_max_bytes: number;
  batch_max_events: number;
}

/** What a device runs with no policy assigned: the agent's own defaults, response off. */
export function defaultDocument(): EffectiveDocument {
  return {
    collectors: {
      process: true,
      network: true,
      auth: true,
      persistence: true,
      file_integrity: true,
      software: true,
      os_facts: true,
    },
    intervals: {
      process_s: 2,
      fast_s: 10,
      files_s: 60,
      software_s: 300,
      inventory_s: 6 * 3600,
      iocs_s: 1800,
      heartbeat_s: 30,
      config_s: 60,
      actions_s: 30,
    },
    collect_command_lines: true,
    fim_paths: [...DEFAULT_WATCHED_FILES],
    process_deny_list: [],
    unusual_exec_paths: ['/tmp/*', '/var/tmp/*', '/dev/shm/*'],
    log_sources: ['/var/log/auth.log', 'journald'],
    response: { allowed_actions: [], allowed_commands: [] },
    spool_max_bytes: 256 * 1024 * 1024,
    batch_max_events: 1000,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Overlays `over` onto `base`: objects merge key by key, anything else (arrays included) replaces. */
export function overlay<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObject(out[k]) && isObject(v) ? overlay(out[k], v) : v;
  }
  return out as T;
}

/** Stable JSON (keys sorted) so equal documents give equal ETags. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** A strong ETag over a configuration body. */
export function etagOf(body: unknown): string {
  return `"${createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 32)}"`;
}
