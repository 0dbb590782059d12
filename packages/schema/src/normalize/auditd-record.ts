/**
 * Linux auditd record (one `type=… msg=audit(epoch:serial): key=value …` line, already split into
 * a JSON object of strings) → NormalizedEvent for Sigma's `product: linux, service: auditd`.
 * Values stay as auditd wrote them (hex-encoded proctitle stays hex), as Sigma's auditd rules
 * expect.
 */
import type { NormalizedEvent } from '../event-model.ts';

const AUDIT_MSG = /audit\((\d+)(?:\.(\d+))?:(\d+)\)/;

/** Epoch ms and serial number from an auditd `msg=audit(1604994496.155:92733)` stamp. */
export function parseAuditStamp(msg: unknown): { ts: number; serial: number } | undefined {
  if (typeof msg !== 'string') return undefined;
  const m = AUDIT_MSG.exec(msg);
  if (m === null) return undefined;
  const ms = Number(`${m[2] ?? ''}000`.slice(0, 3));
  return { ts: Number(m[1]) * 1000 + ms, serial: Number(m[3]) };
}

/** Normalizes one auditd record object. Throws a TypeError when it is not an object. */
export function normalizeAuditdRecord(record: unknown): NormalizedEvent {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new TypeError('not an auditd record: expected an object');
  }
  const fields: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  const stamp = parseAuditStamp(fields['msg']);
  if (stamp !== undefined) fields['audit_serial'] = stamp.serial;
  return {
    ts: stamp?.ts ?? 0,
    source: 'auditd',
    logsource: { product: 'linux', service: 'auditd' },
    fields,
  };
}
