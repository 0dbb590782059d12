import { BlockList, isIP } from 'node:net';

/** Kinds of indicator Harrier matches. */
export const IOC_TYPES = ['hash', 'ip', 'cidr', 'domain', 'url', 'email'] as const;
export type IocType = (typeof IOC_TYPES)[number];

/** An indicator as detection applies it. */
export interface IocSpec {
  id: string;
  type: IocType;
  value: string;
  severity: string;
  source: string | null;
}

/** One indicator found in an event, with the field it was found in. */
export interface IocHit {
  indicator: IocSpec;
  field: string;
  observed: string;
}

// The normalized fields each kind of indicator is looked for in (Sigma names first, then the
// seeds' and agents' own names).
const HASH_FIELDS = [
  'Hashes',
  'Hash',
  'sha256',
  'sha1',
  'md5',
  'SHA256',
  'SHA1',
  'MD5',
  'target_sha256',
  'file_hash',
  'hash',
  'Imphash',
];
const IP_FIELDS = [
  'DestinationIp',
  'SourceIp',
  'IpAddress',
  'dst_ip',
  'src_ip',
  'remote_ip',
  'RemoteAddress',
  'ClientAddress',
  'ip',
  'dest_ip',
];
const DOMAIN_FIELDS = [
  'QueryName',
  'DestinationHostname',
  'domain',
  'dns_query',
  'query',
  'host',
  'cs-host',
  'r-dns',
];
const URL_FIELDS = ['url', 'Url', 'URL', 'RequestUrl', 'TargetUrl', 'request_url', 'c-uri', 'cs-uri'];
const EMAIL_FIELDS = [
  'SenderAddress',
  'RecipientAddress',
  'sender',
  'from',
  'From',
  'reply_to',
  'ReplyTo',
  'return_path',
  'recipient',
  'to',
  'email',
  'Email',
];
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

const HEX = /^[0-9a-f]+$/;

/** The canonical form of an indicator value; undefined when it is not a value of that type. */
export function normalizeIoc(type: IocType, raw: string): string | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  switch (type) {
    case 'hash': {
      const h = v.toLowerCase();
      return HEX.test(h) && [32, 40, 64, 128].includes(h.length) ? h : undefined;
    }
    case 'ip': {
      const ip = stripBrackets(v).toLowerCase();
      return isIP(ip) ? ip : undefined;
    }
    case 'cidr': {
      const [addr, bits, ...rest] = v.split('/');
      if (rest.length > 0 || addr === undefined || bits === undefined || !/^\d{1,3}$/.test(bits))
        return undefined;
      const family = isIP(addr);
      const n = Number(bits);
      if (family === 0 || n > (family === 4 ? 32 : 128)) return undefined;
      return `${addr.toLowerCase()}/${n}`;
    }
    case 'domain': {
      const d = v.toLowerCase().replace(/\.$/, '');
      return /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d)
        ? d
        : undefined;
    }
    case 'url':
      return canonicalUrl(v);
    case 'email': {
      const e = v.toLowerCase().replace(/^mailto:/, '');
      return EMAIL.test(e) ? e : undefined;
    }
  }
}

/** Guesses the type of a bare indicator (plain-text lists carry no type). */
export function guessIocType(raw: string): IocType | undefined {
  const v = raw.trim();
  for (const type of ['hash', 'ip', 'cidr', 'url', 'email', 'domain'] as const) {
    if (normalizeIoc(type, v) !== undefined) return type;
  }
  return undefined;
}

function stripBrackets(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}

