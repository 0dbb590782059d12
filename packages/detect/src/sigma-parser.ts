/**
 * Sigma YAML → rule documents. Handles multi-document files and rule collections
 * (`action: global | reset | repeat`) and keeps the YAML node tree so that any later error can be
 * reported with the line and column of the offending key or value.
 */

import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { RuleError, YamlPath } from './errors.ts';

/** 1-based position in a YAML source. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One rule document after collection actions are applied. */
export interface ParsedRuleDocument {
  /** The rule as plain data (global template merged in). */
  value: Record<string, unknown>;
  path?: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  /**
   * Position of the value (or, with `target: 'key'`, the key) at `yamlPath`, falling back to the
   * nearest enclosing node. With `offset`, the position of that character inside a scalar value.
   */
  locate(yamlPath: YamlPath, target?: 'key' | 'value', offset?: number): SourcePosition;
}

/** Result of parsing one YAML source: the rule documents and the documents that failed. */
export interface ParseResult {
  documents: ParsedRuleDocument[];
  errors: RuleError[];
}

type Plain = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Recursive merge used by collections: maps merge key by key, anything else is replaced. */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/** Node range start of the value (or key, for map entries) at a YAML path. */
function locateIn(doc: Document, yamlPath: YamlPath, target: 'key' | 'value' = 'value'): number | undefined {
  let node: unknown = doc.contents;
  let found: number | undefined = rangeStart(node);
  for (const seg of yamlPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return found;
      const keyStart = rangeStart(pair.key);
      if (keyStart !== undefined) found = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      const start = rangeStart(node);
      if (start === undefined) return found;
      found = start;
    } else {
      return found;
    }
  }
  // For a scalar leaf, point at the value itself (condition offsets are relative to it).
  if (target === 'value' && isScalar(node)) {
    const start = rangeStart(node);
    if (start !== undefined) found = start;
  }
  return found;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node === 'object' && node !== null && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    if (Array.isArray(r)) return r[0];
  }
  return undefined;
}

/** Offset inside a quoted scalar's source where its value text starts (skip the quote). */
function scalarValueShift(doc: Document, yamlPath: YamlPath): number {
  const node = doc.getIn(yamlPath as unknown[], true);
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) return 1;
  return 0;
}

/**
 * Parses a Sigma YAML source (one or many documents). Invalid YAML yields an `invalid_yaml` error
 * with the parser's line and column; documents that are not mappings yield `invalid_rule`.
 */
export function parseSigmaYaml(text: string, path?: string): ParseResult {
  const lineCounter = new LineCounter();
  const errors: RuleError[] = [];
  const documents: ParsedRuleDocument[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    }) as Document.Parsed[];
  } catch (err) {
    errors.push({ path, line: 1, column: 1, code: 'invalid_yaml', message: String(err) });
    return { documents, errors };
  }
  if (!Array.isArray(docs)) docs = [docs];

  const pos = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  let globalTemplate: Plain = {};
  let globalDoc: Document | undefined;
  let previous: { value: Plain; doc: Document } | undefined;

  docs.forEach((doc, index) => {
    const docStart = pos(rangeStart(doc.contents) ?? doc.range?.[0]);
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const p = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : undefined);
      errors.push({
        path,
        line: p?.line ?? docStart.line,
        column: p?.col ?? docStart.column,
        code: 'invalid_yaml',
        message: e.message.split('\n')[0] ?? e.message,
      });
      return;
    }
    // Keys must be scalars (a collection key would be silently stringified by toJS).
    let badKey: number | undefined;
    visit(doc, {
      Pair(_, pair) {
        if (pair.key !== null && !isScalar(pair.key)) {
          badKey = rangeStart(pair.key) ?? 0;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (badKey !== undefined) {
      errors.push({
        path,
        ...pos(badKey),
        code: 'invalid_yaml',
        message: 'mapping keys must be plain values',
      });
      return;
    }
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // e.g. an alias to an anchor that is not defined, or alias expansion beyond the limit
      errors.push({
        path,
        ...docStart,
        code: 'invalid_yaml',
        message: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    if (js === null || js === undefined) return; // empty document (e.g. trailing `---`)
    if (!isPlainObject(js)) {
      errors.push({
        path,
        ...docStart,
        code: 'invalid_rule',
        message: 'a Sigma rule document must be a mapping',
      });
      return;
    }
    const action = js['action'];
    if (action === 'global') {
      const { action: _a, ...rest } = js;
      globalTemplate = deepMerge(globalTemplate, rest);
      globalDoc = doc;
      return;
    }
    if (action === 'reset') {
      globalTemplate = {};
      globalDoc = undefined;
      return;
    }
    let value: Plain;
    if (action === 'repeat') {
      if (previous === undefined) {
        errors.push({
          path,
          ...docStart,
          code: 'invalid_rule',
          message: '`action: repeat` without a previous rule',
        });
        return;
      }
      const { action: _a, ...rest } = js;
      value = deepMerge(previous.value, rest);
    } else if (action !== undefined) {
      errors.push({
        path,
        ...docStart,
        code: 'invalid_rule',
        message: `unknown collection action "${String(action)}"`,
      });
      return;
    } else {
      value = deepMerge(globalTemplate, js);
    }
    const repeated = action === 'repeat' ? previous?.doc : undefined;
    previous = { value, doc };
    const template = globalDoc;
    documents.push({
      value,
      path,
      index,
      locate(yamlPath: YamlPath, target: 'key' | 'value' = 'value', offset?: number): SourcePosition {
        // The key may come from this document, the global template, or the repeated rule.
        for (const d of [doc, template, repeated]) {
          if (d === undefined) continue;
          const exact = d.getIn(yamlPath as unknown[], true);
          if (exact !== undefined || yamlPath.length === 0) {
            const off = locateIn(d, yamlPath, target);
            if (off !== undefined) {
              const p = pos(off);
              if (offset === undefined) return p;
              return { line: p.line, column: p.column + scalarValueShift(d, yamlPath) + offset };
            }
          }
        }
        return pos(locateIn(doc, yamlPath, target));
      },
    });
  });
  return { documents, errors };
}
