/**
 * Seed 002 (sec44) events → the event model. Input is an event of a batch already validated
 * and sanitized by `parseSec44IngestRequest`, so this is pure mapping.
 */
import type { Logsource, NormalizedEvent } from '../event-model.ts';
import type { Sec44Event, Sec44Source } from '../seeds/sec44.ts';
import { parseSeverity } from '../severity.ts';

/** Sigma category per sec44 source; `system` events (collector status, persistence files…) have none. */
const SOURCE_CATEGORY: Record<Sec44Source, string | undefined> = {
  process: 'process_creation',
  auth: 'authentication',
  network: 'network_connection',
  filewatch: 'file_event',
  system: undefined,
};

/**
 * `details_json` keys of the sec44 agent with an obvious Sigma name (CONTRACTS.md §2.8).
 * The original keys are kept as well; an alias never overwrites a key the event already has.
 */
const COMMON_ALIASES: Record<string, string> = {
  exe: 'Image',
  pid: 'ProcessId',
  username: 'User',
  event_id: 'EventID',
  path: 'TargetFilename',
};

/**
 * A listener's bound address and port. Sysmon reports an accepted (inbound) connection with
 * the local endpoint as the destination, so a listening socket's own address is the
 * destination side in Sigma's terms.
 */
const NETWORK_ALIASES: Record<string, string> = {
  ip: 'DestinationIp',
  port: 'DestinationPort',
};

function addAlias(fields: Record<string, unknown>, from: string, to: string): void {
  if (Object.hasOwn(fields, from) && !Object.hasOwn(fields, to)) fields[to] = fields[from];
}

/** sec44 logsource: product from the platform, category from the source (Windows auth also gets `service: security`). */
export function sec44Logsource(source: Sec44Source, platform: string): Logsource {
  const logsource: Logsource = { product: platform };
  const category = SOURCE_CATEGORY[source];
  if (category !== undefined) logsource.category = category;
  // Windows logons come from the Security log (4624/4625), where Sigma's rules live.
  if (source === 'auth' && platform === 'windows') logsource.service = 'security';
  return logsource;
}

/**
 * Maps one sec44 event onto the event model: `source: 'sec44'`, logsource from source and
 * platform, severity INFO/WARN/HIGH → informational/medium/high, and `details_json` as
 * fields with Sigma aliases added (exe→Image, pid→ProcessId, username→User (and
 * TargetUserName for Windows logons), event_id→EventID, path→TargetFilename, a listener's
 * ip/port→DestinationIp/DestinationPort). `raw` is the event itself.
 */
export function normalizeSec44Event(event: Sec44Event): NormalizedEvent {
  const fields: Record<string, unknown> = { ...event.details_json };
  for (const from in COMMON_ALIASES) addAlias(fields, from, COMMON_ALIASES[from]!);
  if (event.source === 'network') {
    for (const from in NETWORK_ALIASES) addAlias(fields, from, NETWORK_ALIASES[from]!);
  }
  if (event.source === 'auth' && event.platform === 'windows') addAlias(fields, 'username', 'TargetUserName');

  const normalized: NormalizedEvent = {
    ts: event.ts,
    source: 'sec44',
    logsource: sec44Logsource(event.source, event.platform),
    fields,
    title: event.title,
    raw: event,
  };
  const severity = parseSeverity(event.severity);
  if (severity !== undefined) normalized.severity = severity;
  return normalized;
}
