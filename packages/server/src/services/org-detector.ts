import { type CompiledRule, type CorrelationRule, DetectionEngine, loadRules } from '@harrier/detect';
import type { Severity } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import type { IocRow } from '../repositories/ioc-repository.ts';
import type { RuleRow } from '../repositories/rules-repository.ts';
import type { SuppressionRow } from '../repositories/suppressions-repository.ts';
import { IocMatcher, type IocType } from './ioc-matcher.ts';
import { SuppressionMatcher } from './suppression-matcher.ts';

/** What an alert records about the stored rule that fired. */
export interface FiringRule {
  id: string;
  uid: string;
  version: number;
  title: string;
  severity: Severity;
  techniques: string[];
  tactics: string[];
  groupBy: string[];
}

/** A stored rule the engine could not compile (e.g. written for a newer engine). */
export interface SkippedRule {
  id: string;
  uid: string;
  message: string;
}

interface CachedCompile {
  version: number;
  compiled: CompiledRule;
}

/**
 * Compiles stored rules into engines and keeps each compiled rule per (rule,
 * version), so that a change to one rule recompiles that rule only.
 */
export class RuleCompileCache {
  private readonly byRow = new Map<string, CachedCompile>();

  /** The compiled detection rule of a stored row, or an error message. */
  compile(row: RuleRow): CompiledRule | string {
    const cached = this.byRow.get(row.id);
    if (cached !== undefined && cached.version === row.version) return cached.compiled;
    const loaded = loadRules([{ text: row.yaml }]);
    const compiled = loaded.rules[0];
    if (compiled === undefined || loaded.rules.length !== 1) {
      return loaded.errors[0]?.message ?? 'the stored YAML holds no single detection rule';
    }
    this.byRow.set(row.id, { version: row.version, compiled });
    return compiled;
  }

  /** Drops entries of rows that no longer exist. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.byRow.keys()) if (!ids.has(id)) this.byRow.delete(id);
  }
}

/** Everything detection applies for one organization, built from its stored rules and lists. */
export class OrgDetector {
  readonly engine: DetectionEngine;
  readonly rules = new Map<string, FiringRule>();
  readonly skipped: SkippedRule[] = [];
  /** Longest correlation timespan (ms); 0 without correlations. */
  readonly maxTimespanMs: number;
  suppressions: SuppressionMatcher;
  iocs: IocMatcher;
  /** When the first loaded suppression or indicator expires: the lists are reloaded then. */
  nextExpiry: number;

  constructor(
    rows: readonly RuleRow[],
    cache: RuleCompileCache,
    suppressions: SuppressionRow[],
    iocs: IocRow[],
  ) {
    const compiled: CompiledRule[] = [];
    const correlationRows: RuleRow[] = [];
    const nameToUid = new Map<string, string>();
    for (const row of rows) {
      if (row.enabled !== 1) continue;
      this.rules.set(row.rule_uid, {
        id: row.id,
        uid: row.rule_uid,
        version: row.version,
        title: row.title,
        severity: row.severity as Severity,
        techniques: readJson<string[]>(row.mitre_techniques, []),
        tactics: readJson<string[]>(row.mitre_tactics, []),
        groupBy: readJson<string[]>(row.group_by, []),
      });
      nameToUid.set(row.rule_uid, row.rule_uid);
      if (row.name) nameToUid.set(row.name, row.rule_uid);
      if (row.kind === 'correlation') {
        correlationRows.push(row);
        continue;
      }
      const c = cache.compile(row);
      if (typeof c === 'string') this.skipped.push({ id: row.id, uid: row.rule_uid, message: c });
      else compiled.push(c);
    }
    cache.retain(new Set(rows.map((r) => r.id)));
    const correlations = this.loadCorrelations(correlationRows, nameToUid);
    this.maxTimespanMs = correlations.reduce((m, c) => Math.max(m, c.timespanMs), 0);
    this.engine = new DetectionEngine({ rules: compiled, correlations, errors: [] });
    this.suppressions = OrgDetector.suppressionMatcher(suppressions);
    this.iocs = OrgDetector.iocMatcher(iocs);
    this.nextExpiry = OrgDetector.firstExpiry(suppressions, iocs);
  }

  /** Replaces the suppressions and indicators (they change without touching rules). */
  setLists(suppressions: SuppressionRow[], iocs: IocRow[]): void {
    this.suppressions = OrgDetector.suppressionMatcher(suppressions);
    this.iocs = OrgDetector.iocMatcher(iocs);
    this.nextExpiry = OrgDetector.firstExpiry(suppressions, iocs);
  }

  private static firstExpiry(suppressions: SuppressionRow[], iocs: IocRow[]): number {
    let first = Number.POSITIVE_INFINITY;
    for (const r of [...suppressions, ...iocs])
      if (r.expires_at !== null) first = Math.min(first, Number(r.expires_at));
    return first;
  }

  private loadCorrelations(rows: RuleRow[], nameToUid: Map<string, string>): CorrelationRule[] {
    if (rows.length === 0) return [];
    const loaded = loadRules(
      rows.map((r) => ({ text: r.yaml, path: r.id })),
      { knownRuleRefs: [...nameToUid.keys()] },
    );
    for (const e of loaded.errors) {
      const row = rows.find((r) => r.id === e.path);
      if (row) this.skipped.push({ id: row.id, uid: row.rule_uid, message: e.message });
    }
    // References by name resolve to the rule's id, which is what matches carry.
    for (const c of loaded.correlations) {
      c.ruleIds = c.ruleIds.map((r) => nameToUid.get(r) ?? r);
      for (const alias of Object.values(c.aliases)) {
        for (const [ref, field] of Object.entries(alias)) {
          const uid = nameToUid.get(ref);
          if (uid !== undefined) alias[uid] = field;
        }
      }
    }
    return loaded.correlations;
  }

  static suppressionMatcher(rows: SuppressionRow[]): SuppressionMatcher {
    return new SuppressionMatcher(
      rows.map((s) => ({
        id: s.id,
        ruleUid: s.rule_uid,
        conditions: readJson<Record<string, unknown>>(s.conditions, {}),
      })),
    );
  }

  static iocMatcher(rows: IocRow[]): IocMatcher {
    return new IocMatcher(
      rows.map((r) => ({
        id: r.id,
        type: r.type as IocType,
        value: r.value,
        severity: r.severity,
        source: r.source,
      })),
    );
  }
}
