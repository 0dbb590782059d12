import { isAbsolute, join, resolve } from 'node:path';
import { parseSeverity, type Severity } from '@harrier/schema';
import { loadSyslogConfig, SYSLOG_CONFIG_VARIABLES, type SyslogConfig } from './syslog-config.ts';

/** A configuration value that stops start-up; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; absent means embedded SQLite under `dataDir`. */
  databaseUrl: string | undefined;
  pgSchema: string;
  /** Most PostgreSQL connections this process opens (writer, API reads, hunts share them). */
  pgPoolMax: number;
  /** Events, heartbeats and rollups older than this many days are removed hourly; 0 keeps everything. */
  retentionDays: number;
  /** Absent means: read or generate `<dataDir>/secret`. */
  secret: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  logLevel: LogLevel;
  adminEmail: string;
  adminPassword: string | undefined;
  /** Largest request body accepted on the wire. */
  maxBodyBytes: number;
  /** Largest body after gzip decompression. */
  maxDecompressedBytes: number;
  /** Most events in one ingest batch. */
  maxBatchEvents: number;
  /** A device with no heartbeat for this long is offline. */
  offlineAfterSeconds: number;
  /** SQLite `synchronous` mode: NORMAL survives a process crash; FULL also a power loss. */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Syslog listeners for log shippers (off by default). */
  syslog: SyslogConfig;
  /** Origins allowed to call the API from a browser; empty means CORS is closed. */
  corsOrigins: string[];
  /** Refuse plain HTTP (behind a trusted proxy, `X-Forwarded-Proto: https` counts as HTTPS). */
  requireHttps: boolean;
  /** Proxy addresses or CIDRs whose `X-Forwarded-For`/`-Proto` headers are believed. */
  trustedProxies: string[];
  /** Seed 003's self-registration (`POST /api/auth/register/`), closed by default. */
  allowRegistration: boolean;
  /** Requests per minute per client address to each login, refresh or registration route. */
  authRateLimitPerMinute: number;
  /** Requests per minute per caller to each other API route. */
  apiRateLimitPerMinute: number;
  /** Events at or above this severity raise an alert by themselves (seed 003); null: never. */
  alertMinEventSeverity: Severity | null;
  /** Seconds between decision engine passes (one pass also runs at start); 0: at start only. */
  decisionIntervalSeconds: number;
  /** Seconds between fetches of the indicator feeds; 0 (the default): feeds are fetched on request only. */
  iocFeedIntervalSeconds: number;
  /** Seed 004's network ingest caps: most records and bytes in one `POST /ingest/network/bulk`. */
  networkIngestMaxEvents: number;
  networkIngestMaxBytes: number;
  /** Seconds between insight passes over devices that received events; 0: at start only. */
  insightsIntervalSeconds: number;
  /** Seed 002's `EM_METRICS_TOKEN`: `GET /internal/metrics` requires it in `X-Metrics-Token` when set. */
  metricsToken: string | undefined;
  /** Outgoing mail (notifications, handovers); undefined: e-mail is off. */
  smtp: SmtpConfig | undefined;
  /** Webhooks may target loopback, link-local and private addresses (tests, lab networks). */
  webhookAllowPrivate: boolean;
  /** Seconds between keepalives of the live feed, each also rechecking the connection's credential. */
  streamPingSeconds: number;
  /** NATS server of a scaled-out deployment (roles in separate processes); undefined: one process. */
  natsUrl: string | undefined;
  /** Partitions of the event stream (detection work is spread by organization and device). */
  natsPartitions: number;
  /** Largest backlog the event stream holds before ingest answers `overloaded`. */
  natsStreamMaxBytes: number;
  /** Most committed events waiting for in-process detection before ingest answers `overloaded`. */
  maxPendingEvents: number;
  /** Alerts at or above this severity open a case by themselves; null: never (the default). */
  autoCaseMinSeverity: Severity | null;
  /** Folder of case attachments (default `<data dir>/attachments`). */
  attachmentDir: string;
  /** Largest case attachment accepted. */
  attachmentMaxBytes: number;
  /** Largest file or e-mail accepted for static analysis. */
  analysisMaxBytes: number;
}

/** `HARRIER_SMTP_URL` parsed: smtp:// (STARTTLS when offered) or smtps:// (TLS from the start). */
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  from: string;
}

type Env = Record<string, string | undefined>;

