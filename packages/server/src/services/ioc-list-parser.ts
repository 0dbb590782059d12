import { parseSeverity, type Severity } from '@harrier/schema';
import { guessIocType, IOC_TYPES, type IocType, normalizeIoc } from './ioc-matcher.ts';

/** One indicator read from a list. */
export interface ParsedIoc {
  /** Where it was read: the line (CSV, text) or the position of the object (STIX, MISP), from 1. */
  line: number;
  type: IocType;
  value: string;
  severity: Severity;
  source: string | null;
  description: string | null;
  expiresAt: number | null;
}

/** A line (or object) of a list that could not be read, or that was left out on purpose. */
export interface IocListProblem {
  line: number;
  message: string;
  /** Left out by the list's own say (MISP `to_ids: false`, a revoked STIX indicator), not an error. */
  skipped?: boolean;
  /** The value as the list gave it, when there was one. */
  value?: string;
}

/** What a reader of an indicator list returns. */
export interface IocListResult {
  indicators: ParsedIoc[];
  problems: IocListProblem[];
}

/** Defaults for what a list does not say. */
export interface IocListDefaults {
  type?: IocType | undefined;
  severity: Severity;
  source: string | null;
  expiresAt: number | null;
}

/** Splits one CSV record (RFC 4180 quoting). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

const TYPE_ALIASES: Record<string, IocType> = {
  hash: 'hash',
  md5: 'hash',
  sha1: 'hash',
  sha256: 'hash',
  'file-hash': 'hash',
  filehash: 'hash',
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  'ip-dst': 'ip',
  'ip-src': 'ip',
  cidr: 'cidr',
  network: 'cidr',
  domain: 'domain',
  hostname: 'domain',
  fqdn: 'domain',
  url: 'url',
  uri: 'url',
  email: 'email',
  'e-mail': 'email',
  'email-addr': 'email',
  'email-src': 'email',
  'email-dst': 'email',
  'sha-1': 'hash',
  'sha-256': 'hash',
};

function typeOf(raw: string | undefined, value: string): IocType | undefined {
  const t = raw?.trim().toLowerCase();
  if (t)
    return TYPE_ALIASES[t] ?? ((IOC_TYPES as readonly string[]).includes(t) ? (t as IocType) : undefined);
  // A value with a slash and an address before it is a range, whatever the list says.
  return guessIocType(value);
}

/**
 * One indicator from a list's raw strings: the type (named or guessed), the value in its
 * canonical form, severity and expiry parsed; a string says why it cannot be read.
 */
export function readIndicator(
  line: number,
  typeRaw: string | undefined,
  valueRaw: string,
  severityRaw: string | undefined,
  source: string | undefined,
  description: string | undefined,
  expiresRaw: string | undefined,
  defaults: IocListDefaults,
): ParsedIoc | string {
  const type = typeOf(typeRaw, valueRaw) ?? (typeRaw ? undefined : defaults.type);
  if (type === undefined)
    return typeRaw ? `unknown indicator type "${typeRaw}"` : `cannot tell the type of "${valueRaw}"`;
  // An address given as an "ip" with a prefix is a range.
  const effective: IocType = type === 'ip' && valueRaw.includes('/') ? 'cidr' : type;
  const value = normalizeIoc(effective, valueRaw);
  if (value === undefined) return `"${valueRaw}" is not a valid ${effective}`;
  let severity = defaults.severity;
  if (severityRaw) {
    const s = parseSeverity(severityRaw);
    if (s === undefined) return `unknown severity "${severityRaw}"`;
    severity = s;
  }
  let expiresAt = defaults.expiresAt;
  if (expiresRaw) {
    const t = Date.parse(expiresRaw);
    if (Number.isNaN(t)) return `expires_at "${expiresRaw}" is not a date`;
    expiresAt = t;
  }
  return {
    line,
    type: effective,
    value,
    severity,
    source: source || defaults.source,
    description: description || null,
    expiresAt,
  };
}

/**
 * Reads an indicator list: CSV with a header naming at least `value` (and
 * optionally `type`, `severity`, `source`, `description`, `expires_at`), or
 * plain text with one indicator per line (`#` comments, type guessed).
 */
export function parseIocList(text: string, format: 'csv' | 'text', defaults: IocListDefaults): IocListResult {
  const indicators: ParsedIoc[] = [];
  const problems: IocListProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (format === 'text') {
    lines.forEach((raw, i) => {
      const line = raw.replace(/\s#.*$/, '').trim();
      if (line === '' || line.startsWith('#')) return;
      const r = readIndicator(i + 1, undefined, line, undefined, undefined, undefined, undefined, defaults);
      if (typeof r === 'string') problems.push({ line: i + 1, message: r, value: line });
      else indicators.push(r);
    });
    return { indicators, problems };
  }
  let header: string[] | undefined;
  lines.forEach((raw, i) => {
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    const cells = csvFields(raw);
    if (header === undefined) {
      const names = cells.map((c) => c.toLowerCase());
      if (names.includes('value') || names.includes('indicator')) {
        header = names.map((n) => (n === 'indicator' ? 'value' : n));
        return;
      }
      // No header: `value[,type[,severity]]`.
      header = ['value', 'type', 'severity'];
    }
    const col = (name: string) => {
      const idx = header!.indexOf(name);
      return idx >= 0 ? cells[idx] : undefined;
    };
    const value = col('value');
    if (!value) {
      problems.push({ line: i + 1, message: 'no value' });
      return;
    }
    const r = readIndicator(
      i + 1,
      col('type'),
      value,
      col('severity'),
      col('source'),
      col('description'),
      col('expires_at') ?? col('expiry'),
      defaults,
    );
    if (typeof r === 'string') problems.push({ line: i + 1, message: r, value });
    else indicators.push(r);
  });
  return { indicators, problems };
}
