/**
 * Sigma correlation rules (event_count, value_count, temporal, temporal_ordered) with group-by,
 * timespan, conditions and field aliases. State is kept in memory, bounded per rule and in total
 * (oldest groups evicted first), advanced only by event time, and can be rebuilt by replaying
 * stored base-rule matches after a restart.
 */
import { parseSeverity, type Severity } from '@harrier/schema';
import { RuleCompileError } from './errors.ts';
import { scalarString } from './eval-context.ts';
import { parseTimespan } from './timespan.ts';

/** The four correlation types of the Sigma correlation specification. */
export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/** Count condition; every bound present must hold. */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  /** value_count: the field whose distinct values are counted. */
  field?: string;
}

/** A parsed correlation rule (references not yet resolved to rule ids). */
export interface CorrelationRule {
  id: string;
  title: string;
  name?: string;
  level?: string;
  severity: Severity;
  tags: string[];
  path?: string;
  type: CorrelationType;
  /** Referenced rule names or ids, as written. */
  references: string[];
  /** Resolved rule ids, same order as `references` (filled by the loader). */
  ruleIds: string[];
  groupBy: string[];
  /** alias → (rule id or name → field in that rule's events). */
  aliases: Record<string, Record<string, string>>;
  timespanMs: number;
  condition: CountCondition;
  generate: boolean;
}

/** Memory bounds for correlation state. */
export interface CorrelationLimits {
  /** Open groups kept per correlation rule (oldest evicted). Default 10 000. */
  maxGroupsPerRule?: number;
  /** Open groups kept over all correlation rules. Default 100 000. */
  maxGroupsTotal?: number;
  /** Entries (events or distinct values) kept per group. Default 10 000. */
  maxEntriesPerGroup?: number;
  /** Matched event ids kept per group for the alert. Default 100. */
  maxEventIdsPerGroup?: number;
}

/** A base-rule match as the correlation engine needs it (also what `replay` takes). */
export interface CorrelationInput {
  rule_id: string;
  /** The rule's `name`, when it has one. */
  rule_name?: string;
  ts: number;
  fields: Readonly<Record<string, unknown>>;
  event_id?: string;
}

