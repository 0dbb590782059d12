/** The platform's one severity scale (DESIGN.md §3), lowest first. */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const ALIASES: Record<string, Severity> = {
  info: 'informational',
  informational: 'informational',
  low: 'low',
  warn: 'medium',
  warning: 'medium',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** Maps the seeds' vocabularies (`LOW`, `WARN`, `INFO`…) onto the scale; unknown → undefined. */
export function toSeverity(value: unknown): Severity | undefined {
  return typeof value === 'string' ? ALIASES[value.toLowerCase()] : undefined;
}

export const severityRank = (s: unknown): number => {
  const v = toSeverity(s);
  return v ? SEVERITIES.indexOf(v) : -1;
};