/** Describes every variable once: README's table is generated from the same list. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'HARRIER_HOST', default: '127.0.0.1', meaning: 'Address the HTTP server binds to.' },
  { name: 'HARRIER_PORT', default: '8080', meaning: 'TCP port of the API and console.' },
  { name: 'HARRIER_DATA_DIR', default: './data', meaning: 'SQLite database, generated secret, attachments.' },
  {
    name: 'DATABASE_URL',
    default: '(unset: SQLite)',
    meaning: '`postgres://user@host:5432/db` selects PostgreSQL.',
  },
  { name: 'HARRIER_PG_SCHEMA', default: 'harrier', meaning: 'PostgreSQL schema holding all tables.' },
  {
    name: 'HARRIER_PG_POOL_MAX',
    default: '10',
    meaning:
      'Most PostgreSQL connections per process (ingest writer, API and hunts share them); keep the sum over all processes below `max_connections`.',
  },
  {
    name: 'HARRIER_RETENTION_DAYS',
    default: '0',
    meaning:
      'Keep events (and their rollups, heartbeats, batch records) this many days, removed hourly: whole day partitions on PostgreSQL, small batched deletes on SQLite. 0 keeps everything. `harrier maintenance --days N` runs it once.',
  },
  {
    name: 'HARRIER_SECRET',
    default: '(generated)',
    meaning:
      'Server secret (≥32 chars) from which device secrets are derived; generated into `<data dir>/secret` when unset.',
  },
  {
    name: 'HARRIER_TLS_CERT',
    default: '(unset)',
    meaning: 'PEM certificate file; with HARRIER_TLS_KEY serves HTTPS.',
  },
  { name: 'HARRIER_TLS_KEY', default: '(unset)', meaning: 'PEM private key file for HTTPS.' },
  {
    name: 'HARRIER_LOG_LEVEL',
    default: 'info',
    meaning: 'fatal, error, warn, info, debug, trace or silent.',
  },
  {
    name: 'HARRIER_ADMIN_EMAIL',
    default: 'admin@localhost',
    meaning: 'E-mail of the admin created on first run.',
  },
  {
    name: 'HARRIER_ADMIN_PASSWORD',
    default: '(generated, printed once)',
    meaning: 'Password of the admin created on first run (≥12 chars).',
  },
  {
    name: 'HARRIER_MAX_BODY_BYTES',
    default: '10485760',
    meaning: 'Largest request body accepted on the wire.',
  },
  {
    name: 'HARRIER_MAX_DECOMPRESSED_BYTES',
    default: '52428800',
    meaning: 'Largest ingest body after gzip decompression.',
  },
  { name: 'HARRIER_MAX_BATCH_EVENTS', default: '10000', meaning: 'Most events in one ingest batch.' },
  {
    name: 'HARRIER_OFFLINE_AFTER_SECONDS',
    default: '120',
    meaning: 'A device without a heartbeat for this long is shown offline.',
  },
  {
    name: 'HARRIER_SQLITE_SYNCHRONOUS',
    default: 'NORMAL',
    meaning: 'NORMAL: acknowledged data survives a process crash; FULL: also a power loss (slower).',
  },
  {
    name: 'HARRIER_CORS_ORIGINS',
    default: '(unset: closed)',
    meaning:
      'Comma-separated origins (`https://console.example.com`) allowed to call the API from a browser.',
  },
  {
    name: 'HARRIER_REQUIRE_HTTPS',
    default: 'false',
    meaning: 'true: refuse plain HTTP with 403 (except /health and /ready).',
  },
  {
    name: 'HARRIER_TRUSTED_PROXIES',
    default: '(unset)',
    meaning:
      'Comma-separated proxy addresses/CIDRs whose X-Forwarded-For and X-Forwarded-Proto are believed.',
  },
  {
    name: 'HARRIER_ALLOW_REGISTRATION',
    default: 'false',
    meaning: 'true: open seed 003 self-registration (new users always get the analyst role).',
  },
  {
    name: 'HARRIER_AUTH_RATE_LIMIT_PER_MINUTE',
    default: '60',
    meaning: 'Requests per minute per client address to each login, refresh and registration route.',
  },
  {
    name: 'HARRIER_API_RATE_LIMIT_PER_MINUTE',
    default: '1200',
    meaning: 'Requests per minute per user or token to each other API route.',
  },
  {
    name: 'HARRIER_ALERT_MIN_EVENT_SEVERITY',
    default: 'high',
    meaning:
      'Events at or above this severity (low, medium, high, critical) raise an alert by themselves; `off` disables.',
  },
  {
    name: 'HARRIER_DECISION_INTERVAL',
    default: '60',
    meaning:
      'Seconds between decision engine passes over recent alerts (one pass runs at start); 0: at start only.',
  },
  {
    name: 'HARRIER_IOC_FEED_INTERVAL',
    default: '0',
    meaning:
      'Seconds between fetches of the indicator feeds (`/api/v1/intel/feeds`: CSV, plain, STIX 2.1 or MISP URLs); 0: never on a schedule, only on request.',
  },
  {
    name: 'HARRIER_NETWORK_INGEST_MAX_EVENTS',
    default: '1000',
    meaning:
      'Most sensor records in one `POST /ingest/network/bulk` (more: 413), seed 004’s `NETWORK_INGEST_MAX_EVENTS`.',
  },
  {
    name: 'HARRIER_NETWORK_INGEST_MAX_BYTES',
    default: '5000000',
    meaning:
      'Largest `POST /ingest/network/bulk` body in bytes (larger: 413), seed 004’s `NETWORK_INGEST_MAX_BYTES`.',
  },
  {
    name: 'HARRIER_SMTP_URL',
    default: '(unset: no e-mail)',
    meaning:
      '`smtp://user:pass@host:587?from=harrier@example.com` (STARTTLS when offered) or `smtps://…:465`: notification and handover e-mail.',
  },
  {
    name: 'HARRIER_WEBHOOK_ALLOW_PRIVATE',
    default: 'false',
    meaning: 'true: webhooks may target loopback, link-local and private addresses (refused otherwise).',
  },
  {
    name: 'HARRIER_STREAM_PING_SECONDS',
    default: '25',
    meaning:
      'Seconds between live feed keepalives (below proxy idle timeouts); each also ends a feed whose credential expired.',
  },
  {
    name: 'HARRIER_AUTO_CASE_MIN_SEVERITY',
    default: 'off',
    meaning:
      'Alerts at or above this severity (low, medium, high, critical) open a case by themselves (one per alert); `off` disables.',
  },
  {
    name: 'HARRIER_ATTACHMENT_DIR',
    default: '<data dir>/attachments',
    meaning: 'Folder where case attachments are stored.',
  },
  {
    name: 'HARRIER_ATTACHMENT_MAX_BYTES',
    default: '10485760',
    meaning: 'Largest case attachment accepted (larger: 413 `attachment_too_large`).',
  },
  {
    name: 'HARRIER_ANALYSIS_MAX_BYTES',
    default: '33554432',
    meaning: 'Largest file or e-mail accepted for static analysis (larger: 413 `payload_too_large`).',
  },
  {
    name: 'HARRIER_INSIGHTS_INTERVAL',
    default: '60',
    meaning:
      'Seconds between insight passes (risk, daily brief, insights) over devices that received events; 0: at start only.',
  },
  {
    name: 'EM_METRICS_TOKEN',
    default: '(unset: open)',
    meaning:
      'Seed 002: when set, `GET /internal/metrics` requires it in `X-Metrics-Token` (compared in constant time).',
  },
  {
    name: 'HARRIER_NATS_URL',
    default: '(unset: one process)',
    meaning:
      '`nats://host:4222` (JetStream enabled): ingest, detection and API run as separate roles (`harrier serve --role`); needs DATABASE_URL.',
  },
  {
    name: 'HARRIER_NATS_PARTITIONS',
    default: '8',
    meaning: 'Partitions of the event stream, shared out among detection workers; the same in every process.',
  },
  {
    name: 'HARRIER_NATS_STREAM_MAX_BYTES',
    default: '1073741824',
    meaning: 'Largest detection backlog the event stream holds; beyond it ingest answers 503 `overloaded`.',
  },
  {
    name: 'HARRIER_MAX_PENDING_EVENTS',
    default: '200000',
    meaning:
      'Most committed events waiting for in-process detection; beyond it ingest answers 503 `overloaded`.',
  },
  ...SYSLOG_CONFIG_VARIABLES,
];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string): boolean {
  const raw = optional(env, name)?.toLowerCase();
  if (raw === undefined) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function list(env: Env, name: string): string[] {
  return (optional(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** A folder, relative paths taken from the working directory. */
