import { analyzeFile, type FileReport, type IndicatorHit, type IndicatorLookup } from './file-analysis.ts';
import type { PatternRule } from './pattern-rules.ts';

/** A message as a MIME parser hands it over (the server uses mailparser). */
export interface EmailMessage {
  /** Every header as it appeared, names in any case, in order (Received repeats). */
  headers: Array<[string, string]>;
  from: { address: string; name: string } | null;
  replyTo: Array<{ address: string; name: string }>;
  returnPath: string | null;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; content: Uint8Array }>;
}

export type AuthResult =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'temperror'
  | 'permerror'
  | 'policy'
  | null;

/** A link in the message and what is odd about it. */
export interface EmailLink {
  href: string;
  text: string;
  domain: string | null;
  problems: string[];
}

export interface EmailReport {
  subject: string;
  from: string | null;
  /** SPF, DKIM and DMARC as the receiving server reported them (not re-verified). */
  authentication: { spf: AuthResult; dkim: AuthResult; dmarc: AuthResult };
  links: EmailLink[];
  attachments: Array<{ filename: string; contentType: string; problems: string[]; report: FileReport }>;
  indicatorMatches: IndicatorHit[];
  verdict: 'clean' | 'suspicious' | 'malicious';
  reasons: Array<{ level: 'malicious' | 'suspicious' | 'info'; reason: string }>;
}

const RISKY_EXTENSIONS = new Set([
  'exe',
  'scr',
  'com',
  'pif',
  'bat',
  'cmd',
  'js',
  'jse',
  'vbs',
  'vbe',
  'wsf',
  'hta',
  'ps1',
  'lnk',
  'iso',
  'img',
  'vhd',
  'msi',
  'jar',
  'docm',
  'xlsm',
  'pptm',
  'xlam',
  'one',
  'cpl',
  'reg',
]);
const SHORTENERS = new Set([
  'bit.ly',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'is.gd',
  'ow.ly',
  'buff.ly',
  'cutt.ly',
  'rebrand.ly',
  't.ly',
]);

const domainOf = (address: string | null | undefined): string | null => {
  const at = address?.lastIndexOf('@') ?? -1;
  return address && at >= 0
    ? address
        .slice(at + 1)
        .toLowerCase()
        .replace(/>$/, '')
    : null;
};

