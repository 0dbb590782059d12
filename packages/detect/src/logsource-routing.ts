/**
 * Logsource routing: which rules an event can reach, and which Sigma logsource an event shape
 * belongs to. The mappings are data (const tables); Windows channel/EventID tables are shared
 * with the schema's Windows normalizer.
 */
import { type Logsource, routingCategories, windowsLogsource } from '@harrier/schema';

/**
 * Harrier agent event `type` → Sigma category. Agent events carry the OS in `os`/`platform`,
 * which becomes the product.
 */
export const AGENT_EVENT_CATEGORIES: Readonly<Record<string, Logsource>> = {
  process_start: { category: 'process_creation' },
  process_creation: { category: 'process_creation' },
  process_exit: { category: 'process_termination' },
  process_end: { category: 'process_termination' },
  network_connection: { category: 'network_connection' },
  network_connect: { category: 'network_connection' },
  network_listen: { category: 'network_connection' },
  dns_query: { category: 'dns_query' },
  file_change: { category: 'file_event' },
  file_create: { category: 'file_event' },
  file_write: { category: 'file_event' },
  file_delete: { category: 'file_delete' },
  file_rename: { category: 'file_rename' },
  file_access: { category: 'file_access' },
  image_load: { category: 'image_load' },
  module_load: { category: 'image_load' },
  driver_load: { category: 'driver_load' },
  registry_set: { category: 'registry_set' },
  registry_add: { category: 'registry_add' },
  registry_delete: { category: 'registry_delete' },
  auth: { service: 'auth' },
  login: { service: 'auth' },
  logon: { service: 'auth' },
  persistence: { category: 'persistence' },
};

/** Linux syslog programs/facilities whose lines Sigma files under `service: auth`. */
const AUTH_PROGRAMS = new Set([
  'sshd',
  'sudo',
  'su',
  'login',
  'passwd',
  'useradd',
  'userdel',
  'groupadd',
  'pam',
  'systemd-logind',
]);
const AUTH_FACILITIES = new Set(['auth', 'authpriv', '4', '10']);

/** auditd record types (a subset is enough to recognise the shape). */
const AUDITD_TYPES = new Set([
  'SYSCALL',
  'EXECVE',
  'PATH',
  'CWD',
  'PROCTITLE',
  'SOCKADDR',
  'USER_LOGIN',
  'USER_AUTH',
  'USER_START',
  'USER_END',
  'USER_CMD',
  'CRED_ACQ',
  'CRED_DISP',
  'SERVICE_START',
  'SERVICE_STOP',
  'CONFIG_CHANGE',
  'ADD_USER',
  'DEL_USER',
  'ADD_GROUP',
  'USER_ACCT',
  'LOGIN',
  'ANOM_ABEND',
  'BPF',
  'TTY',
]);

const PRODUCT_ALIASES: Readonly<Record<string, string>> = {
  windows: 'windows',
  win32: 'windows',
  linux: 'linux',
  darwin: 'macos',
  macos: 'macos',
  osx: 'macos',
};

/** Hints from the transport: which normalizer produced the fields, and the endpoint's OS. */
export interface LogsourceHint {
  source?: string;
  product?: string;
}

function productOf(v: unknown): string | undefined {
  return typeof v === 'string' ? PRODUCT_ALIASES[v.toLowerCase()] : undefined;
}

/**
 * The Sigma logsource of an event, from its fields (and an optional hint): Windows by
 * Channel/EventID, auditd by record type, syslog/auth by program/facility, Harrier agent events
 * by `type`, macOS by the hint or an `os` field.
 */
export function resolveLogsource(
  fields: Readonly<Record<string, unknown>>,
  hint: LogsourceHint = {},
): Logsource {
  const hinted = productOf(hint.product);
  if (fields['Channel'] !== undefined || (fields['EventID'] !== undefined && hint.source !== 'native')) {
    const eid = typeof fields['EventID'] === 'number' ? fields['EventID'] : Number(fields['EventID']);
    const ch = typeof fields['Channel'] === 'string' ? fields['Channel'] : undefined;
    return windowsLogsource(ch, Number.isFinite(eid) ? eid : undefined);
  }
  const type = typeof fields['type'] === 'string' ? fields['type'] : undefined;
  if (
    hint.source === 'auditd' ||
    (type !== undefined && AUDITD_TYPES.has(type)) ||
    /^audit\(/.test(String(fields['msg'] ?? ''))
  ) {
    return { product: 'linux', service: 'auditd' };
  }
  if (type !== undefined) {
    const agent = AGENT_EVENT_CATEGORIES[type];
    if (agent !== undefined) {
      const product = hinted ?? productOf(fields['os']) ?? productOf(fields['platform']);
      return product !== undefined ? { product, ...agent } : { ...agent };
    }
  }
  if (
    hint.source === 'syslog' ||
    hint.source === 'journal' ||
    fields['facility'] !== undefined ||
    fields['program'] !== undefined
  ) {
    const program = String(
      fields['program'] ?? fields['appname'] ?? fields['SYSLOG_IDENTIFIER'] ?? '',
    ).toLowerCase();
    const facility = String(fields['facility'] ?? fields['SYSLOG_FACILITY'] ?? '').toLowerCase();
    const product = hinted ?? 'linux';
    if (AUTH_PROGRAMS.has(program) || AUTH_FACILITIES.has(facility)) return { product, service: 'auth' };
    if (program === 'cron' || program === 'crond') return { product, service: 'cron' };
    return { product, service: 'syslog' };
  }
  if (hinted === 'macos' || productOf(fields['os']) === 'macos') {
    return { product: 'macos' };
  }
  return hinted !== undefined ? { product: hinted } : {};
}

/** Routing key of an event logsource (used to cache the rule bucket for it). */
export function logsourceKey(ls: Logsource): string {
  return `${ls.product ?? ''}\u0000${ls.category ?? ''}\u0000${ls.service ?? ''}`;
}

/**
 * True when a rule with logsource `rule` receives events of logsource `event`: every part the
 * rule names must match (categories include aliases such as registry_set → registry_event).
 */
export function ruleAcceptsLogsource(rule: Logsource, event: Logsource): boolean {
  if (rule.product !== undefined && rule.product !== event.product?.toLowerCase()) return false;
  if (rule.service !== undefined && rule.service !== event.service?.toLowerCase()) return false;
  if (
    rule.category !== undefined &&
    !routingCategories(event.category?.toLowerCase()).includes(rule.category)
  ) {
    return false;
  }
  return true;
}
