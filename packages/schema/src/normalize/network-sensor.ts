/**
 * Network sensors → the event model: Suricata EVE JSON (`alert`, `flow`, `dns`, `http`,
 * `tls`) and Zeek JSON logs (`conn`, `dns`, `http`, `ssl`, `notice`). Fields get Sigma's
 * names (`SourceIp`, `DestinationIp`, `DestinationPort`, `QueryName`/`query`, the proxy
 * taxonomy's `c-uri`, `cs-host`, `cs-method`, `c-useragent`, `sc-status`) so generic network
 * rules and IP, domain and URL indicators apply; Zeek's own field names are kept as well,
 * which is what Sigma's `product: zeek` rules are written against.
 */
import type { Logsource, NormalizedEvent } from '../event-model.ts';
import type { Severity } from '../severity.ts';
import { parseInstant } from '../timestamps.ts';

/** The network sensors Harrier reads. */
export type NetworkSensorKind = 'suricata' | 'zeek';

/** A sensor record read, or why it could not be. */
export type NetworkRecordResult =
  | { ok: true; event: NormalizedEvent; kind: string; host: string | undefined }
  | { ok: false; code: string; message: string };

/** Suricata EVE `event_type`s normalized; others are refused. */
export const SURICATA_EVENT_TYPES = ['alert', 'flow', 'dns', 'http', 'tls'] as const;
/** Zeek logs normalized (from `_path`, or recognized by their fields). */
export const ZEEK_LOG_TYPES = ['conn', 'dns', 'http', 'ssl', 'notice'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,10}$/.test(value)) return Number(value);
  return undefined;
}

function compact(fields: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return fields;
}

