import { ConfigError } from './config.ts';

/** One rule of the sender → organization map: a host-name glob (or address) and an org slug. */
export interface SyslogOrgRule {
  pattern: string;
  /** The compiled glob (`*` any run of characters, case-insensitive). */
  match: RegExp;
  orgSlug: string;
}

/** The syslog listeners (TCP and UDP), off unless a port is set. */
export interface SyslogConfig {
  host: string;
  /** undefined: no TCP listener; 0: any free port (tests). */
  tcpPort: number | undefined;
  udpPort: number | undefined;
  /** First match wins; checked against the message's HOSTNAME, then the sender's address. */
  orgMap: SyslogOrgRule[];
  /** Organization slug of senders no rule maps; null drops them. */
  defaultOrg: string | null;
  /** Largest message accepted (TCP frame or datagram). */
  maxMessageBytes: number;
}

type Env = Record<string, string | undefined>;

/** The syslog variables, appended to CONFIG_VARIABLES (and so to README's table). */
export const SYSLOG_CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  {
    name: 'HARRIER_SYSLOG_TCP_PORT',
    default: '(unset: off)',
    meaning: 'TCP port of the syslog listener (RFC 5424 octet-counted or RFC 3164/5424 newline-framed).',
  },
  {
    name: 'HARRIER_SYSLOG_UDP_PORT',
    default: '(unset: off)',
    meaning: 'UDP port of the syslog listener (one message per datagram).',
  },
  {
    name: 'HARRIER_SYSLOG_HOST',
    default: '(HARRIER_HOST)',
    meaning: 'Address the syslog listeners bind to.',
  },
  {
    name: 'HARRIER_SYSLOG_ORG_MAP',
    default: '(unset)',
    meaning:
      'Comma-separated `host-glob=org-slug` rules (`web-*=acme,10.0.0.7=ops`) mapping a sender (HOSTNAME, else address) to an organization; a message may also carry `[harrier token="hat_…"]` structured data.',
  },
  {
    name: 'HARRIER_SYSLOG_DEFAULT_ORG',
    default: 'default',
    meaning: 'Organization slug of syslog senders no rule maps; `none` drops their messages.',
  },
  {
    name: 'HARRIER_SYSLOG_MAX_MESSAGE_BYTES',
    default: '65536',
    meaning: 'Largest syslog message (TCP frame or UDP datagram) accepted.',
  },
];

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function port(env: Env, name: string): number | undefined {
  const raw = optional(env, name);
  if (raw === undefined || raw.toLowerCase() === 'off') return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a port number (0–65535) or off, got "${raw}"`);
  }
  return Number(raw);
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Reads the syslog listener variables; `host` is HARRIER_HOST's value. */
export function loadSyslogConfig(env: Env, host: string): SyslogConfig {
  const orgMap: SyslogOrgRule[] = [];
  for (const entry of (optional(env, 'HARRIER_SYSLOG_ORG_MAP') ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.lastIndexOf('=');
    const pattern = entry.slice(0, eq).trim();
    const orgSlug = entry
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (eq <= 0 || !/^[A-Za-z0-9.*:_-]{1,255}$/.test(pattern) || !SLUG.test(orgSlug)) {
      throw new ConfigError('HARRIER_SYSLOG_ORG_MAP', `expected host-glob=org-slug, got "${entry.trim()}"`);
    }
    orgMap.push({ pattern, match: globToRegExp(pattern), orgSlug });
  }
  const defaultRaw = (optional(env, 'HARRIER_SYSLOG_DEFAULT_ORG') ?? 'default').toLowerCase();
  if (defaultRaw !== 'none' && !SLUG.test(defaultRaw)) {
    throw new ConfigError('HARRIER_SYSLOG_DEFAULT_ORG', `not an organization slug: "${defaultRaw}"`);
  }
  const syslogHost = optional(env, 'HARRIER_SYSLOG_HOST') ?? host;
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(syslogHost)) {
    throw new ConfigError('HARRIER_SYSLOG_HOST', `not a host name or address: "${syslogHost}"`);
  }
  const maxRaw = optional(env, 'HARRIER_SYSLOG_MAX_MESSAGE_BYTES') ?? '65536';
  if (!/^\d+$/.test(maxRaw) || Number(maxRaw) < 480 || Number(maxRaw) > 16 * 1024 * 1024) {
    throw new ConfigError(
      'HARRIER_SYSLOG_MAX_MESSAGE_BYTES',
      'must be a whole number between 480 and 16777216',
    );
  }
  return {
    host: syslogHost,
    tcpPort: port(env, 'HARRIER_SYSLOG_TCP_PORT'),
    udpPort: port(env, 'HARRIER_SYSLOG_UDP_PORT'),
    orgMap,
    defaultOrg: defaultRaw === 'none' ? null : defaultRaw,
    maxMessageBytes: Number(maxRaw),
  };
}
