import { parseSeverity, type Severity } from '@harrier/schema';
import {
  type IocListDefaults,
  type IocListProblem,
  type IocListResult,
  type ParsedIoc,
  readIndicator,
} from './ioc-list-parser.ts';

/** STIX object paths of a pattern comparison → the indicator type they hold. */
const PATH_TYPES: ReadonlyArray<{ path: RegExp; type: string }> = [
  {
    path: /^file:hashes\.(?:'(?:MD5|SHA-1|SHA-256|SHA-512|SHA1|SHA256)'|MD5|SHA1|SHA256|SHA512)$/i,
    type: 'hash',
  },
  { path: /^artifact:hashes\./i, type: 'hash' },
  { path: /^ipv4-addr:value$/, type: 'ip' },
  { path: /^ipv6-addr:value$/, type: 'ip' },
  { path: /^network-traffic:(?:dst|src)_ref\.value$/, type: 'ip' },
  { path: /^domain-name:value$/, type: 'domain' },
  { path: /^url:value$/, type: 'url' },
  { path: /^email-addr:value$/, type: 'email' },
  { path: /^email-message:(?:from|sender)_ref\.value$/, type: 'email' },
];

// One comparison: `object-path = 'value'` (quotes inside values are backslash-escaped).
const COMPARISON = /^\s*([a-z0-9-]+:[A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$/;

/** The comparisons of a STIX pattern that each identify an indicator on their own. */
function comparisonsOf(pattern: string): Array<{ path: string; value: string }> | string {
  const p = pattern.trim();
  if (!p.startsWith('[') || !p.endsWith(']')) return 'the pattern is not a STIX comparison expression';
  const out: Array<{ path: string; value: string }> = [];
  // `[a = 'x'] OR [b = 'y']` and `[a = 'x' OR b = 'y']`: each term stands alone. An AND only
  // holds with its partner, so matching one side would over-alert: such patterns are refused.
  const observations = p.slice(1, -1).split(/\]\s*OR\s*\[/);
  for (const observation of observations) {
    if (/\]\s*(?:AND|FOLLOWEDBY)\s*\[|\sAND\s/.test(observation))
      return 'patterns joined by AND are not matched (each side alone would over-match)';
    for (const term of observation.split(/\s+OR\s+/)) {
      const m = COMPARISON.exec(term);
      if (!m) return `unsupported comparison "${term.trim().slice(0, 120)}" (only = is matched)`;
      out.push({ path: m[1]!, value: m[2]!.replace(/\\(.)/g, '$1') });
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A STIX `confidence` (0–100) as a severity, when the indicator gives one. */
function severityOf(o: Record<string, unknown>, fallback: Severity): Severity {
  const labels = Array.isArray(o['labels']) ? o['labels'] : [];
  for (const l of labels) {
    const s = typeof l === 'string' ? parseSeverity(l) : undefined;
    if (s !== undefined) return s;
  }
  const c = o['confidence'];
  if (typeof c === 'number') return c >= 85 ? 'critical' : c >= 60 ? 'high' : c >= 30 ? 'medium' : 'low';
  return fallback;
}

/**
 * Reads a STIX 2.1 bundle (or a lone indicator, or a list of objects): each `indicator`
 * with `pattern_type: stix` gives one indicator per `=` comparison on a file hash, an
 * IPv4/IPv6 address or range, a domain name, a URL or an e-mail address. `valid_until`
 * becomes the expiry, the creating identity's name the source, the name and description
 * the description. Revoked and expired indicators are skipped; other objects are ignored.
 */
export function parseStixBundle(text: string, defaults: IocListDefaults, now = Date.now()): IocListResult {
  const indicators: ParsedIoc[] = [];
  const problems: IocListProblem[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { indicators, problems: [{ line: 0, message: `not JSON: ${(error as Error).message}` }] };
  }
  const objects = Array.isArray(doc)
    ? doc
    : isObject(doc) && Array.isArray(doc['objects'])
      ? doc['objects']
      : isObject(doc) && doc['type'] === 'indicator'
        ? [doc]
        : undefined;
  if (objects === undefined) {
    return { indicators, problems: [{ line: 0, message: 'not a STIX bundle: no "objects" list' }] };
  }
  const identities = new Map<string, string>();
  for (const o of objects)
    if (
      isObject(o) &&
      o['type'] === 'identity' &&
      typeof o['id'] === 'string' &&
      typeof o['name'] === 'string'
    )
      identities.set(o['id'], o['name']);
  objects.forEach((o, index) => {
    const line = index + 1;
    if (!isObject(o) || o['type'] !== 'indicator') return;
    const pattern = typeof o['pattern'] === 'string' ? o['pattern'] : undefined;
    if (pattern === undefined) {
      problems.push({ line, message: 'the indicator has no pattern' });
      return;
    }
    if ((o['pattern_type'] ?? 'stix') !== 'stix') {
      problems.push({
        line,
        message: `pattern_type "${String(o['pattern_type'])}" is not read`,
        skipped: true,
        value: pattern,
      });
      return;
    }
    if (o['revoked'] === true) {
      problems.push({ line, message: 'revoked', skipped: true, value: pattern });
      return;
    }
    let expiresAt = defaults.expiresAt;
    if (typeof o['valid_until'] === 'string') {
      const t = Date.parse(o['valid_until']);
      if (Number.isNaN(t)) {
        problems.push({ line, message: `valid_until "${o['valid_until']}" is not a time`, value: pattern });
        return;
      }
      if (t <= now) {
        problems.push({ line, message: 'expired (valid_until has passed)', skipped: true, value: pattern });
        return;
      }
      expiresAt = t;
    }
    const comparisons = comparisonsOf(pattern);
    if (typeof comparisons === 'string') {
      problems.push({ line, message: comparisons, value: pattern });
      return;
    }
    const creator = typeof o['created_by_ref'] === 'string' ? identities.get(o['created_by_ref']) : undefined;
    const name = typeof o['name'] === 'string' ? o['name'] : undefined;
    const description = typeof o['description'] === 'string' ? o['description'] : undefined;
    const itemDefaults: IocListDefaults = {
      ...defaults,
      severity: severityOf(o, defaults.severity),
      expiresAt,
    };
    for (const { path, value } of comparisons) {
      const type = PATH_TYPES.find((p) => p.path.test(path))?.type;
      if (type === undefined) {
        problems.push({ line, message: `object path ${path} is not an indicator Harrier matches`, value });
        continue;
      }
      const r = readIndicator(
        line,
        type,
        value,
        undefined,
        creator ?? defaults.source ?? undefined,
        [name, description].filter(Boolean).join(': ') || undefined,
        undefined,
        itemDefaults,
      );
      if (typeof r === 'string') problems.push({ line, message: r, value });
      else indicators.push(r);
    }
  });
  return { indicators, problems };
}
