import type { HarrierEvent, Severity } from '@harrier/schema';

/** Seed 002's event sources; the insight engine reasons in these. */
export type InsightSource = 'process' | 'auth' | 'network' | 'filewatch' | 'system';
/** Seed 002's severities, weighted 1, 3 and 8. */
export type InsightSeverity = 'INFO' | 'WARN' | 'HIGH';

/**
 * An event as seed 002's insight engine sees it: its source, severity, title and details
 * (`details_json`, with the sec44 agent's keys: `process_name`, `exe`, `pid`, `ip`, `port`,
 * `username`, `event_type`…). `ts` is epoch milliseconds.
 */
export interface InsightEvent {
  ts: number;
  source: InsightSource;
  severity: InsightSeverity;
  title: string;
  details: Record<string, unknown>;
}

const SEC44_SOURCES = new Set<string>(['process', 'auth', 'network', 'filewatch', 'system']);
const SEC44_SEVERITIES = new Set<string>(['INFO', 'WARN', 'HIGH']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Our severity scale onto seed 002's: informational/low → INFO, medium → WARN, high/critical → HIGH. */
export function insightSeverityOf(severity: Severity | undefined): InsightSeverity {
  if (severity === 'medium') return 'WARN';
  if (severity === 'high' || severity === 'critical') return 'HIGH';
  return 'INFO';
}

const AUTH_SERVICES = new Set(['sshd', 'sudo', 'su', 'auth', 'login']);

function sourceOf(event: HarrierEvent): InsightSource {
  const { category, service } = event.logsource;
  switch (category) {
    case 'process_creation':
      return 'process';
    case 'authentication':
      return 'auth';
    case 'network_connection':
      return 'network';
    case 'file_event':
    case 'file_change':
    case 'file_delete':
    case 'file_rename':
      return 'filewatch';
  }
  if (service !== undefined && AUTH_SERVICES.has(service)) return 'auth';
  const id = Number(event.fields.EventID);
  if (service === 'security' && (id === 4624 || id === 4625)) return 'auth';
  return 'system';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A listening socket in Sigma's terms: an accepted (not initiated) connection or a LISTEN/BOUND socket. */
function isListener(fields: Record<string, unknown>): boolean {
  const state = str(fields.SocketState);
  if (state === 'LISTEN' || state === 'BOUND') return true;
  const initiated = fields.Initiated;
  return initiated === false || initiated === 'false';
}

/**
 * Details in the sec44 agent's vocabulary for an event of another source, where the meaning
 * is the same: the process (`Image` → `exe`, `process_name`), the user, a listener's bound
 * address and port, and a failed logon (`Outcome: failure`, Windows 4625) as
 * `event_type: failed_login`.
 */
function detailsOf(event: HarrierEvent, source: InsightSource): Record<string, unknown> {
  const f = event.fields;
  const details: Record<string, unknown> = {};
  const image = str(f.Image);
  if (image !== undefined) {
    details.exe = image;
    details.process_name = basename(image);
  }
  if (f.ProcessId !== undefined && f.ProcessId !== null) details.pid = f.ProcessId;
  const user = str(f.User) ?? str(f.TargetUserName);
  if (user !== undefined) details.username = user;
  if (
    source === 'network' &&
    isListener(f) &&
    f.DestinationPort !== undefined &&
    f.DestinationPort !== null
  ) {
    details.ip = f.DestinationIp ?? '';
    details.port = f.DestinationPort;
  }
  if (source === 'auth') {
    const failed =
      String(f.Outcome ?? '').toLowerCase() === 'failure' ||
      Number(f.EventID) === 4625 ||
      String(f['event.outcome'] ?? '').toLowerCase() === 'failure';
    if (failed) details.event_type = 'failed_login';
    else if (String(f.Outcome ?? '').toLowerCase() === 'success' || Number(f.EventID) === 4624) {
      details.event_type = 'successful_login';
    }
  }
  return details;
}

/**
 * The insight engine's view of a stored event. A sec44 event is taken exactly as its agent
 * sent it (`raw`); any other source (our agent, Windows, auditd, shipped logs) is mapped by
 * meaning: its Sigma category gives the source, its severity the weight, its Sigma fields the
 * details (see {@link insightSeverityOf}).
 */
export function insightEventOf(event: HarrierEvent): InsightEvent {
  if (event.source === 'sec44' && isRecord(event.raw)) {
    const raw = event.raw;
    const source = typeof raw.source === 'string' && SEC44_SOURCES.has(raw.source) ? raw.source : 'system';
    const severity =
      typeof raw.severity === 'string' && SEC44_SEVERITIES.has(raw.severity)
        ? raw.severity
        : insightSeverityOf(event.severity);
    return {
      ts: event.ts,
      source: source as InsightSource,
      severity: severity as InsightSeverity,
      title: typeof raw.title === 'string' ? raw.title : (event.title ?? ''),
      details: isRecord(raw.details_json) ? raw.details_json : {},
    };
  }
  const source = sourceOf(event);
  return {
    ts: event.ts,
    source,
    severity: insightSeverityOf(event.severity),
    title: event.title ?? '',
    details: detailsOf(event, source),
  };
}
