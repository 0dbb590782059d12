/**
 * Static screening of regular expressions before they run against stored or incoming events.
 *
 * Both the Sigma engine (`|re` modifier) and the hunting language (`matches regex`) accept
 * patterns from people who do not own the data they run on, and event text can be shaped by an
 * attacker on an endpoint. A backtracking engine (V8's, PostgreSQL's) can take exponential time on
 * patterns such as `(a+)+$`, so we refuse the shapes that allow it instead of trying to time them out
 * (JavaScript cannot interrupt a running RegExp).
 *
 * The analysis is deliberately conservative but tuned so that the patterns SigmaHQ actually uses
 * pass: separators that split repetitions unambiguously (`(\d{1,3}\.){3}`, `([^,]*,)+`) are
 * recognised, while ambiguous splits (`(a+)+`, `(\w+\.\w+)+`, `(x\w*y)+`, `(a|ab)*`) are not.
 */

/** Result of {@link checkRegexSafety}: `reason` explains a refusal in words an analyst can act on. */
export interface RegexSafetyResult {
  safe: boolean;
  reason?: string;
}

/** Longest pattern accepted; longer ones are more likely generated or hostile than written. */
export const MAX_REGEX_LENGTH = 1000;
/** Largest bound accepted in `{n,m}`; `.{1000,}` appears in SigmaHQ rules. */
export const MAX_REPEAT_BOUND = 1000;
/** Largest product of nested bounds, e.g. `(a{100}){100}` = 10 000 steps per attempt. */
const MAX_NESTED_BOUND_PRODUCT = 10_000;
/** Longest chain of adjacent overlapping quantifiers (`.*a.*b.*c.*d` is polynomial of that degree). */
const MAX_OVERLAP_CHAIN = 4;
/** Repetitions above this count make an ambiguous alternation exponential in practice. */
const ALTERNATION_REPEAT_LIMIT = 10;
/** Nesting depth of groups accepted; deeper patterns would also risk our own recursion. */
const MAX_GROUP_DEPTH = 50;

const MAX_CP = 0x10ffff;

/** A set of code points as sorted, non-overlapping inclusive ranges. */
type CharSet = Array<[number, number]>;

type Node =
  | { kind: 'char'; set: CharSet }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; alts: Node[] }
  | { kind: 'group'; body: Node }
  | { kind: 'zero' } // anchors, word boundaries, lookarounds: consume nothing
  | { kind: 'quant'; body: Node; min: number; max: number };

class Unsafe extends Error {}

/**
 * Splits leading inline flags (`(?i)`, `(?is)`), which Sigma and RE2-style patterns use but
 * JavaScript does not accept, from the pattern body.
 */
export function splitInlineFlags(pattern: string, flags = ''): { source: string; flags: string } {
  const m = /^\(\?([imsx]+)\)/.exec(pattern);
  if (!m) return { source: pattern, flags };
  let merged = flags;
  for (const f of m[1]!) if (f !== 'x' && !merged.includes(f)) merged += f;
  return { source: pattern.slice(m[0].length), flags: merged };
}

/**
 * Decides whether a regular expression is safe to run against untrusted text.
 *
 * Refuses invalid patterns, over-long patterns, backreferences, huge repetition counts, and the
 * shapes that backtrack catastrophically: quantified groups whose iterations can split the same
 * text in several ways (nested quantifiers, overlapping alternatives, empty-matching bodies) and
 * long chains of overlapping quantifiers. Accepts leading inline flags such as `(?i)`.
 */
export function checkRegexSafety(pattern: string, flags = ''): RegexSafetyResult {
  if (typeof pattern !== 'string') return { safe: false, reason: 'pattern must be a string' };
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { safe: false, reason: `pattern longer than ${MAX_REGEX_LENGTH} characters` };
  }
  const split = splitInlineFlags(pattern, flags);
  if (!/^[imsu]*$/.test(split.flags) || new Set(split.flags).size !== split.flags.length) {
    return { safe: false, reason: `unsupported regular expression flags "${split.flags}"` };
  }
  try {
    new RegExp(split.source, split.flags);
  } catch (err) {
    return { safe: false, reason: `invalid regular expression: ${(err as Error).message}` };
  }
  try {
    const parser = new RegexParser(split.source, split.flags);
    const ast = parser.parse();
    checkNode(ast, 1);
    return { safe: true };
  } catch (err) {
    if (err instanceof Unsafe) return { safe: false, reason: err.message };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Character sets

function normalize(ranges: CharSet): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat().map(([a, b]) => [a, b] as [number, number]));
}

