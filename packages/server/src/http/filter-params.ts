import { parseSeverity, SEVERITIES, severityRank } from '@harrier/schema';
import { badRequest } from '../errors.ts';

/** `?severity=` meaning "at or above": its rank, or 400 naming the scale. */
export function minSeverityRankParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = parseSeverity(value);
  if (s === undefined)
    throw badRequest('invalid_severity', `severity must be one of ${SEVERITIES.join(', ')}.`);
  return severityRank(s);
}

/** `?status=a,b`: the lower-cased values, blanks dropped. */
export function listParam(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
