/**
 * The decision engine's rules, kept as data (seed 000's `decision_engine.py`
 * made explicit): the first rule whose conditions all hold gives the
 * recommended action and its priority; boosts then raise the priority to at
 * least their floor. Facts come from `decisionFacts` (alert plus its first event).
 */

/** One test on a fact; `path` is dotted (`features.vt_positives`, `reasons.anomaly`). */
export type DecisionCondition =
  | { path: string; op: 'in'; value: readonly (string | number | boolean)[] }
  | { path: string; op: 'eq'; value: string | number | boolean }
  | { path: string; op: 'gt' | 'gte'; value: number }
  | { path: string; op: 'truthy' | 'falsy' | 'nonempty' };

export interface DecisionRule {
  name: string;
  when: readonly DecisionCondition[];
  action: string;
  priority: number;
}

export interface PriorityBoost {
  name: string;
  when: readonly DecisionCondition[];
  minPriority: number;
}

export interface DecisionRuleSet {
  rules: readonly DecisionRule[];
  fallback: { action: string; priority: number };
  boosts: readonly PriorityBoost[];
}

/** Seed 000's rules in its order, with its file-rule bug fixed (`yara_hits` as well as `yara_hits_count`). */
export const DEFAULT_DECISION_RULES: DecisionRuleSet = {
  rules: [
    {
      name: 'severe-alert',
      when: [{ path: 'severity', op: 'in', value: ['critical', 'high'] }],
      action: 'isolate_host',
      priority: 5,
    },
    {
      name: 'high-score',
      when: [{ path: 'score', op: 'gte', value: 80 }],
      action: 'isolate_host',
      priority: 5,
    },
    {
      name: 'known-malicious-process',
      when: [
        { path: 'event_type', op: 'eq', value: 'process' },
        { path: 'features.hash_known_malicious', op: 'truthy' },
      ],
      action: 'terminate_process',
      priority: 4,
    },
    {
      name: 'vt-detected-process',
      when: [
        { path: 'event_type', op: 'eq', value: 'process' },
        { path: 'features.vt_positives', op: 'gt', value: 50 },
      ],
      action: 'terminate_process',
      priority: 4,
    },
    {
      name: 'process-from-suspicious-path',
      when: [
        { path: 'event_type', op: 'eq', value: 'process' },
        { path: 'features.is_suspicious_path', op: 'truthy' },
      ],
      action: 'quarantine_file',
      priority: 3,
    },
    {
      name: 'public-remote-address',
      when: [
        { path: 'event_type', op: 'eq', value: 'network' },
        { path: 'features.remote_ip', op: 'truthy' },
        { path: 'features.is_private_ip', op: 'falsy' },
        { path: 'features.is_loopback', op: 'falsy' },
      ],
      action: 'block_ip',
      priority: 3.5,
    },
    {
      name: 'yara-hit-file',
      when: [
        { path: 'event_type', op: 'eq', value: 'file' },
        { path: 'features.yara_hits_count', op: 'gt', value: 0 },
      ],
      action: 'quarantine_file',
      priority: 3.5,
    },
    {
      name: 'yara-hit-file-list',
      when: [
        { path: 'event_type', op: 'eq', value: 'file' },
        { path: 'features.yara_hits', op: 'nonempty' },
      ],
      action: 'quarantine_file',
      priority: 3.5,
    },
  ],
  fallback: { action: 'notify_soc', priority: 1 },
  boosts: [
    { name: 'anomaly-reasons', when: [{ path: 'reasons.anomaly', op: 'nonempty' }], minPriority: 2.5 },
    { name: 'behavioral-reasons', when: [{ path: 'reasons.behavioral', op: 'nonempty' }], minPriority: 2 },
  ],
};

function at(facts: unknown, path: string): unknown {
  let v: unknown = facts;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function holds(facts: unknown, c: DecisionCondition): boolean {
  const v = at(facts, c.path);
  switch (c.op) {
    case 'in':
      return c.value.includes(v as string);
    case 'eq':
      return v === c.value;
    case 'gt':
      return typeof v === 'number' && v > c.value;
    case 'gte':
      return typeof v === 'number' && v >= c.value;
    case 'truthy':
      return Boolean(v) && !(Array.isArray(v) && v.length === 0);
    case 'falsy':
      return !v;
    case 'nonempty':
      return Array.isArray(v)
        ? v.length > 0
        : typeof v === 'string'
          ? v.length > 0
          : v !== null && typeof v === 'object' && Object.keys(v).length > 0;
  }
}

/** The recommendation for one alert's facts. */
export function recommend(
  facts: Record<string, unknown>,
  set: DecisionRuleSet = DEFAULT_DECISION_RULES,
): { action: string; priority: number; rule: string; boosts: string[] } {
  const rule = set.rules.find((r) => r.when.every((c) => holds(facts, c)));
  let priority = rule?.priority ?? set.fallback.priority;
  const boosts: string[] = [];
  for (const b of set.boosts) {
    if (b.when.every((c) => holds(facts, c)) && priority < b.minPriority) {
      priority = b.minPriority;
      boosts.push(b.name);
    }
  }
  return { action: rule?.action ?? set.fallback.action, priority, rule: rule?.name ?? 'default', boosts };
}