function canonicalUrl(v: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return undefined;
  try {
    const u = new URL(v);
    return u.href;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Hash values of a field: Sysmon's `SHA256=…,MD5=…` lists are split. */
function hashesIn(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(/[,;\s]+/)) {
    const eq = part.indexOf('=');
    const h = (eq >= 0 ? part.slice(eq + 1) : part).toLowerCase();
    if (HEX.test(h) && h.length >= 32) out.push(h);
  }
  return out;
}

/** The addresses of a header value (`Name <a@b>, c@d`), lower-cased. */
function addressesIn(value: string): string[] {
  const out: string[] = [];
  for (const m of value.toLowerCase().matchAll(/[^\s<>,;"'()]+@[^\s<>,;"'()]+/g)) out.push(m[0]);
  return out;
}

/** The indicators of one organization, indexed for lookups per event. */
export class IocMatcher {
  private readonly hashes = new Map<string, IocSpec>();
  private readonly ips = new Map<string, IocSpec>();
  private readonly cidrs: Array<{ spec: IocSpec; list: BlockList }> = [];
  private readonly anyCidr = new BlockList();
  private readonly domains = new Map<string, IocSpec>();
  private readonly urls = new Map<string, IocSpec>();
  private readonly emails = new Map<string, IocSpec>();

  constructor(specs: readonly IocSpec[]) {
    for (const s of specs) {
      if (s.type === 'hash') this.hashes.set(s.value, s);
      else if (s.type === 'ip') this.ips.set(s.value, s);
      else if (s.type === 'domain') this.domains.set(s.value, s);
      else if (s.type === 'url') this.urls.set(s.value, s);
      else if (s.type === 'email') this.emails.set(s.value, s);
      else {
        const [addr, bits] = s.value.split('/') as [string, string];
        const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
        const list = new BlockList();
        list.addSubnet(addr, Number(bits), family);
        this.anyCidr.addSubnet(addr, Number(bits), family);
        this.cidrs.push({ spec: s, list });
      }
    }
  }

  get size(): number {
    return (
      this.hashes.size +
      this.ips.size +
      this.cidrs.length +
      this.domains.size +
      this.urls.size +
      this.emails.size
    );
  }

  /** Every indicator found in the event's fields (each indicator at most once). */
  match(fields: Readonly<Record<string, unknown>>): IocHit[] {
    if (this.size === 0) return [];
    const hits: IocHit[] = [];
    const seen = new Set<string>();
    const hit = (spec: IocSpec | undefined, field: string, observed: string) => {
      if (spec === undefined || seen.has(spec.id)) return;
      seen.add(spec.id);
      hits.push({ indicator: spec, field, observed });
    };
    if (this.hashes.size > 0) {
      for (const f of HASH_FIELDS)
        for (const v of strings(fields[f])) for (const h of hashesIn(v)) hit(this.hashes.get(h), f, h);
    }
    if (this.ips.size > 0 || this.cidrs.length > 0) {
      for (const f of IP_FIELDS) {
        for (const raw of strings(fields[f])) {
          const ip = stripBrackets(raw.trim()).toLowerCase();
          const family = isIP(ip);
          if (family === 0) continue;
          hit(this.ips.get(ip), f, ip);
          const type = family === 6 ? 'ipv6' : 'ipv4';
          if (this.cidrs.length > 0 && this.anyCidr.check(ip, type)) {
            for (const c of this.cidrs) if (c.list.check(ip, type)) hit(c.spec, f, ip);
          }
        }
      }
    }
    const urlValues: Array<{ field: string; url: string }> = [];
    for (const f of URL_FIELDS)
      for (const v of strings(fields[f])) urlValues.push({ field: f, url: v.trim() });
    if (this.urls.size > 0) {
      for (const { field, url } of urlValues) {
        const canonical = canonicalUrl(url);
        hit(
          this.urls.get(url) ?? (canonical === undefined ? undefined : this.urls.get(canonical)),
          field,
          url,
        );
      }
    }
    if (this.emails.size > 0) {
      for (const f of EMAIL_FIELDS)
        for (const v of strings(fields[f]))
          for (const address of addressesIn(v)) hit(this.emails.get(address), f, address);
    }
    if (this.domains.size > 0) {
      const hosts: Array<{ field: string; host: string }> = [];
      for (const f of DOMAIN_FIELDS)
        for (const v of strings(fields[f]))
          hosts.push({ field: f, host: v.trim().toLowerCase().replace(/\.$/, '') });
      for (const { field, url } of urlValues) {
        const h = hostOf(url);
        if (h !== undefined) hosts.push({ field, host: h });
      }
      for (const { field, host } of hosts) {
        // A domain indicator also covers its subdomains.
        let d = host;
        for (;;) {
          hit(this.domains.get(d), field, host);
          const dot = d.indexOf('.');
          if (dot < 0) break;
          d = d.slice(dot + 1);
        }
      }
    }
    return hits;
  }
}