function httpUrl(
  host: string | undefined,
  uri: string | undefined,
  port: number | undefined,
): string | undefined {
  if (host === undefined || uri === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  const scheme = port === 443 ? 'https' : 'http';
  const hostPart = port === undefined || port === 80 || port === 443 ? host : `${host}:${port}`;
  return `${scheme}://${hostPart}${uri.startsWith('/') ? uri : `/${uri}`}`;
}

function splitUri(uri: string | undefined): { stem?: string; query?: string } {
  if (uri === undefined) return {};
  const q = uri.indexOf('?');
  return q < 0 ? { stem: uri } : { stem: uri.slice(0, q), query: uri.slice(q + 1) };
}

/** The proxy taxonomy's names for one HTTP transaction. */
function proxyFields(h: {
  host: string | undefined;
  uri: string | undefined;
  method: string | undefined;
  userAgent: string | undefined;
  status: number | undefined;
  referrer: string | undefined;
  port: number | undefined;
}): Record<string, unknown> {
  const { stem, query } = splitUri(h.uri);
  const ext = stem !== undefined ? /\.([A-Za-z0-9]{1,10})$/.exec(stem)?.[1] : undefined;
  return {
    'c-uri': h.uri,
    'c-uri-stem': stem,
    'c-uri-query': query,
    'c-uri-extension': ext,
    'cs-host': h.host,
    'cs-method': h.method,
    'c-useragent': h.userAgent,
    'sc-status': h.status,
    'cs-referrer': h.referrer,
    url: httpUrl(h.host, h.uri, h.port),
  };
}

const SURICATA_SEVERITY: Record<number, Severity> = { 1: 'high', 2: 'medium', 3: 'low', 4: 'informational' };

function endpoints(src: unknown, sport: unknown, dst: unknown, dport: unknown, proto: unknown) {
  return {
    SourceIp: str(src),
    SourcePort: int(sport),
    DestinationIp: str(dst),
    DestinationPort: int(dport),
    Protocol: str(proto)?.toLowerCase(),
  };
}

/**
 * One Suricata EVE JSON record as an event. The sensor's `host` (when the EVE output
 * names one) is the device the event is filed under.
 */
export function normalizeSuricataEve(doc: unknown, now: number): NetworkRecordResult {
  if (!isObject(doc)) return { ok: false, code: 'invalid_event', message: 'An EVE record is a JSON object.' };
  const type = str(doc['event_type']);
  if (type === undefined)
    return { ok: false, code: 'invalid_event', message: 'The EVE record has no event_type.' };
  if (!(SURICATA_EVENT_TYPES as readonly string[]).includes(type))
    return {
      ok: false,
      code: 'unsupported_event_type',
      message: `EVE event_type "${type}" is not read (read: ${SURICATA_EVENT_TYPES.join(', ')}).`,
    };
  const ts = parseInstant(doc['timestamp']) ?? now;
  const base: Record<string, unknown> = {
    ...endpoints(doc['src_ip'], doc['src_port'], doc['dest_ip'], doc['dest_port'], doc['proto']),
    AppProtocol: str(doc['app_proto']),
    FlowId: doc['flow_id'] === undefined ? undefined : String(doc['flow_id']),
    CommunityId: str(doc['community_id']),
    InInterface: str(doc['in_iface']),
    SensorHost: str(doc['host']),
    EventType: type,
  };
  const logsource: Logsource = { product: 'suricata', service: type };
  let severity: Severity | undefined;
  let title: string;
  let fields: Record<string, unknown>;
  switch (type) {
    case 'alert': {
      const a = isObject(doc['alert']) ? doc['alert'] : {};
      const sev = int(a['severity']);
      severity = sev === undefined ? 'medium' : (SURICATA_SEVERITY[sev] ?? 'low');
      const signature = str(a['signature']) ?? 'Suricata alert';
      title = signature;
      logsource.category = 'ids';
      fields = {
        ...base,
        AlertSignature: signature,
        AlertSignatureId: int(a['signature_id']),
        AlertRevision: int(a['rev']),
        AlertCategory: str(a['category']),
        AlertSeverity: sev,
        AlertAction: str(a['action']),
        ...httpOf(doc),
        ...dnsQueryOf(doc),
        ...tlsOf(doc),
      };
      break;
    }
    case 'flow': {
      const f = isObject(doc['flow']) ? doc['flow'] : {};
      logsource.category = 'network_connection';
      title = `flow ${str(doc['src_ip']) ?? '?'} → ${str(doc['dest_ip']) ?? '?'}:${str(doc['dest_port']) ?? '?'}`;
      fields = {
        ...base,
        Initiated: 'true',
        PacketsToServer: int(f['pkts_toserver']),
        PacketsToClient: int(f['pkts_toclient']),
        BytesToServer: int(f['bytes_toserver']),
        BytesToClient: int(f['bytes_toclient']),
        FlowState: str(f['state']),
        FlowReason: str(f['reason']),
        FlowStart: str(f['start']),
        FlowEnd: str(f['end']),
      };
      break;
    }
    case 'dns': {
      logsource.category = 'dns';
      const d = dnsQueryOf(doc);
      title = `dns ${String(d['QueryName'] ?? '')}`.trim();
      fields = { ...base, ...d };
      break;
    }
    case 'http': {
      logsource.category = 'proxy';
      const h = httpOf(doc);
      title = `${String(h['cs-method'] ?? 'HTTP')} ${String(h['url'] ?? h['c-uri'] ?? '')}`.trim();
      fields = { ...base, ...h };
      break;
    }
    default: {
      const t = tlsOf(doc);
      title = `tls ${String(t['ServerName'] ?? str(doc['dest_ip']) ?? '')}`.trim();
      fields = { ...base, ...t };
    }
  }
  const event: NormalizedEvent = { ts, source: 'suricata', logsource, title, fields: compact(fields) };
  if (severity !== undefined) event.severity = severity;
  return { ok: true, event, kind: type, host: str(doc['host']) };
}

function httpOf(doc: Record<string, unknown>): Record<string, unknown> {
  const h = doc['http'];
  if (!isObject(h)) return {};
  return proxyFields({
    host: str(h['hostname']),
    uri: str(h['url']),
    method: str(h['http_method']),
    userAgent: str(h['http_user_agent']),
    status: int(h['status']),
    referrer: str(h['http_refer']),
    port: int(h['http_port']) ?? int(doc['dest_port']),
  });
}

function dnsQueryOf(doc: Record<string, unknown>): Record<string, unknown> {
  const d = doc['dns'];
  if (!isObject(d)) return {};
  // EVE v2 puts the query in `queries[]` (or `rrname` at the top for v1 and answers).
  const q = Array.isArray(d['queries']) && isObject(d['queries'][0]) ? d['queries'][0] : d;
  const name = str(q['rrname'])?.replace(/\.$/, '');
  const answers: string[] = [];
  if (Array.isArray(d['answers']))
    for (const a of d['answers']) if (isObject(a) && str(a['rdata'])) answers.push(str(a['rdata'])!);
  if (isObject(d['grouped']))
    for (const list of Object.values(d['grouped']))
      if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') answers.push(v);
  if (str(d['rdata'])) answers.push(str(d['rdata'])!);
  return {
    QueryName: name,
    query: name,
    record_type: str(q['rrtype']),
    answer: answers.length > 0 ? answers : undefined,
    DnsType: str(d['type']),
    DnsRcode: str(d['rcode']),
    DnsId: int(d['id']),
  };
}

function tlsOf(doc: Record<string, unknown>): Record<string, unknown> {
  const t = doc['tls'];
  if (!isObject(t)) return {};
  const sni = str(t['sni']);
  const ja3 = isObject(t['ja3']) ? str(t['ja3']['hash']) : undefined;
  const ja3s = isObject(t['ja3s']) ? str(t['ja3s']['hash']) : undefined;
  return {
    ServerName: sni,
    DestinationHostname: sni,
    TlsVersion: str(t['version']),
    TlsSubject: str(t['subject']),
    TlsIssuer: str(t['issuerdn']),
    TlsFingerprint: str(t['fingerprint']),
    TlsNotAfter: str(t['notafter']),
    Ja3: ja3,
    Ja3s: ja3s,
  };
}

/** Which Zeek log a record comes from: its `_path`, else what its fields show. */
export function zeekLogType(doc: Record<string, unknown>): string | undefined {
  const path = str(doc['_path']) ?? str(doc['log_type']);
  if (path !== undefined) return path;
  if (doc['note'] !== undefined) return 'notice';
  if (doc['query'] !== undefined || doc['qtype_name'] !== undefined || doc['rcode_name'] !== undefined)
    return 'dns';
  if (doc['method'] !== undefined || doc['status_code'] !== undefined || doc['user_agent'] !== undefined)
    return 'http';
  if (doc['server_name'] !== undefined || doc['cipher'] !== undefined || doc['ja3'] !== undefined)
    return 'ssl';
  if (doc['conn_state'] !== undefined || doc['proto'] !== undefined) return 'conn';
  return undefined;
}

/** Zeek's connection id, flattened (`id.orig_h`) or nested (`id: {orig_h}`) as JSON writers emit it. */
function zeekId(doc: Record<string, unknown>, part: 'orig_h' | 'orig_p' | 'resp_h' | 'resp_p'): unknown {
  if (doc[`id.${part}`] !== undefined) return doc[`id.${part}`];
  const id = doc['id'];
  return isObject(id) ? id[part] : undefined;
}

/** Zeek's own fields, flattened the way Sigma's zeek rules name them (`id.orig_h`). */
function zeekOwnFields(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'id' && isObject(v)) {
      for (const [ik, iv] of Object.entries(v)) out[`id.${ik}`] = iv;
    } else out[k] = v;
  }
  return out;
}

