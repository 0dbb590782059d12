import { createHash } from 'node:crypto';
import { shannonEntropy } from './byte-entropy.ts';
import { type ElfFacts, parseElfHeaders } from './elf-header.ts';
import { type EmbeddedStrings, embeddedStrings } from './embedded-strings.ts';
import { detectFileType, type FileType } from './file-type.ts';
import { matchPatternRules, type PatternMatch, type PatternRule } from './pattern-rules.ts';
import { type PeFacts, parsePeHeaders } from './pe-header.ts';

export type FileVerdict = 'clean' | 'suspicious' | 'malicious';

/** A reason behind a verdict, strongest first in the report. */
export interface VerdictReason {
  level: 'malicious' | 'suspicious' | 'info';
  reason: string;
}

/** What static analysis found in a file. The file is read, never run. */
export interface FileReport {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  type: FileType;
  entropy: number;
  pe: PeFacts | null;
  elf: ElfFacts | null;
  strings: EmbeddedStrings;
  ruleMatches: PatternMatch[];
  /** Indicators (from the caller's intelligence) the hashes, URLs, addresses or e-mails hit. */
  indicatorMatches: IndicatorHit[];
  verdict: FileVerdict;
  reasons: VerdictReason[];
}

/** An indicator the caller found for one of the file's observables. */
export interface IndicatorHit {
  type: string;
  value: string;
  severity: string;
  source: string | null;
}

/** Looks observables up in threat intelligence; supplied by the caller (the server has the store). */
export type IndicatorLookup = (observables: {
  hashes: string[];
  urls: string[];
  ipv4: string[];
  emails: string[];
}) => IndicatorHit[] | Promise<IndicatorHit[]>;

const SEVERE = new Set(['high', 'critical']);

/**
 * Analyzes a file statically: hashes, type by magic bytes, entropy, PE/ELF
 * header facts, embedded strings of interest, pattern rules and indicators,
 * and a verdict with its reasons.
 */
export async function analyzeFile(
  data: Uint8Array,
  options: { rules?: readonly PatternRule[]; lookup?: IndicatorLookup } = {},
): Promise<FileReport> {
  const hash = (alg: string) => createHash(alg).update(data).digest('hex');
  const md5 = hash('md5');
  const sha1 = hash('sha1');
  const sha256 = hash('sha256');
  const type = detectFileType(data);
  const entropy = Math.round(shannonEntropy(data) * 1000) / 1000;
  const pe = type.kind === 'pe' ? parsePeHeaders(data, shannonEntropy) : null;
  const elf = type.kind === 'elf' ? parseElfHeaders(data) : null;
  const strings = embeddedStrings(data);
  const ruleMatches = options.rules ? matchPatternRules(options.rules, data) : [];
  const indicatorMatches = options.lookup
    ? await options.lookup({
        hashes: [md5, sha1, sha256],
        urls: strings.urls,
        ipv4: strings.ipv4,
        emails: strings.emails,
      })
    : [];
  const reasons = verdictReasons({ type, entropy, pe, elf, strings, ruleMatches, indicatorMatches });
  const verdict: FileVerdict = reasons.some((r) => r.level === 'malicious')
    ? 'malicious'
    : reasons.some((r) => r.level === 'suspicious')
      ? 'suspicious'
      : 'clean';
  return {
    size: data.length,
    md5,
    sha1,
    sha256,
    type,
    entropy,
    pe,
    elf,
    strings,
    ruleMatches,
    indicatorMatches,
    verdict,
    reasons,
  };
}

function verdictReasons(
  r: Pick<FileReport, 'type' | 'entropy' | 'pe' | 'elf' | 'strings' | 'ruleMatches' | 'indicatorMatches'>,
): VerdictReason[] {
  const out: VerdictReason[] = [];
  for (const hit of r.indicatorMatches) {
    out.push({
      level: SEVERE.has(hit.severity) || hit.type.startsWith('hash') ? 'malicious' : 'suspicious',
      reason: `${hit.type} ${hit.value} is a known indicator (${hit.severity}${hit.source ? `, ${hit.source}` : ''})`,
    });
  }
  for (const m of r.ruleMatches) {
    const severity = (m.meta.severity ?? 'medium').toLowerCase();
    out.push({
      level: SEVERE.has(severity) ? 'malicious' : 'suspicious',
      reason: `rule ${m.rule} matched: ${m.meta.description ?? m.strings.join(', ')}`,
    });
  }
  const packed = r.pe?.sections.filter((s) => s.executable && s.entropy !== null && s.entropy > 7.2) ?? [];
  if (packed.length > 0)
    out.push({
      level: 'suspicious',
      reason: `executable section ${packed.map((s) => s.name).join(', ')} has packed-data entropy`,
    });
  else if ((r.type.kind === 'pe' || r.type.kind === 'elf') && r.entropy > 7.5) {
    out.push({
      level: 'suspicious',
      reason: `whole-file entropy ${r.entropy} suggests packing or encryption`,
    });
  }
  if (r.pe?.sections.some((s) => s.executable && s.writable))
    out.push({ level: 'suspicious', reason: 'a section is both writable and executable' });
  if (r.elf?.interpreter && !/^\/(lib|lib64|usr\/lib)\//.test(r.elf.interpreter)) {
    out.push({ level: 'suspicious', reason: `unusual ELF interpreter ${r.elf.interpreter}` });
  }
  if (r.strings.suspicious.length >= 2) {
    out.push({
      level: 'suspicious',
      reason: `suspicious strings: ${r.strings.suspicious.map((s) => s.reason).join('; ')}`,
    });
  } else {
    for (const s of r.strings.suspicious)
      out.push({ level: 'info', reason: `suspicious string: ${s.reason}` });
  }
  if (r.strings.urls.length > 0)
    out.push({ level: 'info', reason: `${r.strings.urls.length} embedded URL(s)` });
  const rank = { malicious: 0, suspicious: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.level] - rank[b.level]);
}
