import { readJson } from '../db/json-column.ts';
import type { UndecidedAlert } from '../repositories/decisions-repository.ts';

/** Score of an alert without one (seed 000's alerts carry a 0–100 ensemble score). */
export const SEVERITY_SCORES: Record<string, number> = {
  informational: 10,
  low: 30,
  medium: 50,
  high: 70,
  critical: 90,
};

const SUSPICIOUS_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/user/'];

function isPrivateIp(ip: string): boolean {
  return (
    /^10\./.test(ip) ||
    /^192\.168\./.test(ip) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ||
    /^169\.254\./.test(ip) ||
    /^f[cd][0-9a-f]{2}:/i.test(ip) ||
    /^fe80:/i.test(ip)
  );
}

function isLoopback(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1';
}

/** The seed's event types from a Sigma logsource category. */
export function eventTypeOf(category: string | null | undefined, kind: string): string {
  const c = (category ?? '').toLowerCase();
  if (c.startsWith('process')) return 'process';
  if (c.startsWith('network') || c === 'firewall' || c === 'dns' || c === 'dns_query') return 'network';
  if (c.startsWith('file')) return 'file';
  if (c === 'authentication' || c === 'auth') return 'auth';
  return c || kind;
}

/**
 * What the decision rules read for one alert: severity, score, event type,
 * features and reasons. A seed 000-shaped alert brings `details.features` and
 * `details.reasons`; for our own alerts the features are derived from the first
 * matched event (process path, remote address) and from an IOC match.
 */
export function decisionFacts(
  alert: UndecidedAlert,
  event: { category: string | null; fields: unknown } | undefined,
): Record<string, unknown> {
  const details = readJson<Record<string, unknown>>(alert.details, {});
  const fields = readJson<Record<string, unknown>>(event?.fields, {});
  const derived: Record<string, unknown> = {};
  const image = typeof fields.Image === 'string' ? fields.Image : undefined;
  if (image) {
    derived.process_name = image.split(/[\\/]/).pop();
    derived.is_suspicious_path =
      SUSPICIOUS_DIRS.some((d) => image.startsWith(d)) || /\\(temp|appdata)\\/i.test(image);
  }
  const remote = [fields.DestinationIp, fields.dst_ip, fields.remote_ip].find(
    (v): v is string => typeof v === 'string',
  );
  if (remote) {
    derived.remote_ip = remote;
    derived.is_private_ip = isPrivateIp(remote);
    derived.is_loopback = isLoopback(remote);
  }
  if (typeof fields.ProcessId === 'number' || typeof fields.ProcessId === 'string')
    derived.pid = Number(fields.ProcessId);
  const indicator = details.indicator as { type?: unknown } | undefined;
  if (alert.kind === 'ioc' && typeof indicator?.type === 'string' && /hash|md5|sha/.test(indicator.type))
    derived.hash_known_malicious = true;
  const features = { ...derived, ...readJson<Record<string, unknown>>(details.features, {}) };
  const score = typeof details.score === 'number' ? details.score : (SEVERITY_SCORES[alert.severity] ?? 50);
  const eventType =
    typeof details.event_type === 'string' ? details.event_type : eventTypeOf(event?.category, alert.kind);
  return {
    severity: alert.severity,
    score,
    event_type: eventType,
    kind: alert.kind,
    features,
    reasons: readJson<Record<string, unknown>>(details.reasons, {}),
  };
}
