import { isDeepStrictEqual } from 'node:util';
import {
  extractRuleMetadata,
  loadRules,
  mitreFromTags,
  type ParsedRuleDocument,
  parseSigmaYaml,
  type RuleError,
} from '@harrier/detect';
import type { Logsource, Severity } from '@harrier/schema';

/** One rule of a YAML source, validated and ready to store. */
export interface RuleDocument {
  uid: string;
  name: string | undefined;
  title: string;
  description: string | undefined;
  level: string | undefined;
  severity: Severity;
  status: string | undefined;
  kind: 'rule' | 'correlation';
  /** This document alone, as YAML (the original text where it can be cut out). */
  yaml: string;
  logsource: Logsource;
  tags: string[];
  mitreTechniques: string[];
  mitreTactics: string[];
  /** 1-based line where the document starts in its source. */
  line: number;
}

/** Why a rule (or a document) of a source was refused, with where. */
export interface RuleProblem {
  path?: string | undefined;
  rule_id?: string | undefined;
  title?: string | undefined;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** The valid documents of a source and the problems of the others. */
export interface ParsedRuleSource {
  documents: RuleDocument[];
  problems: RuleProblem[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

const SEPARATOR = /^(---|\.\.\.)\s*(#.*)?$/;

/** The text of each document, cut at the lines where the next one starts; undefined when not faithful. */
function documentTexts(
  text: string,
  docs: ParsedRuleDocument[],
  path: string | undefined,
): Array<string | undefined> {
  if (docs.length === 1) {
    const only = parseSigmaYaml(text, path);
    if (only.documents.length === 1 && only.errors.length === 0) return [text];
  }
  const lines = text.split('\n');
  const starts = docs.map((d) => d.locate([]).line);
  return docs.map((doc, i) => {
    const from = starts[i]! - 1;
    const to = i + 1 < starts.length ? starts[i + 1]! - 1 : lines.length;
    const chunk = lines.slice(from, to);
    while (chunk.length > 0 && (SEPARATOR.test(chunk.at(-1)!) || chunk.at(-1)!.trim() === '')) chunk.pop();
    const candidate = `${chunk.join('\n')}\n`;
    // Collections (`action: global`) merge templates: a cut-out document would lose them.
    const reparsed = parseSigmaYaml(candidate, path);
    if (
      reparsed.errors.length === 0 &&
      reparsed.documents.length === 1 &&
      isDeepStrictEqual(reparsed.documents[0]!.value, doc.value)
    )
      return candidate;
    return undefined;
  });
}

/**
 * Parses and validates a Sigma source (one or many documents) the way the
 * engine will run it. `knownRefs` are ids and names of stored rules that
 * correlation rules may reference. Every refused document becomes a problem
 * with its line and column; nothing throws.
 */
export function parseRuleSource(
  text: string,
  path?: string,
  knownRefs: readonly string[] = [],
): ParsedRuleSource {
  const problems: RuleProblem[] = [];
  const parsed = parseSigmaYaml(text, path);
  const loaded = loadRules([{ text, ...(path !== undefined ? { path } : {}) }], { knownRuleRefs: knownRefs });
  const failedIds = new Set<string>();
  for (const e of loaded.errors) {
    problems.push(problemOf(e, path));
    if (e.rule_id !== undefined) failedIds.add(e.rule_id);
  }
  const compiled = new Set(loaded.rules.map((r) => r.meta.id));
  const correlations = new Set(loaded.correlations.map((c) => c.id));
  const texts = documentTexts(text, parsed.documents, path);
  const documents: RuleDocument[] = [];
  const starts = parsed.documents.map((d) => d.locate([]).line);
  parsed.documents.forEach((doc, i) => {
    const v = doc.value;
    const uid = str(v['id']);
    const start = doc.locate([]);
    if (uid === undefined) {
      // Ids are how rules are updated, referenced and deduplicated: a rule without one cannot be stored.
      const end = starts[i + 1] ?? Number.POSITIVE_INFINITY;
      if (!problems.some((p) => p.line >= start.line && p.line < end))
        problems.push({
          path,
          title: str(v['title']),
          ...start,
          code: 'invalid_rule',
          message: 'the rule needs an `id` (a UUID)',
        });
      return;
    }
    if (failedIds.has(uid)) return;
    const kind = correlations.has(uid) ? 'correlation' : compiled.has(uid) ? 'rule' : undefined;
    if (kind === undefined) return;
    const meta = extractRuleMetadata(v, path, doc.index);
    const mitre = mitreFromTags(meta.tags);
    documents.push({
      uid,
      name: meta.name,
      title: meta.title,
      description: meta.description,
      level: meta.level,
      severity: meta.severity,
      status: meta.status,
      kind,
      yaml: texts[i] ?? `${JSON.stringify(v, null, 2)}\n`,
      logsource: meta.logsource,
      tags: meta.tags,
      mitreTechniques: mitre.techniques,
      mitreTactics: mitre.tactics,
      line: start.line,
    });
  });
  return { documents, problems };
}

function problemOf(e: RuleError, path: string | undefined): RuleProblem {
  return {
    path: e.path ?? path,
    rule_id: e.rule_id,
    line: e.line,
    column: e.column,
    code: e.code,
    message: e.message,
  };
}