/**
 * One Zeek JSON log record as an event; `logType` names the log when the record does not
 * (`_path`), otherwise it is recognized by its fields.
 */
export function normalizeZeekLog(doc: unknown, now: number, logType?: string): NetworkRecordResult {
  if (!isObject(doc))
    return { ok: false, code: 'invalid_event', message: 'A Zeek log record is a JSON object.' };
  const type = logType ?? zeekLogType(doc);
  if (type === undefined)
    return { ok: false, code: 'invalid_event', message: 'Cannot tell which Zeek log the record is from.' };
  if (!(ZEEK_LOG_TYPES as readonly string[]).includes(type))
    return {
      ok: false,
      code: 'unsupported_event_type',
      message: `Zeek log "${type}" is not read (read: ${ZEEK_LOG_TYPES.join(', ')}).`,
    };
  const ts = parseInstant(doc['ts']) ?? now;
  const base: Record<string, unknown> = {
    ...zeekOwnFields(doc),
    ...endpoints(
      zeekId(doc, 'orig_h') ?? doc['src'],
      zeekId(doc, 'orig_p') ?? doc['p'],
      zeekId(doc, 'resp_h') ?? doc['dst'],
      zeekId(doc, 'resp_p'),
      doc['proto'],
    ),
    ZeekUid: str(doc['uid']),
    CommunityId: str(doc['community_id']),
    EventType: type,
  };
  const logsource: Logsource = { product: 'zeek', service: type };
  let severity: Severity | undefined;
  let title: string;
  let fields: Record<string, unknown> = base;
  switch (type) {
    case 'conn':
      logsource.category = 'network_connection';
      title = `conn ${String(base['SourceIp'] ?? '?')} → ${String(base['DestinationIp'] ?? '?')}:${String(base['DestinationPort'] ?? '?')}`;
      fields = {
        ...base,
        Initiated: 'true',
        AppProtocol: str(doc['service']),
        ConnState: str(doc['conn_state']),
        BytesToServer: int(doc['orig_bytes']),
        BytesToClient: int(doc['resp_bytes']),
        PacketsToServer: int(doc['orig_pkts']),
        PacketsToClient: int(doc['resp_pkts']),
      };
      break;
    case 'dns': {
      logsource.category = 'dns';
      const name = str(doc['query'])?.replace(/\.$/, '');
      title = `dns ${name ?? ''}`.trim();
      fields = {
        ...base,
        QueryName: name,
        query: name,
        record_type: str(doc['qtype_name']),
        answer: Array.isArray(doc['answers']) ? doc['answers'] : undefined,
        DnsRcode: str(doc['rcode_name']),
      };
      break;
    }
    case 'http': {
      logsource.category = 'proxy';
      const h = proxyFields({
        host: str(doc['host']),
        uri: str(doc['uri']),
        method: str(doc['method']),
        userAgent: str(doc['user_agent']),
        status: int(doc['status_code']),
        referrer: str(doc['referrer']),
        port: int(zeekId(doc, 'resp_p')),
      });
      title = `${String(h['cs-method'] ?? 'HTTP')} ${String(h['url'] ?? h['c-uri'] ?? '')}`.trim();
      // Zeek's own `host` and the proxy taxonomy's names are both kept.
      fields = { ...base, ...h };
      break;
    }
    case 'ssl': {
      const sni = str(doc['server_name']);
      title = `ssl ${sni ?? String(base['DestinationIp'] ?? '')}`.trim();
      fields = {
        ...base,
        ServerName: sni,
        DestinationHostname: sni,
        TlsVersion: str(doc['version']),
        TlsSubject: str(doc['subject']),
        TlsIssuer: str(doc['issuer']),
        Ja3: str(doc['ja3']),
        Ja3s: str(doc['ja3s']),
      };
      break;
    }
    default: {
      // notice
      severity = 'medium';
      const note = str(doc['note']) ?? 'notice';
      title = `${note}: ${str(doc['msg']) ?? ''}`.replace(/: $/, '');
      fields = { ...base, Note: note, Message: str(doc['msg']), SubMessage: str(doc['sub']) };
    }
  }
  const event: NormalizedEvent = { ts, source: 'zeek', logsource, title, fields: compact(fields) };
  if (severity !== undefined) event.severity = severity;
  return { ok: true, event, kind: type, host: undefined };
}

/** Reads a record of the given sensor kind. */
export function normalizeNetworkRecord(
  kind: NetworkSensorKind,
  doc: unknown,
  now: number,
): NetworkRecordResult {
  return kind === 'suricata' ? normalizeSuricataEve(doc, now) : normalizeZeekLog(doc, now);
}

/**
 * Which sensor wrote a JSON document, when it is a sensor record at all: an EVE record has
 * `event_type` and `timestamp` with `src_ip` or `flow_id`; a Zeek record `ts` with `uid` or
 * the connection id, or a `_path` naming a Zeek log.
 */
export function networkSensorOf(doc: Record<string, unknown>): NetworkSensorKind | undefined {
  if (
    typeof doc['event_type'] === 'string' &&
    doc['timestamp'] !== undefined &&
    (doc['src_ip'] !== undefined || doc['flow_id'] !== undefined)
  )
    return 'suricata';
  if (
    doc['ts'] !== undefined &&
    (typeof doc['uid'] === 'string' || doc['id.orig_h'] !== undefined || isObject(doc['id']))
  )
    return 'zeek';
  if (typeof doc['_path'] === 'string' && (ZEEK_LOG_TYPES as readonly string[]).includes(doc['_path']))
    return 'zeek';
  return undefined;
}
