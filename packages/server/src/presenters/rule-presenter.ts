import { readJson } from '../db/json-column.ts';
import type { RuleRow, RuleVersionRow } from '../repositories/rules-repository.ts';
import { isoTime } from './time.ts';

/** A rule as lists show it (without its YAML). */
export function presentRuleSummary(r: RuleRow) {
  return {
    id: r.id,
    rule_id: r.rule_uid,
    name: r.name,
    title: r.title,
    level: r.level,
    severity: r.severity,
    status: r.status,
    kind: r.kind,
    enabled: r.enabled === 1,
    version: r.version,
    logsource: readJson<Record<string, string>>(r.logsource, {}),
    tags: readJson<string[]>(r.tags, []),
    mitre: {
      techniques: readJson<string[]>(r.mitre_techniques, []),
      tactics: readJson<string[]>(r.mitre_tactics, []),
    },
    group_by: readJson<string[]>(r.group_by, []),
    source: r.source,
    created_by: r.created_by,
    updated_by: r.updated_by,
    created_at: isoTime(r.created_at),
    updated_at: isoTime(r.updated_at),
  };
}

/** A rule with its description and YAML. */
export function presentRule(r: RuleRow) {
  return { ...presentRuleSummary(r), description: r.description, yaml: r.yaml };
}

/** One saved version of a rule. */
export function presentRuleVersion(v: RuleVersionRow) {
  return {
    rule: v.rule_id,
    version: v.version,
    title: v.title,
    yaml: v.yaml,
    created_by: v.created_by,
    created_at: isoTime(v.created_at),
  };
}
