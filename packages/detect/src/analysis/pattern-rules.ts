/**
 * A small pattern-rule language over bytes, a subset of YARA's so analysts can
 * reuse what they know:
 *
 * ```
 * rule Suspicious_Downloader : dropper {
 *   meta:
 *     description = "PowerShell download cradle"
 *     severity = "high"
 *   strings:
 *     $a = "DownloadString" nocase
 *     $b = "IEX" wide ascii
 *     $mz = { 4D 5A ?? 00 }
 *   condition:
 *     uint16(0) == 0x5A4D and (2 of them or $a)
 * }
 * ```
 * Strings: text (`nocase`, `wide`, `ascii`) and hex with `??` wildcards.
 * Conditions: `$id`, `any|all|N of them`, `N of ($a, $b*)`, `and`/`or`/`not`,
 * parentheses, `filesize < 1MB`, `uint8|uint16|uint32(offset) == value`.
 */

export interface PatternRule {
  name: string;
  tags: string[];
  meta: Record<string, string>;
  strings: PatternString[];
  condition: Condition;
}

interface PatternString {
  id: string;
  /** Each alternative is a byte sequence where -1 matches any byte. */
  alternatives: number[][];
  nocase: boolean;
}

type Condition =
  | { kind: 'string'; id: string }
  | { kind: 'of'; count: number | 'any' | 'all'; ids: string[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'filesize'; op: string; value: number }
  | { kind: 'uint'; width: 1 | 2 | 4; offset: number; op: string; value: number };

/** A problem in rule text, at a 1-based line. */
export class PatternRuleError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Token {
  type: 'word' | 'string' | 'hex' | 'number' | 'var' | 'punct';
  value: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new PatternRuleError('unclosed comment', line);
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (c === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw new PatternRuleError('unclosed string', line);
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1]!;
          s +=
            n === 'n'
              ? '\n'
              : n === 't'
                ? '\t'
                : n === 'x'
                  ? String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16))
                  : n;
          i += n === 'x' ? 4 : 2;
        } else s += text[i++];
      }
      if (i >= text.length) throw new PatternRuleError('unclosed string', line);
      i++;
      tokens.push({ type: 'string', value: s, line });
    } else if (c === '{' && tokens.at(-1)?.value === '=') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new PatternRuleError('unclosed hex string', line);
      tokens.push({ type: 'hex', value: text.slice(i + 1, end), line });
      i = end + 1;
    } else if (c === '$' || c === '#') {
      const m = /^[$#][A-Za-z0-9_]*\*?/.exec(text.slice(i))!;
      tokens.push({ type: 'var', value: m[0], line });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|\d+)(KB|MB)?/.exec(text.slice(i))!;
      const base = Number(m[1]);
      tokens.push({
        type: 'number',
        value: String(base * (m[2] === 'KB' ? 1024 : m[2] === 'MB' ? 1024 * 1024 : 1)),
        line,
      });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ type: 'word', value: m[0], line });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const p = ['==', '!=', '<=', '>='].includes(two) ? two : c;
      if (!'{}():=,<>!'.includes(p[0]!)) throw new PatternRuleError(`unexpected character "${c}"`, line);
      tokens.push({ type: 'punct', value: p, line });
      i += p.length;
    }
  }
  return tokens;
}

