/**
 * Rule sources (YAML text with an optional path) → compiled rules, correlation rules and the
 * structured errors of everything that could not be compiled. Never throws.
 */
import { type CorrelationRule, parseCorrelationRule } from './correlation.ts';
import { RuleCompileError, type RuleError } from './errors.ts';
import type { ValueOptions } from './modifiers.ts';
import { type CompiledRule, compileRule } from './rule-compiler.ts';
import { type ParsedRuleDocument, parseSigmaYaml } from './sigma-parser.ts';

/** One YAML file or string holding one or more rules. */
export interface RuleSource {
  path?: string;
  text: string;
}

/** Options of `loadRules`. */
export interface LoadOptions extends ValueOptions {
  /**
   * Rule ids or names defined elsewhere (e.g. already stored) that correlation rules in these
   * sources may reference; used when validating one rule file at a time.
   */
  knownRuleRefs?: readonly string[];
}

/** Everything loaded from a set of sources. */
export interface LoadedRules {
  rules: CompiledRule[];
  correlations: CorrelationRule[];
  errors: RuleError[];
}

function toRuleError(err: unknown, doc: ParsedRuleDocument): RuleError {
  const id = typeof doc.value['id'] === 'string' ? doc.value['id'] : undefined;
  if (err instanceof RuleCompileError) {
    const p = doc.locate(err.yamlPath, err.target, err.offset);
    return {
      ...(doc.path !== undefined ? { path: doc.path } : {}),
      ...(id !== undefined ? { rule_id: id } : {}),
      line: p.line,
      column: p.column,
      code: err.code,
      message: err.message,
    };
  }
  // Anything unexpected still becomes a report, never a crash.
  const p = doc.locate([]);
  return {
    ...(doc.path !== undefined ? { path: doc.path } : {}),
    ...(id !== undefined ? { rule_id: id } : {}),
    line: p.line,
    column: p.column,
    code: 'invalid_rule',
    message: err instanceof Error ? err.message : String(err),
  };
}

/**
 * Parses and compiles rule sources. Rules with a duplicate id, correlation rules referencing
 * unknown rules, and every other refusal are returned in `errors` with file, line and column.
 */
export function loadRules(sources: readonly RuleSource[], opts: LoadOptions = {}): LoadedRules {
  const rules: CompiledRule[] = [];
  const correlations: Array<{ rule: CorrelationRule; doc: ParsedRuleDocument }> = [];
  const errors: RuleError[] = [];
  const seen = new Set<string>();

  for (const source of sources) {
    const parsed = parseSigmaYaml(source.text, source.path);
    errors.push(...parsed.errors);
    for (const doc of parsed.documents) {
      try {
        if (doc.value['correlation'] !== undefined) {
          const rule = parseCorrelationRule(doc.value, doc.path, doc.index);
          if (seen.has(rule.id))
            throw new RuleCompileError('duplicate_rule_id', `rule id ${rule.id} is already loaded`, ['id']);
          seen.add(rule.id);
          correlations.push({ rule, doc });
        } else {
          const rule = compileRule(doc.value, opts, doc.path, doc.index);
          if (seen.has(rule.meta.id)) {
            throw new RuleCompileError('duplicate_rule_id', `rule id ${rule.meta.id} is already loaded`, [
              'id',
            ]);
          }
          seen.add(rule.meta.id);
          rules.push(rule);
        }
      } catch (err) {
        errors.push(toRuleError(err, doc));
      }
    }
  }

  // Resolve correlation references by rule id or name (rules and other correlations).
  const byName = new Map<string, string>();
  for (const ref of opts.knownRuleRefs ?? []) byName.set(ref, ref);
  for (const r of rules) {
    byName.set(r.meta.id, r.meta.id);
    if (r.meta.name !== undefined) byName.set(r.meta.name, r.meta.id);
  }
  for (const { rule } of correlations) {
    byName.set(rule.id, rule.id);
    if (rule.name !== undefined) byName.set(rule.name, rule.id);
  }
  const resolved: CorrelationRule[] = [];
  for (const { rule, doc } of correlations) {
    try {
      rule.ruleIds = rule.references.map((ref, i) => {
        const id = byName.get(ref);
        if (id === undefined) {
          throw new RuleCompileError(
            'unknown_rule_reference',
            `correlation references unknown rule "${ref}"`,
            ['correlation', 'rules', i],
          );
        }
        return id;
      });
      // Aliases may name rules by name; key them by id as well.
      for (const alias of Object.values(rule.aliases)) {
        for (const [ref, field] of Object.entries(alias)) {
          const id = byName.get(ref);
          if (id !== undefined) alias[id] = field;
        }
      }
      resolved.push(rule);
    } catch (err) {
      errors.push(toRuleError(err, doc));
    }
  }
  return { rules, correlations: resolved, errors };
}
