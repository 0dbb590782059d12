/**
 * The detection engine: compiled once from rule sources, then `match(event)` per event.
 * Events are routed by logsource to a cached bucket of rules; inside a bucket the literal index
 * picks the rules worth evaluating; base-rule matches feed the correlation engine.
 */
import type { HarrierEvent, Logsource, Severity } from '@harrier/schema';
import {
  CorrelationEngine,
  type CorrelationInput,
  type CorrelationLimits,
  type CorrelationMatch,
  type CorrelationRule,
} from './correlation.ts';
import type { RuleError } from './errors.ts';
import { EvalContext } from './eval-context.ts';
import { LiteralIndex } from './literal-index.ts';
import { logsourceKey, ruleAcceptsLogsource } from './logsource-routing.ts';
import { type CompiledRule, explainSelections } from './rule-compiler.ts';
import { type LoadedRules, type LoadOptions, loadRules, type RuleSource } from './rule-loader.ts';

/** Engine configuration. */
export interface EngineOptions extends LoadOptions {
  correlation?: CorrelationLimits;
}

/** What the engine needs from an event (a NormalizedEvent or a stored HarrierEvent). */
export type DetectableEvent = Pick<HarrierEvent, 'ts' | 'logsource' | 'fields'> & {
  id?: string;
  device_id?: string | null;
};

/** One detection: a Sigma rule or a correlation rule that fired. */
export interface DetectionMatch {
  kind: 'rule' | 'correlation';
  rule_id: string;
  rule_title: string;
  level?: string;
  severity: Severity;
  /** Event time of the match (for correlations: when it fired). */
  ts: number;
  event_id?: string;
  correlation?: CorrelationMatch;
}

interface Bucket {
  rules: CompiledRule[];
  index: LiteralIndex;
}

const NO_MATCHES: readonly DetectionMatch[] = Object.freeze([]);
/** Distinct event logsources whose rule buckets are kept. */
const MAX_CACHED_LOGSOURCES = 1024;

/** Compiled rule set plus correlation state. Not thread-safe; one per worker. */
export class DetectionEngine {
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly CorrelationRule[];
  /** Rules and documents that could not be compiled, with where and why. */
  readonly errors: readonly RuleError[];
  private readonly buckets = new Map<string, Bucket>();
  private cachedLogsources = 0;
  /** product → category → service → bucket: avoids building a key string per event. */
  private readonly bucketTree = new Map<
    string | undefined,
    Map<string | undefined, Map<string | undefined, Bucket>>
  >();
  private readonly ctx = new EvalContext();
  private readonly correlationEngine: CorrelationEngine;
  private readonly byId = new Map<string, CompiledRule>();
  /** Base rules that only feed correlations (`generate: false` everywhere they are used). */
  private readonly silent = new Set<string>();

  /** Builds an engine from already loaded rules. */
  constructor(loaded: LoadedRules, opts: EngineOptions = {}) {
    this.rules = loaded.rules;
    this.correlations = loaded.correlations;
    this.errors = loaded.errors;
    for (const r of loaded.rules) this.byId.set(r.meta.id, r);
    this.correlationEngine = new CorrelationEngine(loaded.correlations, opts.correlation);
    const generating = new Set<string>();
    for (const c of loaded.correlations) for (const id of c.ruleIds) if (c.generate) generating.add(id);
    for (const c of loaded.correlations)
      for (const id of c.ruleIds) if (!generating.has(id)) this.silent.add(id);
  }

  /** Parses and compiles rule sources into an engine (errors in `engine.errors`). */
  static fromSources(sources: readonly RuleSource[], opts: EngineOptions = {}): DetectionEngine {
    return new DetectionEngine(loadRules(sources, opts), opts);
  }

  /** The compiled rule with this id. */
  rule(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }

