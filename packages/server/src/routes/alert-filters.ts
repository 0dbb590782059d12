import { SEVERITIES } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import { badRequest } from '../errors.ts';
import { listParam, minSeverityRankParam } from '../http/filter-params.ts';
import {
  ALERT_SORTS,
  type AlertFilter,
  type AlertSort,
  type AlertSortCursor,
} from '../repositories/alerts-repository.ts';

/** The query parameters that select alerts (list, counts, bulk by filter). */
export const AlertFilterQuery = {
  status: Type.Optional(
    Type.String({ maxLength: 200, description: 'One status or a comma-separated list.' }),
  ),
  severity: Type.Optional(
    Type.String({ maxLength: 32, description: `At or above: ${SEVERITIES.join(', ')}` }),
  ),
  rule_id: Type.Optional(Type.String({ maxLength: 256, description: 'The Sigma id of the rule.' })),
  device_id: Type.Optional(Type.String({ maxLength: 64 })),
  kind: Type.Optional(
    Type.String({ maxLength: 32, description: 'rule, correlation, signal, severity or ioc' }),
  ),
  assignee: Type.Optional(
    Type.String({ maxLength: 64, description: 'A user id, `me`, or `none` for unassigned alerts.' }),
  ),
  group_id: Type.Optional(Type.String({ maxLength: 64, description: 'A work group id, or `none`.' })),
  technique: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'A MITRE technique (T1059 also finds T1059.001) or tactic tag.',
    }),
  ),
  since: Type.Optional(Type.String({ maxLength: 64, description: 'Last seen at or after (RFC 3339).' })),
  until: Type.Optional(Type.String({ maxLength: 64, description: 'First seen before (RFC 3339).' })),
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Text in the title, the rule or the device name.' }),
  ),
};
const AlertFilterObject = Type.Object(AlertFilterQuery);
export type AlertFilterParams = typeof AlertFilterObject.static;
export { AlertFilterObject };

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest('invalid_time', `${name} must be an RFC 3339 time.`);
  return t;
}

/** The repository filter of a request's parameters; `me` is the caller. */
export function alertFilterOf(
  q: AlertFilterParams,
  orgId: string,
  userId: string,
): Omit<AlertFilter, 'limit'> {
  return {
    orgId,
    status: listParam(q.status),
    minSeverityRank: minSeverityRankParam(q.severity),
    ruleUid: q.rule_id,
    deviceId: q.device_id,
    kind: q.kind,
    assigneeUserId: q.assignee === 'me' ? userId : q.assignee,
    assigneeGroupId: q.group_id,
    // Sigma's tag form (`attack.t1059`) names the same technique as `T1059`.
    technique: q.technique?.replace(/^attack\./i, ''),
    since: time(q.since, 'since'),
    until: time(q.until, 'until'),
    search: q.q,
  };
}

export const SortQuery = Type.Optional(
  Type.Union(
    ALERT_SORTS.map((s) => Type.Literal(s)),
    { description: 'newest (default), oldest, severity (highest first) or last_seen (latest first).' },
  ),
);

/** Keyset cursors carry the sort column's value with the id, so any order pages stably. */
export function encodeAlertCursor(
  sort: AlertSort,
  row: { id: string; severity_rank: number; last_seen: number },
): string {
  const value =
    sort === 'severity' ? row.severity_rank : sort === 'last_seen' ? Number(row.last_seen) : undefined;
  return Buffer.from(JSON.stringify(value === undefined ? [row.id] : [row.id, value]), 'utf8').toString(
    'base64url',
  );
}

export function decodeAlertCursor(cursor: string | undefined, sort: AlertSort): AlertSortCursor | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => badRequest('invalid_cursor', 'The cursor is not valid.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !/^[0-9a-f-]{36}$/.test(parsed[0]))
    throw invalid();
  const needsValue = sort === 'severity' || sort === 'last_seen';
  if (needsValue !== (parsed.length === 2) || (needsValue && !Number.isFinite(parsed[1]))) throw invalid();
  return { id: parsed[0], value: needsValue ? (parsed[1] as number) : undefined };
}