/** The registrable-looking tail of a host (last two labels; good enough to compare senders). */
const baseDomain = (host: string): string => host.split('.').slice(-2).join('.');

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function header(message: EmailMessage, name: string): string[] {
  const n = name.toLowerCase();
  return message.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** Reads `spf=`, `dkim=`, `dmarc=` from Authentication-Results, and Received-SPF as a fallback. */
export function authenticationResults(message: EmailMessage): EmailReport['authentication'] {
  const results = header(message, 'authentication-results').join(';');
  const pick = (method: string): AuthResult => {
    const m = new RegExp(`\\b${method}\\s*=\\s*([a-z]+)`, 'i').exec(results);
    return m ? (m[1]!.toLowerCase() as AuthResult) : null;
  };
  let spf = pick('spf');
  if (spf === null) {
    const received = header(message, 'received-spf')[0];
    const m = received ? /^\s*([a-z]+)/i.exec(received) : null;
    spf = m ? (m[1]!.toLowerCase() as AuthResult) : null;
  }
  return { spf, dkim: pick('dkim'), dmarc: pick('dmarc') };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** Links from the HTML part (href and visible text) and bare URLs from the text part. */
export function messageLinks(message: EmailMessage): EmailLink[] {
  const links: EmailLink[] = [];
  const seen = new Set<string>();
  for (const m of message.html.matchAll(
    /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a>/gi,
  )) {
    const href = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    const text = decodeEntities(m[4]!.replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    if (!/^https?:/i.test(href) || links.length >= 500) continue;
    seen.add(href);
    links.push(linkOf(href, text));
  }
  for (const m of message.text.matchAll(/\bhttps?:\/\/[^\s<>"')]+/gi)) {
    if (seen.has(m[0]) || links.length >= 500) continue;
    seen.add(m[0]);
    links.push(linkOf(m[0], ''));
  }
  return links;
}

function linkOf(href: string, text: string): EmailLink {
  const domain = hostOf(href);
  const problems: string[] = [];
  if (domain === null) problems.push('the address cannot be parsed');
  else {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(domain) || domain.startsWith('['))
      problems.push('links to a bare IP address');
    if (SHORTENERS.has(domain)) problems.push('hidden behind a URL shortener');
    if (domain.startsWith('xn--') || domain.includes('.xn--'))
      problems.push('internationalized (punycode) domain');
    const shown = /^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}(\/\S*)?$/i.test(text)
      ? hostOf(/^https?:/i.test(text) ? text : `http://${text}`)
      : null;
    if (shown !== null && baseDomain(shown) !== baseDomain(domain))
      problems.push(`shows ${shown} but goes to ${domain}`);
  }
  if (/@/.test(href.replace(/^https?:\/\//i, '').split('/')[0] ?? ''))
    problems.push('user-info in the address hides the real host');
  return { href, text, domain, problems };
}

/**
 * Analyzes a parsed e-mail: the authentication results its receiving server
 * reported, sender and reply-to mismatches, display-name spoofing, links,
 * attachments (through file analysis) and indicators; a verdict with reasons.
 */
export async function analyzeEmail(
  message: EmailMessage,
  options: { rules?: readonly PatternRule[]; lookup?: IndicatorLookup } = {},
): Promise<EmailReport> {
  const reasons: EmailReport['reasons'] = [];
  const authentication = authenticationResults(message);
  const failing = (['spf', 'dkim', 'dmarc'] as const).filter((k) =>
    ['fail', 'softfail', 'permerror'].includes(authentication[k] ?? ''),
  );
  if (authentication.dmarc === 'fail')
    reasons.push({
      level: 'suspicious',
      reason: 'DMARC failed: the sender domain did not authorize this message',
    });
  else if (failing.length > 0)
    reasons.push({ level: 'suspicious', reason: `${failing.join(', ').toUpperCase()} did not pass` });

  const fromDomain = domainOf(message.from?.address);
  for (const r of message.replyTo) {
    const d = domainOf(r.address);
    if (fromDomain && d && baseDomain(d) !== baseDomain(fromDomain)) {
      reasons.push({
        level: 'suspicious',
        reason: `replies go to ${r.address}, not the sender's domain ${fromDomain}`,
      });
    }
  }
  const rp = domainOf(message.returnPath);
  if (fromDomain && rp && baseDomain(rp) !== baseDomain(fromDomain)) {
    reasons.push({
      level: 'info',
      reason: `bounce address domain ${rp} differs from the sender's ${fromDomain}`,
    });
  }
  const shownAddress = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.exec(message.from?.name ?? '')?.[0];
  if (shownAddress && message.from && shownAddress.toLowerCase() !== message.from.address.toLowerCase()) {
    reasons.push({
      level: 'suspicious',
      reason: `the display name shows ${shownAddress} but the sender is ${message.from.address}`,
    });
  }

  const links = messageLinks(message);
  for (const l of links)
    for (const p of l.problems)
      reasons.push({ level: p.startsWith('shows') ? 'suspicious' : 'info', reason: `link ${l.href}: ${p}` });

  const attachments: EmailReport['attachments'] = [];
  for (const a of message.attachments) {
    const report = await analyzeFile(a.content, options);
    const problems: string[] = [];
    const parts = a.filename.toLowerCase().split('.');
    const ext = parts.length > 1 ? parts.at(-1)! : '';
    if (RISKY_EXTENSIONS.has(ext)) problems.push(`.${ext} attachments run code when opened`);
    if (
      parts.length > 2 &&
      RISKY_EXTENSIONS.has(ext) &&
      /^(pdf|doc|docx|xls|xlsx|jpg|png|txt)$/.test(parts.at(-2)!)
    ) {
      problems.push('double extension disguises the file type');
    }
    if (
      (report.type.kind === 'pe' || report.type.kind === 'elf') &&
      !['exe', 'dll', 'scr', 'com', 'sys', 'bin', 'so', ''].includes(ext)
    ) {
      problems.push(`an executable named .${ext}`);
    }
    for (const p of problems) reasons.push({ level: 'suspicious', reason: `attachment ${a.filename}: ${p}` });
    if (report.verdict !== 'clean') {
      reasons.push({
        level: report.verdict,
        reason: `attachment ${a.filename} is ${report.verdict}: ${report.reasons[0]?.reason ?? ''}`,
      });
    }
    attachments.push({ filename: a.filename, contentType: a.contentType, problems, report });
  }

  const senders = [message.from?.address, ...message.replyTo.map((r) => r.address)].filter(
    (a): a is string => !!a,
  );
  const indicatorMatches = options.lookup
    ? await options.lookup({ hashes: [], urls: links.map((l) => l.href), ipv4: [], emails: senders })
    : [];
  for (const hit of indicatorMatches) {
    reasons.push({
      level: hit.severity === 'high' || hit.severity === 'critical' ? 'malicious' : 'suspicious',
      reason: `${hit.type} ${hit.value} is a known indicator (${hit.severity})`,
    });
  }
  const suspiciousCount = reasons.filter((r) => r.level === 'suspicious').length;
  const verdict =
    reasons.some((r) => r.level === 'malicious') || suspiciousCount >= 3
      ? 'malicious'
      : suspiciousCount > 0
        ? 'suspicious'
        : 'clean';
  const rank = { malicious: 0, suspicious: 1, info: 2 } as const;
  return {
    subject: message.subject,
    from: message.from?.address ?? null,
    authentication,
    links,
    attachments,
    indicatorMatches,
    verdict,
    reasons: reasons.sort((a, b) => rank[a.level] - rank[b.level]),
  };
}