function hexBytes(text: string, line: number): number[] {
  const parts = text.replace(/\s+/g, '');
  if (parts.length === 0 || parts.length % 2 !== 0)
    throw new PatternRuleError('a hex string needs whole bytes', line);
  const out: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const b = parts.slice(i, i + 2);
    if (b === '??') out.push(-1);
    else if (/^[0-9a-fA-F]{2}$/.test(b)) out.push(Number.parseInt(b, 16));
    else throw new PatternRuleError(`"${b}" is not a hex byte`, line);
  }
  if (out.every((b) => b === -1))
    throw new PatternRuleError('a hex string needs at least one fixed byte', line);
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private line(): number {
    return this.peek()?.line ?? this.tokens.at(-1)?.line ?? 1;
  }
  private next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new PatternRuleError('unexpected end of rules', this.line());
    return t;
  }
  private expect(value: string): Token {
    const t = this.next();
    if (t.value !== value) throw new PatternRuleError(`expected "${value}", found "${t.value}"`, t.line);
    return t;
  }
  private accept(value: string): boolean {
    if (this.peek()?.value === value) {
      this.pos++;
      return true;
    }
    return false;
  }

  rules(): PatternRule[] {
    const out: PatternRule[] = [];
    while (this.peek() !== undefined) out.push(this.rule());
    return out;
  }

  private rule(): PatternRule {
    this.accept('private');
    this.expect('rule');
    const nameTok = this.next();
    if (nameTok.type !== 'word') throw new PatternRuleError('a rule needs a name', nameTok.line);
    const tags: string[] = [];
    if (this.accept(':'))
      while (this.peek()?.type === 'word' && this.peek()!.value !== '{') tags.push(this.next().value);
    this.expect('{');
    const meta: Record<string, string> = {};
    const strings: PatternString[] = [];
    let condition: Condition | undefined;
    while (!this.accept('}')) {
      const section = this.next();
      this.expect(':');
      if (section.value === 'meta') {
        while (this.peek()?.type === 'word' && this.tokens[this.pos + 1]?.value === '=') {
          const key = this.next().value;
          this.expect('=');
          meta[key] = this.next().value;
        }
      } else if (section.value === 'strings') {
        while (this.peek()?.type === 'var') strings.push(this.patternString());
      } else if (section.value === 'condition') {
        condition = this.or();
      } else throw new PatternRuleError(`unknown section "${section.value}"`, section.line);
    }
    if (condition === undefined)
      throw new PatternRuleError(`rule ${nameTok.value} has no condition`, nameTok.line);
    const ids = new Set(strings.map((s) => s.id));
    checkIds(condition, ids, nameTok.line);
    return { name: nameTok.value, tags, meta, strings, condition };
  }

  private patternString(): PatternString {
    const v = this.next();
    if (!v.value.startsWith('$') || v.value.length < 2)
      throw new PatternRuleError('a string needs an identifier like $a', v.line);
    this.expect('=');
    const body = this.next();
    let nocase = false;
    let wide = false;
    let ascii = false;
    while (
      this.peek()?.type === 'word' &&
      ['nocase', 'wide', 'ascii', 'fullword'].includes(this.peek()!.value)
    ) {
      const m = this.next().value;
      if (m === 'nocase') nocase = true;
      if (m === 'wide') wide = true;
      if (m === 'ascii') ascii = true;
    }
    if (body.type === 'hex')
      return { id: v.value, alternatives: [hexBytes(body.value, body.line)], nocase: false };
    if (body.type !== 'string' || body.value === '')
      throw new PatternRuleError(`${v.value} needs a text or hex value`, body.line);
    const bytes = Array.from(body.value, (ch) => ch.charCodeAt(0) & 0xff);
    const alternatives: number[][] = [];
    if (!wide || ascii) alternatives.push(nocase ? bytes.map(lower) : bytes);
    if (wide) alternatives.push(bytes.flatMap((b) => [nocase ? lower(b) : b, 0]));
    return { id: v.value, alternatives, nocase };
  }

  private or(): Condition {
    let left = this.and();
    while (this.accept('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }
  private and(): Condition {
    let left = this.not();
    while (this.accept('and')) left = { kind: 'and', left, right: this.not() };
    return left;
  }
  private not(): Condition {
    if (this.accept('not')) return { kind: 'not', inner: this.not() };
    return this.primary();
  }
  private primary(): Condition {
    const t = this.next();
    if (t.value === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (t.type === 'var' && t.value.startsWith('$')) return { kind: 'string', id: t.value };
    if (t.value === 'any' || t.value === 'all' || t.type === 'number') {
      this.expect('of');
      const count = t.type === 'number' ? Number(t.value) : (t.value as 'any' | 'all');
      if (this.accept('them')) return { kind: 'of', count, ids: ['$*'] };
      this.expect('(');
      const ids: string[] = [];
      do {
        const v = this.next();
        if (v.type !== 'var') throw new PatternRuleError('expected a string identifier', v.line);
        ids.push(v.value);
      } while (this.accept(','));
      this.expect(')');
      return { kind: 'of', count, ids };
    }
    if (t.value === 'filesize') {
      const op = this.comparison();
      return { kind: 'filesize', op, value: this.number() };
    }
    const uint = /^uint(8|16|32)(be)?$/.exec(t.value);
    if (uint !== null && uint[2] === undefined) {
      this.expect('(');
      const offset = this.number();
      this.expect(')');
      const op = this.comparison();
      return { kind: 'uint', width: (Number(uint[1]) / 8) as 1 | 2 | 4, offset, op, value: this.number() };
    }
    throw new PatternRuleError(`unexpected "${t.value}" in condition`, t.line);
  }
  private comparison(): string {
    const t = this.next();
    if (!['==', '!=', '<', '<=', '>', '>='].includes(t.value))
      throw new PatternRuleError('expected a comparison', t.line);
    return t.value;
  }
  private number(): number {
    const t = this.next();
    if (t.type !== 'number') throw new PatternRuleError('expected a number', t.line);
    return Number(t.value);
  }
}

const lower = (b: number) => (b >= 65 && b <= 90 ? b + 32 : b);

function checkIds(c: Condition, ids: Set<string>, line: number): void {
  if (c.kind === 'string' && !ids.has(c.id))
    throw new PatternRuleError(`condition names undefined string ${c.id}`, line);
  if (c.kind === 'of') {
    for (const id of c.ids) {
      if (!id.endsWith('*') && !ids.has(id))
        throw new PatternRuleError(`condition names undefined string ${id}`, line);
    }
  }
  if (c.kind === 'and' || c.kind === 'or') {
    checkIds(c.left, ids, line);
    checkIds(c.right, ids, line);
  }
  if (c.kind === 'not') checkIds(c.inner, ids, line);
}

/** Parses rule text into rules; throws PatternRuleError naming the line of the first problem. */
export function parsePatternRules(text: string): PatternRule[] {
  return new Parser(tokenize(text)).rules();
}

/** Finds the first occurrence of a pattern (with -1 wildcards) in the data. */
function findPattern(data: Uint8Array, pattern: number[], nocase: boolean): boolean {
  const anchor = pattern.findIndex((b) => b !== -1);
  const first = pattern[anchor]!;
  const last = data.length - pattern.length;
  for (let i = 0; i <= last; i++) {
    const a = data[i + anchor]!;
    if ((nocase ? lower(a) : a) !== first) continue;
    let ok = true;
    for (let j = 0; j < pattern.length; j++) {
      const p = pattern[j]!;
      if (p === -1) continue;
      const d = data[i + j]!;
      if ((nocase ? lower(d) : d) !== p) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** A rule that matched, with the strings that were found. */
export interface PatternMatch {
  rule: string;
  tags: string[];
  meta: Record<string, string>;
  strings: string[];
}

/** Runs rules over bytes; each string is searched once per rule. */
export function matchPatternRules(rules: readonly PatternRule[], data: Uint8Array): PatternMatch[] {
  const out: PatternMatch[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const rule of rules) {
    const found = new Set<string>();
    for (const s of rule.strings) {
      if (s.alternatives.some((alt) => findPattern(data, alt, s.nocase))) found.add(s.id);
    }
    const idsOf = (ids: string[]) =>
      rule.strings
        .map((s) => s.id)
        .filter((id) => ids.some((p) => (p.endsWith('*') ? id.startsWith(p.slice(0, -1)) : id === p)));
    const holds = (c: Condition): boolean => {
      switch (c.kind) {
        case 'string':
          return found.has(c.id);
        case 'of': {
          const ids = idsOf(c.ids);
          const hits = ids.filter((id) => found.has(id)).length;
          const need = c.count === 'any' ? 1 : c.count === 'all' ? ids.length : c.count;
          return ids.length > 0 && hits >= need;
        }
        case 'and':
          return holds(c.left) && holds(c.right);
        case 'or':
          return holds(c.left) || holds(c.right);
        case 'not':
          return !holds(c.inner);
        case 'filesize':
          return compare(data.length, c.op, c.value);
        case 'uint': {
          if (c.offset + c.width > data.length) return false;
          const v =
            c.width === 1
              ? view.getUint8(c.offset)
              : c.width === 2
                ? view.getUint16(c.offset, true)
                : view.getUint32(c.offset, true);
          return compare(v, c.op, c.value);
        }
      }
    };
    if (holds(rule.condition))
      out.push({ rule: rule.name, tags: rule.tags, meta: rule.meta, strings: [...found] });
  }
  return out;
}