function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [a, b] of normalize(set)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function overlaps(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = x[i]!;
    const b = y[j]!;
    if (a[1] < b[0]) i++;
    else if (b[1] < a[0]) j++;
    else return true;
  }
  return false;
}

const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const SPACE: CharSet = normalize([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const ANY: CharSet = [[0, MAX_CP]];

/** Adds the other case of ASCII letters, which is what matters for overlap decisions. */
function caseFold(set: CharSet): CharSet {
  const extra: CharSet = [];
  for (const [a, b] of set) {
    const lo = Math.max(a, 0x41);
    const hi = Math.min(b, 0x5a);
    if (lo <= hi) extra.push([lo + 32, hi + 32]);
    const lo2 = Math.max(a, 0x61);
    const hi2 = Math.min(b, 0x7a);
    if (lo2 <= hi2) extra.push([lo2 - 32, hi2 - 32]);
  }
  return union(set, extra);
}

// ---------------------------------------------------------------------------------------------
// Parser: a lenient reader of JavaScript regex syntax. The pattern has already been validated by
// `new RegExp`, so anything we do not model is read as a literal character.

class RegexParser {
  private pos = 0;
  private depth = 0;
  private readonly ignoreCase: boolean;

  constructor(
    private readonly src: string,
    flags: string,
  ) {
    this.ignoreCase = flags.includes('i');
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new Unsafe(`unexpected "${this.src[this.pos]}" in pattern`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const alts: Node[] = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { kind: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === '|' || c === ')') break;
      let atom = this.atom();
      atom = this.quantifier(atom);
      items.push(atom);
    }
    return { kind: 'seq', items };
  }

  private quantifier(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') {
        min = 0;
        max = Number.POSITIVE_INFINITY;
        this.pos++;
      } else if (c === '+') {
        min = 1;
        max = Number.POSITIVE_INFINITY;
        this.pos++;
      } else if (c === '?') {
        min = 0;
        max = 1;
        this.pos++;
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
        if (!m) return node; // a literal "{" in Annex B syntax
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        if (min > MAX_REPEAT_BOUND || (Number.isFinite(max) && max > MAX_REPEAT_BOUND)) {
          throw new Unsafe(`repetition count above ${MAX_REPEAT_BOUND}`);
        }
        this.pos += m[0].length;
      } else {
        return node;
      }
      if (this.peek() === '?') this.pos++; // lazy: same backtracking behaviour on failure
      if (node.kind === 'zero') continue; // quantified assertions consume nothing
      node = { kind: 'quant', body: node, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.pos]!;
    this.pos++;
    switch (c) {
      case '.':
        return { kind: 'char', set: ANY };
      case '^':
      case '$':
        return { kind: 'zero' };
      case '[':
        return { kind: 'char', set: this.fold(this.charClass()) };
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      default: {
        const cp = this.src.codePointAt(this.pos - 1)!;
        if (cp > 0xffff) this.pos++;
        return { kind: 'char', set: this.fold([[cp, cp]]) };
      }
    }
  }

  private fold(set: CharSet): CharSet {
    return this.ignoreCase ? caseFold(set) : set;
  }

  private group(): Node {
    if (++this.depth > MAX_GROUP_DEPTH) throw new Unsafe(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    let zeroWidth = false;
    if (this.src.startsWith('?:', this.pos)) this.pos += 2;
    else if (this.src.startsWith('?=', this.pos) || this.src.startsWith('?!', this.pos)) {
      this.pos += 2;
      zeroWidth = true;
    } else if (this.src.startsWith('?<=', this.pos) || this.src.startsWith('?<!', this.pos)) {
      this.pos += 3;
      zeroWidth = true;
    } else if (this.src.startsWith('?<', this.pos)) {
      const end = this.src.indexOf('>', this.pos);
      this.pos = end + 1;
    }
    const body = this.alternation();
    if (this.peek() !== ')') throw new Unsafe('unterminated group');
    this.pos++;
    this.depth--;
    if (zeroWidth) {
      // The body still runs and can backtrack on its own; check it, then treat it as empty.
      checkNode(body, 1);
      return { kind: 'zero' };
    }
    return { kind: 'group', body };
  }

  private escape(): Node {
    const c = this.src[this.pos];
    if (c === undefined) throw new Unsafe('pattern ends with "\\"');
    this.pos++;
    if (/[1-9]/.test(c)) throw new Unsafe('backreferences are not allowed');
    if (c === 'k' && this.peek() === '<') throw new Unsafe('backreferences are not allowed');
    if (c === 'b' || c === 'B') return { kind: 'zero' };
    const cls = this.classEscape(c);
    return { kind: 'char', set: this.fold(cls) };
  }

  /** The set an escape stands for, inside or outside a class; `pos` is just past the letter. */
  private classEscape(c: string): CharSet {
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 'n':
        return [[10, 10]];
      case 'r':
        return [[13, 13]];
      case 't':
        return [[9, 9]];
      case 'v':
        return [[11, 11]];
      case 'f':
        return [[12, 12]];
      case '0':
        return [[0, 0]];
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos));
        if (!m) return [[0x78, 0x78]];
        this.pos += 2;
        const v = Number.parseInt(m[0], 16);
        return [[v, v]];
      }
      case 'u': {
        const m = /^(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(this.src.slice(this.pos));
        if (!m) return [[0x75, 0x75]];
        this.pos += m[0].length;
        const v = Number.parseInt(m[1] ?? m[2]!, 16);
        return [[v, v]];
      }
      case 'c': {
        const letter = this.peek();
        if (letter && /[a-zA-Z]/.test(letter)) {
          this.pos++;
          const v = letter.charCodeAt(0) % 32;
          return [[v, v]];
        }
        return [[0x5c, 0x5c]];
      }
      case 'p':
      case 'P': {
        // Unicode property escapes: model as "anything", which only makes us more cautious.
        if (this.peek() === '{') this.pos = this.src.indexOf('}', this.pos) + 1;
        return ANY;
      }
      default: {
        const cp = c.codePointAt(0)!;
        return [[cp, cp]];
      }
    }
  }

  private charClass(): CharSet {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const ranges: CharSet = [];
    let first = true;
    while (this.pos < this.src.length) {
      const c = this.peek()!;
      if (c === ']' && !first) break;
      if (c === ']' && first) break; // `[]` matches nothing, `[^]` everything
      first = false;
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        const save = this.pos;
        this.pos++;
        const hi = this.classAtom();
        if (lo.length === 1 && hi.length === 1 && lo[0]![0] === lo[0]![1] && hi[0]![0] === hi[0]![1]) {
          ranges.push([lo[0]![0], hi[0]![1]]);
          continue;
        }
        this.pos = save; // `\d-x` in Annex B: three separate members
      }
      ranges.push(...lo);
    }
    if (this.peek() !== ']') throw new Unsafe('unterminated character class');
    this.pos++;
    const set = normalize(ranges);
    return negate ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const c = this.src[this.pos]!;
    this.pos++;
    if (c === '\\') {
      const e = this.src[this.pos];
      if (e === undefined) throw new Unsafe('pattern ends with "\\"');
      this.pos++;
      if (e === 'b') return [[8, 8]];
      if (e === '-') return [[0x2d, 0x2d]];
      return this.classEscape(e);
    }
    const cp = this.src.codePointAt(this.pos - 1)!;
    if (cp > 0xffff) this.pos++;
    return [[cp, cp]];
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis

