/**
 * One severity scale for every source. The seeds use `low..critical`,
 * `LOW..CRITICAL` and `INFO/WARN/HIGH`; all map onto this ordered list.
 */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const ALIASES: Record<string, Severity> = {
  informational: 'informational',
  info: 'informational',
  information: 'informational',
  low: 'low',
  medium: 'medium',
  moderate: 'medium',
  warn: 'medium',
  warning: 'medium',
  high: 'high',
  critical: 'critical',
  crit: 'critical',
};

/** Maps any seed's severity word (any case) onto the Harrier scale; `undefined` when unknown. */
export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  return ALIASES[value.trim().toLowerCase()];
}

/** Rank of a severity on the scale: informational = 0 … critical = 4. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at or above `threshold`. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}