  /** Rules an event of this logsource reaches, with their literal index (cached per logsource). */
  private bucketFor(ls: Logsource): Bucket {
    let byCategory = this.bucketTree.get(ls.product);
    if (byCategory === undefined) {
      byCategory = new Map();
      this.bucketTree.set(ls.product, byCategory);
    }
    let byService = byCategory.get(ls.category);
    if (byService === undefined) {
      byService = new Map();
      byCategory.set(ls.category, byService);
    }
    let bucket = byService.get(ls.service);
    if (bucket === undefined) {
      // Logsource strings come from events; bound the cache so odd values cannot grow it forever.
      if (this.cachedLogsources >= MAX_CACHED_LOGSOURCES) {
        this.bucketTree.clear();
        this.buckets.clear();
        this.cachedLogsources = 0;
        return this.buildBucket(ls);
      }
      bucket = this.buildBucket(ls);
      byService.set(ls.service, bucket);
      this.cachedLogsources++;
    }
    return bucket;
  }

  /** Builds (or reuses, for logsources differing only in case) the bucket of a logsource. */
  private buildBucket(ls: Logsource): Bucket {
    const key = logsourceKey(ls).toLowerCase();
    let b = this.buckets.get(key);
    if (b === undefined) {
      const rules = this.rules.filter((r) => ruleAcceptsLogsource(r.meta.logsource, ls));
      b = { rules, index: new LiteralIndex(rules.map((r) => r.requirement)) };
      this.buckets.set(key, b);
    }
    return b;
  }

  /**
   * Evaluates one event against every rule of its logsource and feeds matches to correlation
   * rules. Returns the rule matches (except base rules hidden by `generate: false`) followed by
   * correlations that fired. Time is the event's `ts`; the clock is never read.
   */
  match(event: DetectableEvent): readonly DetectionMatch[] {
    // Malformed events (no logsource/fields) reach no rule rather than throwing.
    const bucket = this.bucketFor(event.logsource ?? {});
    if (bucket.rules.length === 0 || typeof event.fields !== 'object' || event.fields === null)
      return NO_MATCHES;
    const ctx = this.ctx;
    ctx.reset(event.fields);
    const candidates = bucket.index.candidates(ctx);
    let out: DetectionMatch[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const rule = bucket.rules[candidates[i]!]!;
      if (!rule.predicate(ctx)) continue;
      out ??= [];
      const id = rule.meta.id;
      if (!this.silent.has(id)) {
        const m: DetectionMatch = {
          kind: 'rule',
          rule_id: id,
          rule_title: rule.meta.title,
          severity: rule.meta.severity,
          ts: event.ts,
        };
        if (rule.meta.level !== undefined) m.level = rule.meta.level;
        if (event.id !== undefined) m.event_id = event.id;
        out.push(m);
      }
      if (
        this.correlationEngine.listensTo(id) ||
        (rule.meta.name !== undefined && this.correlationEngine.listensTo(rule.meta.name))
      ) {
        const input: CorrelationInput = { rule_id: id, ts: event.ts, fields: event.fields };
        if (event.id !== undefined) input.event_id = event.id;
        for (const c of this.correlationEngine.observe(input)) out.push(correlationToMatch(c));
      }
    }
    return out ?? NO_MATCHES;
  }

  /** Which selections of a rule are true for an event (rule testing); undefined for unknown ids. */
  explain(
    ruleId: string,
    event: DetectableEvent,
  ): { matched: boolean; selections: Record<string, boolean> } | undefined {
    const rule = this.byId.get(ruleId);
    if (rule === undefined) return undefined;
    const ctx = new EvalContext();
    ctx.reset(event.fields);
    return { matched: rule.predicate(ctx), selections: explainSelections(rule, ctx) };
  }

  /** Closes correlation windows that ended before `now` (event time) and returns what fired. */
  advance(now: number): DetectionMatch[] {
    return this.correlationEngine.advance(now).map(correlationToMatch);
  }

  /**
   * Rebuilds correlation state from stored base-rule matches (e.g. after a restart); correlations
   * completed during replay are not reported again. Returns the number of entries applied.
   */
  replay(matches: readonly CorrelationInput[]): number {
    return this.correlationEngine.replay(matches);
  }

  /** Open correlation groups (for metrics). */
  get correlationGroups(): number {
    return this.correlationEngine.openGroups;
  }
}

function correlationToMatch(c: CorrelationMatch): DetectionMatch {
  const m: DetectionMatch = {
    kind: 'correlation',
    rule_id: c.rule_id,
    rule_title: c.rule_title,
    severity: c.severity,
    ts: c.ts,
    correlation: c,
  };
  if (c.level !== undefined) m.level = c.level;
  return m;
}