/** Caches a per-node analysis: each node is analysed once however often the checks ask. */
function memoizedByNode<T>(raw: (n: Node) => T): (n: Node) => T {
  const memo = new WeakMap<Node, T>();
  return (n) => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    const v = raw(n);
    memo.set(n, v);
    return v;
  };
}
const nullable = memoizedByNode(nullableRaw);
function nullableRaw(n: Node): boolean {
  switch (n.kind) {
    case 'char':
      return false;
    case 'zero':
      return true;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'group':
      return nullable(n.body);
    case 'quant':
      return n.min === 0 || nullable(n.body);
  }
}

/** Every character the node can consume anywhere. */
const chars = memoizedByNode(charsRaw);
function charsRaw(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'zero':
      return [];
    case 'seq':
      return union(...n.items.map(chars));
    case 'alt':
      return union(...n.alts.map(chars));
    case 'group':
      return chars(n.body);
    case 'quant':
      return n.max === 0 ? [] : chars(n.body);
  }
}

/** Characters that can start a match of the node. */
const firstChars = memoizedByNode(firstCharsRaw);
function firstCharsRaw(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'zero':
      return [];
    case 'seq': {
      const out: CharSet[] = [];
      for (const item of n.items) {
        out.push(firstChars(item));
        if (!nullable(item)) break;
      }
      return union(...out);
    }
    case 'alt':
      return union(...n.alts.map(firstChars));
    case 'group':
      return firstChars(n.body);
    case 'quant':
      return n.max === 0 ? [] : firstChars(n.body);
  }
}

