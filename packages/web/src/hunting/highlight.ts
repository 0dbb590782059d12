import { type Token, tokenize } from '@harrier/query/lexer';

/** How a stretch of query text is coloured. */
export type SpanKind =
  | 'plain'
  | 'comment'
  | 'keyword'
  | 'table'
  | 'function'
  | 'field'
  | 'string'
  | 'number'
  | 'operator'
  | 'error';

export interface Span {
  kind: SpanKind;
  text: string;
}

const KEYWORDS = new Set([
  'where',
  'project',
  'project-away',
  'extend',
  'summarize',
  'sort',
  'order',
  'by',
  'asc',
  'desc',
  'top',
  'take',
  'limit',
  'distinct',
  'count',
  'render',
  'and',
  'or',
  'not',
  'has',
  'has_any',
  'contains',
  'startswith',
  'endswith',
  'matches',
  'regex',
  'in',
  'between',
  'true',
  'false',
  'null',
]);

const TABLES = new Set(['events', 'alerts', 'devices', 'heartbeats', 'securityevent']);

/** Splits the text between two tokens into whitespace and `//` comments. */
function gapSpans(gap: string): Span[] {
  const out: Span[] = [];
  const re = /\/\/[^\n]*/g;
  let last = 0;
  for (let m = re.exec(gap); m; m = re.exec(gap)) {
    if (m.index > last) out.push({ kind: 'plain', text: gap.slice(last, m.index) });
    out.push({ kind: 'comment', text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < gap.length) out.push({ kind: 'plain', text: gap.slice(last) });
  return out;
}

function kindOf(token: Token, index: number, tokens: readonly Token[]): SpanKind {
  switch (token.kind) {
    case 'string':
      return 'string';
    case 'number':
    case 'timespan':
      return 'number';
    case 'punct':
      return 'operator';
    case 'bangword':
      return 'keyword';
    case 'qident':
      return 'field';
    case 'ident': {
      const lower = token.value.toLowerCase();
      if (index === 0 && TABLES.has(lower)) return 'table';
      if (tokens[index + 1]?.kind === 'punct' && tokens[index + 1]?.value === '(') return 'function';
      return KEYWORDS.has(lower) ? 'keyword' : 'field';
    }
    default:
      return 'plain';
  }
}

/**
 * Colours a hunting query with the query package's own lexer, so the editor never disagrees
 * with the server about what a token is. Text from a lexical error on is marked as an error.
 * The spans concatenate back to exactly `text`.
 */
export function highlightQuery(text: string): Span[] {
  let tokens: Token[];
  let errorAt = text.length;
  try {
    tokens = tokenize(text);
  } catch (err) {
    errorAt =
      typeof (err as { offset?: unknown }).offset === 'number' ? (err as { offset: number }).offset : 0;
    try {
      tokens = tokenize(text.slice(0, errorAt));
    } catch {
      tokens = [];
      errorAt = 0;
    }
  }
  const spans: Span[] = [];
  let at = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'eof') return;
    // A string's position is its opening quote; `datetime(raw)` tokens carry their raw text.
    const start = t.pos.offset;
    const end = Math.max(t.end, start);
    if (start < at) return;
    spans.push(...gapSpans(text.slice(at, start)));
    spans.push({ kind: kindOf(t, i, tokens), text: text.slice(start, end) });
    at = end;
  });
  if (at < errorAt) spans.push(...gapSpans(text.slice(at, errorAt)));
  if (errorAt < text.length) spans.push({ kind: 'error', text: text.slice(Math.max(at, errorAt)) });
  return spans.filter((s) => s.text !== '');
}

/**
 * Marks the word at `offset` (at least one character) so the editor can underline where the
 * server says a query went wrong. Spans are split, never merged; the text is unchanged.
 */
export function markOffset(spans: readonly Span[], offset: number): Array<Span & { marked?: boolean }> {
  const total = spans.reduce((n, s) => n + s.text.length, 0);
  const text = spans.map((s) => s.text).join('');
  const from = Math.max(0, Math.min(offset, total));
  if (total === 0) return [...spans];
  // At the very end (a missing token) the last character carries the mark.
  const start = from >= total ? total - 1 : from;
  const wordEnd = /^[^\s|]*/.exec(text.slice(start))?.[0].length ?? 0;
  const end = start + Math.max(1, wordEnd);
  const out: Array<Span & { marked?: boolean }> = [];
  let at = 0;
  for (const s of spans) {
    const sStart = at;
    const sEnd = at + s.text.length;
    at = sEnd;
    if (sEnd <= start || sStart >= end) {
      out.push(s);
      continue;
    }
    const a = Math.max(start, sStart) - sStart;
    const b = Math.min(end, sEnd) - sStart;
    if (a > 0) out.push({ kind: s.kind, text: s.text.slice(0, a) });
    out.push({ kind: s.kind, text: s.text.slice(a, b), marked: true });
    if (b < s.text.length) out.push({ kind: s.kind, text: s.text.slice(b) });
  }
  return out;
}