/** A correlation that fired. */
export interface CorrelationMatch {
  rule_id: string;
  rule_title: string;
  level?: string;
  severity: Severity;
  type: CorrelationType;
  group: Record<string, unknown>;
  count: number;
  first_ts: number;
  last_ts: number;
  /** Timestamp the correlation fired at (event time of the completing event, or window end). */
  ts: number;
  event_ids: string[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TYPES = new Set<CorrelationType>(['event_count', 'value_count', 'temporal', 'temporal_ordered']);

function parseCountCondition(raw: unknown, type: CorrelationType, nRules: number): CountCondition {
  if (raw === undefined || raw === null) {
    if (type === 'temporal' || type === 'temporal_ordered') return { gte: nRules };
    throw new RuleCompileError('invalid_correlation', `${type} needs a condition`, [
      'correlation',
      'condition',
    ]);
  }
  if (!isObj(raw))
    throw new RuleCompileError('invalid_correlation', 'condition must be a mapping', [
      'correlation',
      'condition',
    ]);
  const cond: CountCondition = {};
  for (const [k, v] of Object.entries(raw)) {
    const path = ['correlation', 'condition', k];
    if (k === 'field') {
      if (typeof v !== 'string')
        throw new RuleCompileError('invalid_correlation', 'condition.field must be a field name', path);
      cond.field = v;
    } else if (k === 'gt' || k === 'gte' || k === 'lt' || k === 'lte' || k === 'eq') {
      if (typeof v !== 'number')
        throw new RuleCompileError('invalid_correlation', `condition.${k} must be a number`, path);
      cond[k] = v;
    } else if (k === 'range') {
      const m = typeof v === 'string' ? /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(v) : null;
      if (m === null)
        throw new RuleCompileError('invalid_correlation', 'condition.range must look like "2..5"', path);
      cond.gte = Number(m[1]);
      cond.lte = Number(m[2]);
    } else {
      throw new RuleCompileError('invalid_correlation', `unknown condition operator "${k}"`, path);
    }
  }
  if (type === 'value_count' && cond.field === undefined) {
    throw new RuleCompileError('invalid_correlation', 'value_count needs condition.field', [
      'correlation',
      'condition',
    ]);
  }
  if ([cond.gt, cond.gte, cond.lt, cond.lte, cond.eq].every((x) => x === undefined)) {
    throw new RuleCompileError('invalid_correlation', 'condition needs gt, gte, lt, lte, eq or range', [
      'correlation',
      'condition',
    ]);
  }
  return cond;
}

/** Parses the `correlation:` section of a rule document. Throws RuleCompileError. */
export function parseCorrelationRule(
  doc: Record<string, unknown>,
  path?: string,
  index = 0,
): CorrelationRule {
  const c = doc['correlation'];
  if (!isObj(c))
    throw new RuleCompileError('invalid_correlation', 'correlation must be a mapping', ['correlation']);
  const type = c['type'];
  if (typeof type !== 'string' || !TYPES.has(type as CorrelationType)) {
    throw new RuleCompileError('invalid_correlation', `unknown correlation type "${String(type)}"`, [
      'correlation',
      'type',
    ]);
  }
  const t = type as CorrelationType;
  const rawRules = typeof c['rules'] === 'string' ? [c['rules']] : c['rules'];
  if (!Array.isArray(rawRules) || rawRules.length === 0 || !rawRules.every((r) => typeof r === 'string')) {
    throw new RuleCompileError('invalid_correlation', 'correlation.rules must list rule names or ids', [
      'correlation',
      'rules',
    ]);
  }
  if ((t === 'temporal' || t === 'temporal_ordered') && rawRules.length < 2) {
    throw new RuleCompileError('invalid_correlation', `${t} needs at least two rules`, [
      'correlation',
      'rules',
    ]);
  }
  const rawGroup = c['group-by'];
  const groupBy = rawGroup === undefined ? [] : typeof rawGroup === 'string' ? [rawGroup] : rawGroup;
  if (!Array.isArray(groupBy) || !groupBy.every((g) => typeof g === 'string')) {
    throw new RuleCompileError('invalid_correlation', 'group-by must list field names', [
      'correlation',
      'group-by',
    ]);
  }
  const timespanMs = parseTimespan(c['timespan'] ?? c['timeframe']);
  if (timespanMs === undefined) {
    throw new RuleCompileError('invalid_correlation', 'timespan must look like 30s, 5m, 1h or 1d', [
      'correlation',
      'timespan',
    ]);
  }
  const aliases: Record<string, Record<string, string>> = {};
  if (c['aliases'] !== undefined) {
    if (!isObj(c['aliases']))
      throw new RuleCompileError('invalid_correlation', 'aliases must be a mapping', [
        'correlation',
        'aliases',
      ]);
    for (const [alias, m] of Object.entries(c['aliases'])) {
      if (!isObj(m) || !Object.values(m).every((f) => typeof f === 'string')) {
        throw new RuleCompileError('invalid_correlation', `alias "${alias}" must map rules to fields`, [
          'correlation',
          'aliases',
          alias,
        ]);
      }
      aliases[alias] = m as Record<string, string>;
    }
  }
  const level = typeof doc['level'] === 'string' ? doc['level'].toLowerCase() : undefined;
  const name = typeof doc['name'] === 'string' ? doc['name'] : undefined;
  const rule: CorrelationRule = {
    id: typeof doc['id'] === 'string' ? doc['id'] : (name ?? `${path ?? 'correlation'}#${index}`),
    title: typeof doc['title'] === 'string' ? doc['title'] : '(untitled correlation)',
    severity: parseSeverity(level) ?? 'medium',
    tags: Array.isArray(doc['tags']) ? doc['tags'].filter((x): x is string => typeof x === 'string') : [],
    type: t,
    references: rawRules as string[],
    ruleIds: [],
    groupBy: groupBy as string[],
    aliases,
    timespanMs,
    condition: parseCountCondition(c['condition'], t, rawRules.length),
    generate: c['generate'] === true || doc['generate'] === true,
  };
  if (name !== undefined) rule.name = name;
  if (level !== undefined) rule.level = level;
  if (path !== undefined) rule.path = path;
  return rule;
}

/** True when `n` satisfies every bound of the condition. */
export function conditionHolds(cond: CountCondition, n: number): boolean {
  if (cond.gt !== undefined && !(n > cond.gt)) return false;
  if (cond.gte !== undefined && !(n >= cond.gte)) return false;
  if (cond.lt !== undefined && !(n < cond.lt)) return false;
  if (cond.lte !== undefined && !(n <= cond.lte)) return false;
  if (cond.eq !== undefined && n !== cond.eq) return false;
  return true;
}

/** Conditions with an upper bound can only be decided when the window closes. */
function needsWindowEnd(cond: CountCondition): boolean {
  return cond.lt !== undefined || cond.lte !== undefined || cond.eq !== undefined;
}

interface GroupState {
  key: string;
  group: Record<string, unknown>;
  windowStart: number;
  last: number;
  /** event_count: timestamps; value_count: value → last ts; temporal*: per-rule state. */
  times: number[];
  values: Map<string, number>;
  /** temporal: last ts per rule index; temporal_ordered: latest chain start reaching index i. */
  perRule: Array<number | undefined>;
  eventIds: string[];
}

interface RuleState {
  rule: CorrelationRule;
  groups: Map<string, GroupState>;
}

/**
 * Correlation state machine for a set of correlation rules. Feed it base-rule matches in event
 * time order with `observe`; it returns the correlations that fired.
 */
export class CorrelationEngine {
  private readonly states: RuleState[] = [];
  /** base rule id or name → correlation states that reference it (with the reference index). */
  private readonly byRule = new Map<string, Array<{ state: RuleState; index: number }>>();
  private totalGroups = 0;
  private readonly maxPerRule: number;
  private readonly maxTotal: number;
  private readonly maxEntries: number;
  private readonly maxIds: number;

  constructor(rules: readonly CorrelationRule[], limits: CorrelationLimits = {}) {
    this.maxPerRule = limits.maxGroupsPerRule ?? 10_000;
    this.maxTotal = limits.maxGroupsTotal ?? 100_000;
    this.maxEntries = limits.maxEntriesPerGroup ?? 10_000;
    this.maxIds = limits.maxEventIdsPerGroup ?? 100;
    for (const rule of rules) {
      const state: RuleState = { rule, groups: new Map() };
      this.states.push(state);
      const ids = rule.ruleIds.length > 0 ? rule.ruleIds : rule.references;
      ids.forEach((id, index) => {
        const list = this.byRule.get(id) ?? [];
        list.push({ state, index });
        this.byRule.set(id, list);
      });
    }
  }

  /** True when some correlation listens to this base rule id. */
  listensTo(ruleId: string): boolean {
    return this.byRule.has(ruleId);
  }

  /** Number of open groups over all correlation rules. */
  get openGroups(): number {
    return this.totalGroups;
  }

  /**
   * Feeds one base-rule match; returns fired correlations (and, recursively, correlations of
   * correlations).
   */
  observe(input: CorrelationInput): CorrelationMatch[] {
    const out: CorrelationMatch[] = [];
    this.observeInto(input, out, 0);
    return out;
  }

  private observeInto(input: CorrelationInput, out: CorrelationMatch[], depth: number): void {
    const listeners = this.byRule.get(input.rule_id);
    if (listeners === undefined || depth > 8) return;
    for (const { state, index } of listeners) {
      const fired = this.step(state, index, input);
      if (fired === undefined) continue;
      out.push(fired);
      // Correlations may themselves be referenced (chained correlations).
      this.observeInto(
        { rule_id: fired.rule_id, ts: fired.ts, fields: fired.group, event_id: undefined },
        out,
        depth + 1,
      );
    }
  }

  /**
   * Advances event time to `now`: windows of upper-bounded conditions (lt/lte/eq/range) that ended
   * are decided and returned; for sliding (lower-bound) conditions, entries older than the
   * timespan are dropped and empty groups forgotten.
   */
  advance(now: number): CorrelationMatch[] {
    const out: CorrelationMatch[] = [];
    for (const state of this.states) {
      const span = state.rule.timespanMs;
      for (const g of [...state.groups.values()]) {
        if (needsWindowEnd(state.rule.condition)) {
          if (now - g.windowStart > span) {
            const fired = this.closeWindow(state, g);
            if (fired !== undefined) out.push(fired);
          }
        } else if (this.prune(state.rule, g, now - span)) {
          this.removeGroup(state, g);
        }
      }
    }
    return out;
  }

  /** Drops a sliding group's entries older than `from`; true when nothing is left. */
  private prune(rule: CorrelationRule, g: GroupState, from: number): boolean {
    let oldest = Number.POSITIVE_INFINITY;
    if (rule.type === 'event_count') {
      g.times = g.times.filter((t) => t >= from);
      for (const t of g.times) oldest = Math.min(oldest, t);
    } else if (rule.type === 'value_count') {
      for (const [v, t] of [...g.values]) {
        if (t < from) g.values.delete(v);
        else oldest = Math.min(oldest, t);
      }
    } else {
      for (let i = 0; i < g.perRule.length; i++) {
        const t = g.perRule[i];
        if (t === undefined) continue;
        if (t < from) g.perRule[i] = undefined;
        else oldest = Math.min(oldest, t);
      }
    }
    if (oldest === Number.POSITIVE_INFINITY) return true;
    g.windowStart = oldest;
    return false;
  }

  /**
   * Rebuilds state from stored base-rule matches (any order; sorted here by time). Correlations
   * that fire during replay are not returned: they fired before the restart and were stored then.
   */
  replay(inputs: readonly CorrelationInput[]): number {
    const sorted = [...inputs].sort((a, b) => a.ts - b.ts);
    for (const input of sorted) this.observe(input);
    return sorted.length;
  }

  /** Forgets all state. */
  clear(): void {
    for (const s of this.states) s.groups.clear();
    this.totalGroups = 0;
  }

  private fieldFor(rule: CorrelationRule, index: number, field: string): string {
    const alias = rule.aliases[field];
    if (alias === undefined) return field;
    return alias[rule.ruleIds[index] ?? ''] ?? alias[rule.references[index] ?? ''] ?? field;
  }

  private step(state: RuleState, index: number, input: CorrelationInput): CorrelationMatch | undefined {
    const rule = state.rule;
    const group: Record<string, unknown> = {};
    let key = '';
    for (const g of rule.groupBy) {
      const v = input.fields[this.fieldFor(rule, index, g)];
      const s = scalarString(v);
      group[g] = v ?? null;
      key += `${s === null ? '\u0001' : s}\u0000`;
    }
    let fired: CorrelationMatch | undefined;
    let g = state.groups.get(key);
    if (g !== undefined && input.ts - g.windowStart > rule.timespanMs && needsWindowEnd(rule.condition)) {
      fired = this.closeWindow(state, g);
      g = undefined;
    }
    if (g === undefined) {
      g = {
        key,
        group,
        windowStart: input.ts,
        last: input.ts,
        times: [],
        values: new Map(),
        perRule: [],
        eventIds: [],
      };
      this.addGroup(state, g);
    } else {
      // Re-insert to keep Map order = least recently updated first (eviction order).
      state.groups.delete(key);
      state.groups.set(key, g);
    }
    g.last = Math.max(g.last, input.ts);
    if (input.event_id !== undefined && g.eventIds.length < this.maxIds) g.eventIds.push(input.event_id);

    const span = rule.timespanMs;
    let count = 0;
    switch (rule.type) {
      case 'event_count': {
        g.times.push(input.ts);
        if (g.times.length > this.maxEntries) g.times.shift();
        if (!needsWindowEnd(rule.condition)) {
          const from = input.ts - span;
          while (g.times.length > 0 && g.times[0]! < from) g.times.shift();
        }
        count = g.times.length;
        break;
      }
      case 'value_count': {
        const field = rule.condition.field ?? '';
        const v = scalarString(input.fields[this.fieldFor(rule, index, field)]);
        if (v !== null) {
          g.values.delete(v);
          g.values.set(v, input.ts);
          if (g.values.size > this.maxEntries) g.values.delete(g.values.keys().next().value as string);
        }
        if (!needsWindowEnd(rule.condition)) {
          const from = input.ts - span;
          for (const [val, ts] of g.values) {
            if (ts >= from) break;
            g.values.delete(val);
          }
        }
        count = g.values.size;
        break;
      }
      case 'temporal': {
        g.perRule[index] = input.ts;
        const from = input.ts - span;
        for (let i = 0; i < rule.references.length; i++) {
          const t = g.perRule[i];
          if (t !== undefined && t >= from) count++;
        }
        break;
      }
      case 'temporal_ordered': {
        if (index === 0) g.perRule[0] = input.ts;
        else {
          const prev = g.perRule[index - 1];
          if (prev !== undefined && input.ts - prev <= span)
            g.perRule[index] = Math.max(g.perRule[index] ?? prev, prev);
        }
        // Drop chain positions whose start left the window.
        for (let i = 0; i < rule.references.length; i++) {
          const t = g.perRule[i];
          if (t !== undefined && input.ts - t > span) g.perRule[i] = undefined;
        }
        let reached = 0;
        while (reached < rule.references.length && g.perRule[reached] !== undefined) reached++;
        count = reached;
        break;
      }
    }
    if (fired !== undefined) return fired;
    if (needsWindowEnd(rule.condition)) return undefined;
    // Sliding window: the reported first_ts is the oldest entry still inside it.
    this.prune(rule, g, input.ts - span);
    if (!conditionHolds(rule.condition, count)) return undefined;
    const match = this.toMatch(rule, g, count, input.ts);
    this.removeGroup(state, g);
    return match;
  }

  private closeWindow(state: RuleState, g: GroupState): CorrelationMatch | undefined {
    this.removeGroup(state, g);
    const rule = state.rule;
    const count =
      rule.type === 'event_count'
        ? g.times.length
        : rule.type === 'value_count'
          ? g.values.size
          : g.perRule.filter((t) => t !== undefined).length;
    if (!conditionHolds(rule.condition, count)) return undefined;
    return this.toMatch(rule, g, count, g.windowStart + rule.timespanMs);
  }

  private toMatch(rule: CorrelationRule, g: GroupState, count: number, ts: number): CorrelationMatch {
    const m: CorrelationMatch = {
      rule_id: rule.id,
      rule_title: rule.title,
      severity: rule.severity,
      type: rule.type,
      group: g.group,
      count,
      first_ts: g.windowStart,
      last_ts: g.last,
      ts,
      event_ids: g.eventIds,
    };
    if (rule.level !== undefined) m.level = rule.level;
    return m;
  }

  private addGroup(state: RuleState, g: GroupState): void {
    state.groups.set(g.key, g);
    this.totalGroups++;
    if (state.groups.size > this.maxPerRule) {
      const oldest = state.groups.values().next().value as GroupState;
      this.removeGroup(state, oldest);
    }
    if (this.totalGroups > this.maxTotal) this.evictOldestOverall();
  }

  private removeGroup(state: RuleState, g: GroupState): void {
    if (state.groups.get(g.key) === g) {
      state.groups.delete(g.key);
      this.totalGroups--;
    }
  }

  private evictOldestOverall(): void {
    let victim: { state: RuleState; g: GroupState } | undefined;
    for (const state of this.states) {
      const first = state.groups.values().next().value as GroupState | undefined;
      if (first !== undefined && (victim === undefined || first.last < victim.g.last))
        victim = { state, g: first };
    }
    if (victim !== undefined) this.removeGroup(victim.state, victim.g);
  }
}