/** Shortest text the node can match. */
const minLen = memoizedByNode(minLenRaw);
function minLenRaw(n: Node): number {
  switch (n.kind) {
    case 'char':
      return 1;
    case 'zero':
      return 0;
    case 'seq':
      return n.items.reduce((acc, i) => acc + minLen(i), 0);
    case 'alt':
      return Math.min(...n.alts.map(minLen));
    case 'group':
      return minLen(n.body);
    case 'quant':
      return n.min * minLen(n.body);
  }
}

/** Longest text the node can match (Infinity when unbounded). */
const maxLen = memoizedByNode(maxLenRaw);
function maxLenRaw(n: Node): number {
  switch (n.kind) {
    case 'char':
      return 1;
    case 'zero':
      return 0;
    case 'seq':
      return n.items.reduce((acc, i) => acc + maxLen(i), 0);
    case 'alt':
      return Math.max(...n.alts.map(maxLen));
    case 'group':
      return maxLen(n.body);
    case 'quant': {
      const inner = maxLen(n.body);
      if (n.max === 0 || inner === 0) return 0;
      return n.max * inner;
    }
  }
}

/** Whether the node can match texts of different lengths, the source of split ambiguity. */
function flexible(n: Node): boolean {
  return minLen(n) !== maxLen(n);
}

/** Largest product of nested finite repetition bounds below the node. */
function boundProduct(n: Node): number {
  switch (n.kind) {
    case 'char':
    case 'zero':
      return 1;
    case 'seq':
      return Math.max(1, ...n.items.map(boundProduct));
    case 'alt':
      return Math.max(1, ...n.alts.map(boundProduct));
    case 'group':
      return boundProduct(n.body);
    case 'quant': {
      const own = Number.isFinite(n.max) ? n.max : Math.max(n.min, 1);
      return own * boundProduct(n.body);
    }
  }
}

/** Strips capturing/non-capturing group wrappers. */
function unwrap(n: Node): Node {
  let cur = n;
  while (cur.kind === 'group') cur = cur.body;
  return cur;
}

function asItems(n: Node): Node[] {
  const u = unwrap(n);
  if (u.kind === 'seq') return u.items.flatMap((i) => (unwrap(i).kind === 'seq' ? asItems(i) : [i]));
  return [u];
}

function asAlts(n: Node): Node[] {
  const u = unwrap(n);
  return u.kind === 'alt' ? u.alts : [u];
}

/**
 * Longest chain of flexible items in a sequence in which each overlaps the previous one and no
 * mandatory item that neither can consume stands between them. Each link in the chain adds a
 * degree to the polynomial backtracking on a failing match.
 */
function overlapChain(items: Node[], unboundedOnly: boolean): number {
  let best = 0;
  let chainLen = 0;
  let prev: CharSet | null = null;
  let barrier: CharSet[] = [];
  for (const item of items) {
    const counts = unboundedOnly ? maxLen(item) === Number.POSITIVE_INFINITY : flexible(item);
    if (counts) {
      const set = chars(item);
      if (prev && overlaps(prev, set) && !barrier.some((b) => !overlaps(b, prev!) && !overlaps(b, set))) {
        chainLen++;
      } else {
        chainLen = 1;
      }
      prev = set;
      barrier = [];
      best = Math.max(best, chainLen);
    } else if (!nullable(item)) {
      barrier.push(chars(item));
    }
  }
  return best;
}

