/**
 * Sigma detection → compiled predicate. Selections become AND/OR trees of compiled items, the
 * condition is parsed and bound to them once, and the rule's literal requirement is derived from
 * the same tree for the prefilter.
 */
import { type ConditionNode, expandPattern, parseCondition } from './condition-parser.ts';
import { RuleCompileError, type YamlPath } from './errors.ts';
import type { EvalContext, Pred } from './eval-context.ts';
import { allOfRequirements, anyOfRequirements, type Requirement } from './literal-index.ts';
import { type CompiledItem, compileItem, splitFieldKey, type ValueOptions } from './modifiers.ts';
import { extractRuleMetadata, type RuleMetadata } from './rule-metadata.ts';

/** A rule ready to run. */
export interface CompiledRule {
  meta: RuleMetadata;
  predicate: Pred;
  /** Compiled selections by name, for explaining which were true. */
  selections: ReadonlyMap<string, CompiledItem>;
  requirement: Requirement;
}

/** Detection keys that are not selections. */
const RESERVED = new Set(['condition', 'timeframe']);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function all(items: CompiledItem[]): CompiledItem {
  if (items.length === 1) return items[0]!;
  const preds = items.map((i) => i.pred);
  return {
    pred: (ctx) => {
      for (const p of preds) if (!p(ctx)) return false;
      return true;
    },
    requirement: allOfRequirements(items.map((i) => i.requirement)),
  };
}

function any(items: CompiledItem[]): CompiledItem {
  if (items.length === 1) return items[0]!;
  const preds = items.map((i) => i.pred);
  return {
    pred: (ctx) => {
      for (const p of preds) if (p(ctx)) return true;
      return false;
    },
    requirement: anyOfRequirements(items.map((i) => i.requirement)),
  };
}

function compileMap(map: Record<string, unknown>, opts: ValueOptions, path: YamlPath): CompiledItem {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new RuleCompileError('invalid_rule', 'empty selection', path);
  return all(
    keys.map((key) => {
      const itemPath = [...path, key];
      const { field, modifiers } = splitFieldKey(key, itemPath);
      return compileItem(field, modifiers, map[key], opts, itemPath);
    }),
  );
}

/** Compiles one named selection (map, list of maps, or keyword list). */
export function compileSelection(value: unknown, opts: ValueOptions, path: YamlPath): CompiledItem {
  if (isObj(value)) return compileMap(value, opts, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleCompileError('invalid_rule', 'empty selection list', path);
    const keywords: unknown[] = [];
    const maps: CompiledItem[] = [];
    value.forEach((el, i) => {
      if (isObj(el)) maps.push(compileMap(el, opts, [...path, i]));
      else if (Array.isArray(el))
        throw new RuleCompileError('invalid_rule', 'nested lists are not a selection', [...path, i]);
      else keywords.push(el);
    });
    if (keywords.length > 0) maps.push(compileItem('', [], keywords, opts, path));
    return any(maps);
  }
  if (typeof value === 'string' || typeof value === 'number') return compileItem('', [], value, opts, path);
  throw new RuleCompileError('invalid_rule', 'a selection must be a map, a list or a keyword', path);
}

function bindCondition(
  node: ConditionNode,
  selections: ReadonlyMap<string, CompiledItem>,
  names: readonly string[],
  path: YamlPath,
): CompiledItem {
  switch (node.type) {
    case 'ref': {
      const sel = selections.get(node.name);
      if (sel === undefined) {
        throw new RuleCompileError(
          'missing_selection',
          `condition names unknown selection "${node.name}"`,
          path,
          node.offset,
        );
      }
      return sel;
    }
    case 'and':
      return all(node.items.map((n) => bindCondition(n, selections, names, path)));
    case 'or':
      return any(node.items.map((n) => bindCondition(n, selections, names, path)));
    case 'not': {
      const inner = bindCondition(node.item, selections, names, path).pred;
      return { pred: (ctx) => !inner(ctx), requirement: null };
    }
    case 'of': {
      const matched = expandPattern(node.pattern, names);
      if (matched.length === 0) {
        throw new RuleCompileError(
          'missing_selection',
          `"${node.pattern}" matches no selection`,
          path,
          node.offset,
        );
      }
      const items = matched.map((n) => selections.get(n)!);
      return node.quantifier === 'all' ? all(items) : any(items);
    }
  }
}

/**
 * Compiles a rule document (already merged with any collection template). Throws
 * RuleCompileError with the YAML path of the problem.
 */
export function compileRule(
  doc: Record<string, unknown>,
  opts: ValueOptions,
  path?: string,
  index = 0,
): CompiledRule {
  const meta = extractRuleMetadata(doc, path, index);
  if (typeof doc['title'] !== 'string')
    throw new RuleCompileError('invalid_rule', 'rule has no title', ['title']);
  const detection = doc['detection'];
  if (!isObj(detection))
    throw new RuleCompileError('invalid_rule', 'rule has no detection section', ['detection']);
  if (doc['logsource'] !== undefined && !isObj(doc['logsource'])) {
    throw new RuleCompileError('invalid_rule', 'logsource must be a mapping', ['logsource']);
  }

  const selections = new Map<string, CompiledItem>();
  for (const [name, value] of Object.entries(detection)) {
    if (RESERVED.has(name)) continue;
    selections.set(name, compileSelection(value, opts, ['detection', name]));
  }
  const names = [...selections.keys()];

  const condition = detection['condition'];
  let bound: CompiledItem;
  if (typeof condition === 'string') {
    bound = bindCondition(parseCondition(condition, ['detection', 'condition']), selections, names, [
      'detection',
      'condition',
    ]);
  } else if (
    Array.isArray(condition) &&
    condition.length > 0 &&
    condition.every((c) => typeof c === 'string')
  ) {
    // A list of conditions means any of them (Sigma v1).
    bound = any(
      condition.map((c, i) => {
        const p = ['detection', 'condition', i];
        return bindCondition(parseCondition(c as string, p), selections, names, p);
      }),
    );
  } else {
    throw new RuleCompileError('invalid_condition', 'detection has no condition', ['detection', 'condition']);
  }

  return { meta, predicate: bound.pred, selections, requirement: bound.requirement };
}

/** Which selections of a rule are true for the event in `ctx` (for rule testing in the console). */
export function explainSelections(rule: CompiledRule, ctx: EvalContext): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, sel] of rule.selections) out[name] = sel.pred(ctx);
  return out;
}
