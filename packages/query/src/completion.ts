import { type Catalog, defaultCatalog, findTable } from './catalog.ts';
import { type Token, tokenize } from './lexer.ts';

/** One completion proposal for the console's editor. */
export interface CompletionItem {
  label: string;
  kind: 'table' | 'operator' | 'field' | 'function' | 'keyword';
  detail?: string;
}

/** Proposals for the word at `offset`, replacing text[from, to). */
export interface Completions {
  from: number;
  to: number;
  items: CompletionItem[];
}

const OPERATORS = [
  'where',
  'project',
  'project-away',
  'extend',
  'summarize',
  'sort by',
  'top',
  'take',
  'distinct',
  'count',
  'render',
];
const COMPARISONS = [
  '==',
  '!=',
  '=~',
  'has',
  '!has',
  'has_any',
  'contains',
  '!contains',
  'startswith',
  'endswith',
  'matches regex',
  'in',
  '!in',
  'between',
];
const FUNCTIONS = [
  'ago',
  'now',
  'bin',
  'datetime',
  'tolower',
  'toupper',
  'strlen',
  'tostring',
  'toint',
  'isempty',
  'isnotempty',
  'isnull',
  'isnotnull',
  'strcat',
  'iff',
];
const AGGREGATES = ['count', 'countif', 'dcount', 'min', 'max', 'avg', 'sum'];

/**
 * Suggests table, operator, field and function names at a cursor position: tables first, operator
 * names after `|`, comparisons after a field, fields (of the query's table) and functions elsewhere.
 * Never throws: unfinished text yields the best guess or nothing.
 */
export function completeAt(text: string, offset: number, catalog: Catalog = defaultCatalog): Completions {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  const from = before.length - word.length;
  // The replaced range runs on to the end of the word under the cursor.
  const to = before.length + (/^[A-Za-z0-9_]*/.exec(text.slice(before.length))?.[0].length ?? 0);
  const none: Completions = { from, to, items: [] };
  let tokens: Token[];
  try {
    tokens = tokenize(before.slice(0, from));
  } catch {
    return none; // inside a string or after a lexical error
  }
  tokens.pop(); // eof
  const prefix = word.toLowerCase();
  const keep = (items: CompletionItem[]) => ({
    from,
    to,
    items: items.filter((i) => i.label.toLowerCase().startsWith(prefix)),
  });
  if (tokens.length === 0) {
    return keep(Object.keys(catalog.tables).map((t) => ({ label: t, kind: 'table' as const })));
  }
  const prev = tokens[tokens.length - 1]!;
  if (prev.kind === 'punct' && prev.value === '|') {
    return keep(OPERATORS.map((o) => ({ label: o, kind: 'operator' as const })));
  }
  const table = findTable(catalog, tokens[0]!.value)?.table;
  const fields: CompletionItem[] = table
    ? Object.entries(table.columns).map(([name, c]) => ({
        label: /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name}']`,
        kind: 'field' as const,
        detail: c.type,
      }))
    : [];
  const inSummarize =
    tokens.some((t) => t.kind === 'ident' && t.value.toLowerCase() === 'summarize') &&
    !tokens
      .slice(tokens.findLastIndex((t) => t.kind === 'ident' && t.value.toLowerCase() === 'summarize'))
      .some((t) => t.kind === 'punct' && t.value === '|');
  const afterValue =
    prev.kind === 'qident' ||
    (prev.kind === 'ident' &&
      !['where', 'by', 'and', 'or', 'not', 'project', 'extend', 'summarize', 'distinct'].includes(
        prev.value.toLowerCase(),
      ));
  if (afterValue && !inSummarize) {
    return keep([
      ...COMPARISONS.map((c) => ({ label: c, kind: 'keyword' as const })),
      { label: 'and', kind: 'keyword' as const },
      { label: 'or', kind: 'keyword' as const },
    ]);
  }
  const functions = (inSummarize ? [...AGGREGATES, ...FUNCTIONS] : FUNCTIONS).map((f) => ({
    label: f,
    kind: 'function' as const,
  }));
  return keep([...fields, ...functions]);
}