/** Whether two flexible items in the sequence can trade characters (ambiguous split). */
function ambiguousSequence(items: Node[]): boolean {
  return overlapChain(items, false) >= 2;
}

function checkNode(n: Node, depth: number): void {
  if (depth > MAX_GROUP_DEPTH * 4) throw new Unsafe(`pattern nested deeper than ${MAX_GROUP_DEPTH}`);
  switch (n.kind) {
    case 'char':
    case 'zero':
      return;
    case 'seq':
      // Only unbounded quantifiers raise the degree; `.{0,5}` adds a constant factor.
      if (overlapChain(n.items, true) > MAX_OVERLAP_CHAIN) {
        throw new Unsafe(
          `more than ${MAX_OVERLAP_CHAIN} adjacent overlapping quantifiers (polynomial backtracking)`,
        );
      }
      for (const i of n.items) checkNode(i, depth + 1);
      return;
    case 'alt':
      for (const a of n.alts) checkNode(a, depth + 1);
      return;
    case 'group':
      checkNode(n.body, depth + 1);
      return;
    case 'quant':
      checkQuantifier(n);
      checkNode(n.body, depth + 1);
      return;
  }
}

function checkQuantifier(q: Extract<Node, { kind: 'quant' }>): void {
  if (boundProduct(q) > MAX_NESTED_BOUND_PRODUCT) {
    throw new Unsafe(`nested repetition counts multiply above ${MAX_NESTED_BOUND_PRODUCT}`);
  }
  if (q.max <= 1) return;
  const body = q.body;
  if (nullable(body) && flexible(body)) {
    throw new Unsafe('a repeated group that can match empty text (e.g. (a*)*) backtracks catastrophically');
  }
  const alts = asAlts(body);
  if (alts.length > 1 && q.max > ALTERNATION_REPEAT_LIMIT) {
    for (let i = 0; i < alts.length; i++) {
      for (let j = i + 1; j < alts.length; j++) {
        if (overlaps(firstChars(alts[i]!), firstChars(alts[j]!))) {
          throw new Unsafe(
            'overlapping alternatives under a quantifier (e.g. (a|ab)*) backtrack catastrophically',
          );
        }
      }
    }
  }
  if (q.max <= 2) return; // two iterations of an ambiguous body cost at most a square
  // A body of bounded length repeated a few times (`(25[0-5]|1?\d?\d\.){4}`) has a bounded number
  // of splits; only unbounded bodies or many repetitions multiply into catastrophe.
  if (maxLen(body) !== Number.POSITIVE_INFINITY && q.max <= ALTERNATION_REPEAT_LIMIT) return;
  for (const alt of alts) {
    if (!flexible(alt)) continue;
    const items = asItems(alt);
    // A separator is a mandatory single character that nothing else in the repeated body can
    // consume: every iteration then holds exactly one, which pins down where iterations split.
    let sepIndex = -1;
    // Prefix and suffix unions keep this linear in the number of items.
    const itemChars = items.map(chars);
    const otherAlts = union(...alts.filter((a) => a !== alt).map(chars));
    const prefix: CharSet[] = [otherAlts];
    for (const c of itemChars) prefix.push(union(prefix[prefix.length - 1]!, c));
    const suffix: CharSet[] = [[]];
    for (let k = itemChars.length - 1; k >= 0; k--) suffix.unshift(union(suffix[0]!, itemChars[k]!));
    for (let i = 0; i < items.length; i++) {
      const it = unwrap(items[i]!);
      if (it.kind !== 'char') continue;
      const others = union(prefix[i]!, suffix[i + 1]!);
      if (!overlaps(it.set, others)) {
        sepIndex = i;
        break;
      }
    }
    if (sepIndex < 0) {
      throw new Unsafe('nested quantifiers (e.g. (a+)+) backtrack catastrophically');
    }
    // Between two separators lie the tail of one iteration and the head of the next.
    const around = [...items.slice(sepIndex + 1), ...items.slice(0, sepIndex)];
    if (ambiguousSequence(around)) {
      throw new Unsafe(
        'nested quantifiers with an ambiguous split (e.g. (\\w+\\.\\w+)+) backtrack catastrophically',
      );
    }
  }
}
