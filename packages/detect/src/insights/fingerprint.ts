import { createHash } from 'node:crypto';
import { PyFloat, pythonJsonDumps } from './python-json.ts';

/** Evidence keys that identify an insight or a change; other keys (counts, ratios) do not. */
export const STABLE_EVIDENCE_KEYS = [
  'process_name',
  'exe',
  'pid',
  'ip',
  'port',
  'username',
  'event_type',
  'listener',
  'metric',
  'classification',
  'change',
] as const;

function isScalar(value: unknown): boolean {
  return (
    value === null ||
    value instanceof PyFloat ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/**
 * Seed 002's fingerprint of an insight or an event: sha256 hex of Python's canonical JSON of
 * `{source: lower(source), title: lower-cased title with whitespace collapsed, stable}`, where
 * `stable` is the evidence under {@link STABLE_EVIDENCE_KEYS}, or every scalar entry when
 * none of those keys is present.
 */
export function buildFingerprint(source: string, title: string, evidence: Record<string, unknown>): string {
  const stable: Record<string, unknown> = {};
  for (const key of STABLE_EVIDENCE_KEYS) {
    if (Object.hasOwn(evidence, key)) stable[key] = evidence[key];
  }
  if (Object.keys(stable).length === 0) {
    for (const key of Object.keys(evidence)) {
      if (isScalar(evidence[key])) stable[key] = evidence[key];
    }
  }
  const payload = {
    source: source.toLowerCase(),
    title: title.toLowerCase().trim().split(/\s+/).filter(Boolean).join(' '),
    stable,
  };
  return createHash('sha256').update(pythonJsonDumps(payload), 'utf8').digest('hex');
}

/** How long an identical insight is folded into the previous one (seed 002: 30 minutes). */
export const INSIGHT_DEDUP_WINDOW_MS = 30 * 60_000;

/**
 * Seed 002's `suppress_repeated`: a candidate whose fingerprint was last seen at most
 * `windowMs` before `now` is suppressed (its stored row gets `count + 1` and a new
 * `last_seen`); the others are accepted as new rows.
 */
export function suppressRepeated<T extends { fingerprint: string }>(
  candidates: readonly T[],
  recentLastSeen: ReadonlyMap<string, number>,
  now: number,
  windowMs: number = INSIGHT_DEDUP_WINDOW_MS,
): { accepted: T[]; suppressed: T[] } {
  const accepted: T[] = [];
  const suppressed: T[] = [];
  for (const candidate of candidates) {
    const last = recentLastSeen.get(candidate.fingerprint);
    if (last !== undefined && now - last <= windowMs) suppressed.push(candidate);
    else accepted.push(candidate);
  }
  return { accepted, suppressed };
}