function pathIn(env: Env, name: string, fallback: string, cwd: string): string {
  const raw = optional(env, name) ?? fallback;
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

/** A severity threshold, or null for `off`. */
function severityOrOff(env: Env, name: string, fallback: string): Severity | null {
  const raw = optional(env, name) ?? fallback;
  if (['off', 'none', 'false'].includes(raw.toLowerCase())) return null;
  const severity = parseSeverity(raw);
  if (severity === undefined) throw new ConfigError(name, 'must be low, medium, high, critical or off');
  return severity;
}

function natsUrl(env: Env, databaseUrl: string | undefined): string | undefined {
  const raw = optional(env, 'HARRIER_NATS_URL');
  if (raw === undefined) return undefined;
  for (const server of raw.split(',')) {
    let url: URL | undefined;
    try {
      url = new URL(server.trim());
    } catch {
      url = undefined;
    }
    if (!url || !['nats:', 'tls:'].includes(url.protocol)) {
      throw new ConfigError('HARRIER_NATS_URL', `not a nats:// URL: "${server.trim()}"`);
    }
  }
  // Roles in separate processes share their state through PostgreSQL.
  if (databaseUrl === undefined) throw new ConfigError('HARRIER_NATS_URL', 'needs DATABASE_URL (PostgreSQL)');
  return raw;
}

/**
 * Reads and validates the configuration once at start-up. Throws a `ConfigError`
 * naming the first bad variable; the CLI prints it on one line and exits 1.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const host = optional(env, 'HARRIER_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host))
    throw new ConfigError('HARRIER_HOST', `not a host name or address: "${host}"`);

  const dataDir = pathIn(env, 'HARRIER_DATA_DIR', './data', cwd);

  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL', 'not a URL; expected postgres://user@host:5432/database');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `unsupported scheme "${url.protocol}"; expected postgres://`);
    }
  }

  const pgSchema = optional(env, 'HARRIER_PG_SCHEMA') ?? 'harrier';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) {
    throw new ConfigError('HARRIER_PG_SCHEMA', 'must be a lower-case SQL identifier (letters, digits, _)');
  }

  const secret = optional(env, 'HARRIER_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('HARRIER_SECRET', 'must be at least 32 characters');
  }

  const tlsCert = optional(env, 'HARRIER_TLS_CERT');
  const tlsKey = optional(env, 'HARRIER_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(
      tlsCert === undefined ? 'HARRIER_TLS_CERT' : 'HARRIER_TLS_KEY',
      'set both HARRIER_TLS_CERT and HARRIER_TLS_KEY, or neither',
    );
  }

  const logLevelRaw = (optional(env, 'HARRIER_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    throw new ConfigError('HARRIER_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const adminEmail = optional(env, 'HARRIER_ADMIN_EMAIL') ?? 'admin@localhost';
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail))
    throw new ConfigError('HARRIER_ADMIN_EMAIL', 'not an e-mail address');
  const adminPassword = optional(env, 'HARRIER_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('HARRIER_ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const sync = (optional(env, 'HARRIER_SQLITE_SYNCHRONOUS') ?? 'NORMAL').toUpperCase();
  if (sync !== 'NORMAL' && sync !== 'FULL')
    throw new ConfigError('HARRIER_SQLITE_SYNCHRONOUS', 'must be NORMAL or FULL');

  const corsOrigins = list(env, 'HARRIER_CORS_ORIGINS');
  for (const origin of corsOrigins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
      throw new ConfigError('HARRIER_CORS_ORIGINS', `not an origin (scheme://host[:port]): "${origin}"`);
    }
  }
  const trustedProxies = list(env, 'HARRIER_TRUSTED_PROXIES');
  for (const proxy of trustedProxies) {
    if (!/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(proxy)) {
      throw new ConfigError('HARRIER_TRUSTED_PROXIES', `not an address or CIDR: "${proxy}"`);
    }
  }

  const alertMinEventSeverity = severityOrOff(env, 'HARRIER_ALERT_MIN_EVENT_SEVERITY', 'high');

  return {
    host,
    port: integer(env, 'HARRIER_PORT', 8080, 0, 65535),
    dataDir,
    databaseUrl,
    pgSchema,
    pgPoolMax: integer(env, 'HARRIER_PG_POOL_MAX', 10, 1, 1000),
    retentionDays: integer(env, 'HARRIER_RETENTION_DAYS', 0, 0, 36_500),
    secret,
    tlsCert,
    tlsKey,
    logLevel: logLevelRaw as LogLevel,
    adminEmail,
    adminPassword,
    maxBodyBytes: integer(env, 'HARRIER_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxDecompressedBytes: integer(
      env,
      'HARRIER_MAX_DECOMPRESSED_BYTES',
      50 * 1024 * 1024,
      1024,
      4 * 1024 * 1024 * 1024,
    ),
    maxBatchEvents: integer(env, 'HARRIER_MAX_BATCH_EVENTS', 10_000, 1, 1_000_000),
    offlineAfterSeconds: integer(env, 'HARRIER_OFFLINE_AFTER_SECONDS', 120, 10, 86_400 * 30),
    sqliteSynchronous: sync,
    syslog: loadSyslogConfig(env, host),
    corsOrigins,
    requireHttps: boolean(env, 'HARRIER_REQUIRE_HTTPS'),
    trustedProxies,
    allowRegistration: boolean(env, 'HARRIER_ALLOW_REGISTRATION'),
    authRateLimitPerMinute: integer(env, 'HARRIER_AUTH_RATE_LIMIT_PER_MINUTE', 60, 1, 1_000_000),
    apiRateLimitPerMinute: integer(env, 'HARRIER_API_RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    alertMinEventSeverity,
    decisionIntervalSeconds: integer(env, 'HARRIER_DECISION_INTERVAL', 60, 0, 86_400),
    iocFeedIntervalSeconds: integer(env, 'HARRIER_IOC_FEED_INTERVAL', 0, 0, 7 * 86_400),
    networkIngestMaxEvents: integer(env, 'HARRIER_NETWORK_INGEST_MAX_EVENTS', 1000, 1, 1_000_000),
    networkIngestMaxBytes: integer(env, 'HARRIER_NETWORK_INGEST_MAX_BYTES', 5_000_000, 1024, 1_000_000_000),
    insightsIntervalSeconds: integer(env, 'HARRIER_INSIGHTS_INTERVAL', 60, 0, 86_400),
    metricsToken: optional(env, 'EM_METRICS_TOKEN'),
    smtp: parseSmtpUrl(optional(env, 'HARRIER_SMTP_URL')),
    webhookAllowPrivate: boolean(env, 'HARRIER_WEBHOOK_ALLOW_PRIVATE'),
    streamPingSeconds: integer(env, 'HARRIER_STREAM_PING_SECONDS', 25, 1, 3600),
    natsUrl: natsUrl(env, databaseUrl),
    natsPartitions: integer(env, 'HARRIER_NATS_PARTITIONS', 8, 1, 1024),
    natsStreamMaxBytes: integer(env, 'HARRIER_NATS_STREAM_MAX_BYTES', 1024 * 1024 * 1024, 1024, 2 ** 50),
    maxPendingEvents: integer(env, 'HARRIER_MAX_PENDING_EVENTS', 200_000, 1, 100_000_000),
    autoCaseMinSeverity: severityOrOff(env, 'HARRIER_AUTO_CASE_MIN_SEVERITY', 'off'),
    attachmentDir: pathIn(env, 'HARRIER_ATTACHMENT_DIR', join(dataDir, 'attachments'), cwd),
    attachmentMaxBytes: integer(env, 'HARRIER_ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    analysisMaxBytes: integer(env, 'HARRIER_ANALYSIS_MAX_BYTES', 32 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  };
}

function parseSmtpUrl(raw: string | undefined): SmtpConfig | undefined {
  if (raw === undefined) return undefined;
  const name = 'HARRIER_SMTP_URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'not a URL; expected smtp://user:pass@host:587?from=harrier@example.com');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(name, `unsupported scheme "${url.protocol}"; expected smtp:// or smtps://`);
  }
  if (url.hostname === '') throw new ConfigError(name, 'names no host');
  const secure = url.protocol === 'smtps:';
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const from = url.searchParams.get('from') ?? `harrier@${url.hostname}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from) && !/<[^\s@<>]+@[^\s@<>]+>\s*$/.test(from)) {
    throw new ConfigError(name, `from= is not an e-mail address: "${from}"`);
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    user,
    password,
    from,
  };
}
