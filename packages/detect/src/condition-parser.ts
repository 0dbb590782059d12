/**
 * Sigma condition expressions: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`,
 * `1 of them`, `all of them` (`any of` is accepted as `1 of`). Precedence: not > and > or.
 * Aggregations (`| count() …`, Sigma v1) are refused with a pointer to correlation rules.
 */
import { RuleCompileError, type YamlPath } from './errors.ts';

/** Condition syntax tree. */
export type ConditionNode =
  | { type: 'ref'; name: string; offset: number }
  | { type: 'and'; items: ConditionNode[] }
  | { type: 'or'; items: ConditionNode[] }
  | { type: 'not'; item: ConditionNode }
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string; offset: number };

interface Token {
  kind: 'lparen' | 'rparen' | 'word' | 'pipe';
  text: string;
  offset: number;
}

function tokenize(src: string, path: YamlPath): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', text: c, offset: i++ });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', text: c, offset: i++ });
    } else if (c === '|') {
      // Everything after a pipe is a (v1) aggregation; the parser refuses it.
      tokens.push({ kind: 'pipe', text: c, offset: i });
      break;
    } else {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_*.-]/.test(src[i]!)) i++;
      if (i === start) {
        throw new RuleCompileError(
          'invalid_condition',
          `unexpected character "${c}" in condition`,
          path,
          start,
        );
      }
      tokens.push({ kind: 'word', text: src.slice(start, i), offset: start });
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of']);

/** Parses a condition string; errors carry the character offset of the offending token. */
export function parseCondition(src: string, path: YamlPath): ConditionNode {
  const tokens = tokenize(src, path);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean =>
    t?.kind === 'word' && t.text.toLowerCase() === w;
  const fail = (msg: string, t: Token | undefined): never => {
    throw new RuleCompileError('invalid_condition', msg, path, t?.offset ?? src.length);
  };

  const parseOr = (): ConditionNode => {
    const items = [parseAnd()];
    while (isWord(peek(), 'or')) {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  };
  const parseAnd = (): ConditionNode => {
    const items = [parseNot()];
    while (isWord(peek(), 'and')) {
      pos++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  };
  const parseNot = (): ConditionNode => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { type: 'not', item: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const t = peek();
    if (t === undefined) return fail('condition ends unexpectedly', t);
    if (t.kind === 'pipe') {
      throw new RuleCompileError(
        'unsupported_aggregation',
        'aggregation expressions (`| count() …`) are deprecated; use a Sigma correlation rule',
        path,
        t.offset,
      );
    }
    if (t.kind === 'lparen') {
      pos++;
      const inner = parseOr();
      if (peek()?.kind !== 'rparen') fail('missing ")"', peek());
      pos++;
      return inner;
    }
    if (t.kind === 'rparen') return fail('unexpected ")"', t);
    const lower = t.text.toLowerCase();
    if ((lower === '1' || lower === 'any' || lower === 'all') && isWord(tokens[pos + 1], 'of')) {
      const target = tokens[pos + 2];
      if (target?.kind !== 'word' || KEYWORDS.has(target.text.toLowerCase())) {
        return fail('expected a selection name, a pattern or "them" after "of"', target);
      }
      pos += 3;
      return {
        type: 'of',
        quantifier: lower === 'all' ? 'all' : 'one',
        pattern: target.text.toLowerCase() === 'them' ? 'them' : target.text,
        offset: t.offset,
      };
    }
    if (KEYWORDS.has(lower)) return fail(`unexpected "${t.text}"`, t);
    pos++;
    return { type: 'ref', name: t.text, offset: t.offset };
  };

  if (tokens.length === 0) throw new RuleCompileError('invalid_condition', 'empty condition', path, 0);
  const tree = parseOr();
  if (pos < tokens.length) {
    const t = tokens[pos]!;
    if (t.kind === 'pipe') {
      throw new RuleCompileError(
        'unsupported_aggregation',
        'aggregation expressions (`| count() …`) are deprecated; use a Sigma correlation rule',
        path,
        t.offset,
      );
    }
    fail(`unexpected "${t.text}"`, t);
  }
  return tree;
}

/** Selection names a `1 of`/`all of` pattern refers to; `them` skips names starting with `_`. */
export function expandPattern(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  if (!pattern.includes('*')) return names.filter((n) => n === pattern);
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return names.filter((n) => re.test(n));
}
