import { type Position, QueryError } from './errors.ts';

export type TokenKind =
  /** A bare word: table, operator keyword, field or function name. */
  | 'ident'
  /** A field name quoted as `['x']`, `["x"]` or `` `x` ``: never a keyword. */
  | 'qident'
  /** A negated word operator written `!has`, `!contains`, `!in`… (value keeps the `!`). */
  | 'bangword'
  | 'string'
  | 'number'
  | 'timespan'
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier or punctuation text, the decoded string value, or the literal's source text. */
  value: string;
  /** Numeric value for `number` (the number) and `timespan` (milliseconds). */
  num: number;
  /** For `number`: written without fraction or exponent. */
  integer: boolean;
  pos: Position;
  /** Offset just past the token. */
  end: number;
  /** Whitespace or a comment came before this token (matters for `in~`, `project-away`). */
  spaced: boolean;
}

/** Milliseconds per timespan unit, KQL's spellings. */
const UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
};

const PUNCT2 = ['==', '!=', '=~', '!~', '<=', '>=', '..'];
const PUNCT1 = '|,()[]=<>+-*/%.!~:{}';

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}
function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

/**
 * Splits query text into tokens. Whitespace and `//` comments are skipped; anything outside the
 * language's alphabet (`;`, stray quotes, non-ASCII letters outside strings) is a positioned error.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): Position => ({ offset, line, column: offset - lineStart + 1 });
  const fail = (offset: number, message: string, expected: string[] = []): never => {
    throw new QueryError('SYNTAX_ERROR', message, pos(offset), expected);
  };

  let spaced = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      spaced = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      spaced = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      spaced = true;
      continue;
    }
    const start = i;
    const push = (kind: TokenKind, value: string, num = 0, integer = false) => {
      tokens.push({ kind, value, num, integer, pos: pos(start), end: i, spaced });
      spaced = false;
    };

    // Quoted identifiers: ['Threat Name'] or ["x"] or `x`.
    if (c === '[') {
      let j = i + 1;
      while (text[j] === ' ') j++;
      const q = text[j];
      if (q === '"' || q === "'") {
        i = j;
        const value = readString(q, false);
        while (text[i] === ' ') i++;
        if (text[i] !== ']') fail(i, 'expected "]" to close the quoted field name', [']']);
        i++;
        push('qident', value);
        continue;
      }
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || (nl >= 0 && nl < close)) fail(i, 'unterminated `quoted` field name', ['`']);
      const value = text.slice(i + 1, close);
      if (value.length === 0) fail(i, 'empty field name');
      checkText(value, i);
      i = close + 1;
      push('qident', value);
      continue;
    }
    if (c === '"' || c === "'") {
      push('string', readString(c, false));
      continue;
    }
    if (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      i++;
      push('string', readString(text[i]!, true));
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (/[0-9]/.test(text[j] ?? '')) j++;
      let integer = true;
      if (text[j] === '.' && /[0-9]/.test(text[j + 1] ?? '')) {
        integer = false;
        j++;
        while (/[0-9]/.test(text[j] ?? '')) j++;
      }
      if (/[eE]/.test(text[j] ?? '') && /[-+0-9]/.test(text[j + 1] ?? '')) {
        let k = j + 1;
        if (text[k] === '-' || text[k] === '+') k++;
        if (/[0-9]/.test(text[k] ?? '')) {
          integer = false;
          j = k;
          while (/[0-9]/.test(text[j] ?? '')) j++;
        }
      }
      const numText = text.slice(i, j);
      const value = Number(numText);
      let u = j;
      while (isIdentPart(text[u] ?? '')) u++;
      const unit = text.slice(j, u);
      i = u;
      if (unit === '') {
        if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
          fail(start, `number ${numText} is out of range`);
        }
        push('number', numText, value, integer);
      } else {
        const factor = UNITS[unit.toLowerCase()];
        if (factor === undefined) {
          fail(j, `unknown timespan unit "${unit}"`, ['d', 'h', 'm', 's', 'ms']);
        }
        const ms = Math.round(value * factor!);
        if (!Number.isSafeInteger(ms)) fail(start, `timespan ${numText}${unit} is out of range`);
        push('timespan', text.slice(start, i), ms, true);
      }
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(text[j] ?? '')) j++;
      i = j;
      const word = text.slice(start, j);
      push('ident', word);
      // `datetime(2024-01-01T10:00:00Z)` holds an unquoted timestamp that is not made of tokens:
      // capture it raw as a string so the parser sees datetime("...").
      if (word.toLowerCase() === 'datetime') {
        let k = i;
        while (text[k] === ' ' || text[k] === '\t') k++;
        if (text[k] === '(') {
          let m = k + 1;
          while (text[m] === ' ' || text[m] === '\t') m++;
          if (text[m] !== '"' && text[m] !== "'" && text[m] !== '@') {
            const close = text.indexOf(')', m);
            const nl = text.indexOf('\n', m);
            if (close >= 0 && (nl < 0 || nl > close) && /^[0-9A-Za-z:.+\- ]*$/.test(text.slice(m, close))) {
              i = k;
              const open = i;
              i++;
              tokens.push({
                kind: 'punct',
                value: '(',
                num: 0,
                integer: false,
                pos: pos(open),
                end: i,
                spaced: false,
              });
              const rawStart = m;
              i = close;
              tokens.push({
                kind: 'string',
                value: text.slice(rawStart, close).trim(),
                num: 0,
                integer: false,
                pos: pos(rawStart),
                end: close,
                spaced: true,
              });
            }
          }
        }
      }
      continue;
    }
    if (c === '!' && isIdentStart(text[i + 1] ?? '')) {
      let j = i + 2;
      while (isIdentPart(text[j] ?? '')) j++;
      i = j;
      push('bangword', text.slice(start, j));
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      i += 2;
      push('punct', two);
      continue;
    }
    if (PUNCT1.includes(c)) {
      i++;
      push('punct', c);
      continue;
    }
    const shown =
      c === ';' ? '";" (one query at a time; statements are not supported)' : describeChar(text, i);
    fail(i, `unexpected character ${shown}`);
  }
  tokens.push({ kind: 'eof', value: '', num: 0, integer: false, pos: pos(i), end: i, spaced: true });
  return tokens;

  /** Reads a quoted string starting at `i` (on the quote); leaves `i` after the closing quote. */
  function readString(quote: string, verbatim: boolean): string {
    const open = verbatim ? i - 1 : i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length || text[i] === '\n') fail(open, 'unterminated string literal', [quote]);
      const ch = text[i]!;
      if (ch === quote) {
        if (verbatim && text[i + 1] === quote) {
          out += quote;
          i += 2;
          continue;
        }
        i++;
        break;
      }
      if (ch === '\\' && !verbatim) {
        const e = text[i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
        if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        // Other escapes keep their backslash: regexes (`\d`) and Windows paths read as written.
        if (e !== undefined) {
          out += ch + e;
          i += 2;
          continue;
        }
      }
      out += ch;
      i++;
    }
    checkText(out, open);
    return out;
  }

  function checkText(value: string, at: number): void {
    // PostgreSQL text cannot hold NUL; refuse it for every dialect so results do not differ.
    if (value.includes('\u0000')) fail(at, 'NUL characters are not allowed in strings');
  }
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  return cp < 0x20 || cp > 0x7e ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')} "${ch}"` : `"${ch}"`;
}
