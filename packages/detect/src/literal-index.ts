/**
 * Literal prefilter. Each rule is summarised by a *requirement*: a list of (field, literal)
 * atoms such that the rule can only match an event where at least one field contains its literal
 * (lowercased). Per logsource bucket, one Aho–Corasick automaton per field finds every atom that
 * occurs in a single pass over the field's text, so only rules with a hit (plus rules with no
 * requirement) are evaluated in full.
 */
import { type EvalContext, scalarString } from './eval-context.ts';
import type { SigmaPart } from './sigma-string.ts';

/** `field` must contain `literal` (lowercase). */
export interface Atom {
  field: string;
  literal: string;
}

/** Alternatives of which at least one must hold; `null` when nothing is required/known. */
export type Requirement = Atom[] | null;

/** Atom for a lowercased pattern: its longest literal run; null if the pattern has none. */
export function atomsOfParts(field: string, parts: readonly SigmaPart[]): Atom | null {
  let best = '';
  for (const p of parts) if (typeof p === 'string' && p.length > best.length) best = p;
  if (best === '' || field === '') return null;
  return { field, literal: best.toLowerCase() };
}

/**
 * Case-insensitive multi-pattern substring search (Aho–Corasick compiled to a DFA). Patterns are
 * lowercase; the text is folded while scanning through an alphabet table (ASCII letters and the
 * upper-case forms of non-ASCII pattern characters map to the same symbol), so values need not be
 * lowercased before scanning. Characters absent from every pattern share one symbol.
 */
export class AhoCorasick {
  private trie: Array<Map<number, number>> = [new Map()];
  private outs: number[][] = [[]];
  private ascii = new Uint16Array(128);
  private high = new Map<number, number>();
  private symbols = 1;
  private delta: Uint32Array = new Uint32Array(0);
  private outStart: Uint32Array = new Uint32Array(0);
  private outFlat: Uint32Array = new Uint32Array(0);
  private built = false;

  private symbolFor(code: number, create: boolean): number {
    if (code < 128) {
      let s = this.ascii[code]!;
      if (s === 0 && create) {
        s = this.symbols++;
        this.ascii[code] = s;
        const ch = String.fromCharCode(code);
        const up = ch.toUpperCase().charCodeAt(0);
        if (up !== code && up < 128) this.ascii[up] = s;
      }
      return s;
    }
    let s = this.high.get(code) ?? 0;
    if (s === 0 && create) {
      s = this.symbols++;
      this.high.set(code, s);
      const up = String.fromCharCode(code).toUpperCase();
      if (up.length === 1 && up.charCodeAt(0) !== code) this.high.set(up.charCodeAt(0), s);
    }
    return s;
  }

  /** Adds a (lowercase) pattern; hits report `id`. */
  add(pattern: string, id: number): void {
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const sym = this.symbolFor(pattern.charCodeAt(i), true);
      let next = this.trie[node]!.get(sym);
      if (next === undefined) {
        next = this.trie.length;
        this.trie.push(new Map());
        this.outs.push([]);
        this.trie[node]!.set(sym, next);
      }
      node = next;
    }
    this.outs[node]!.push(id);
    this.built = false;
  }

  /** Computes failure links and the full transition table (breadth first). */
  build(): void {
    const n = this.trie.length;
    const k = this.symbols;
    const delta = new Uint32Array(n * k);
    const fail = new Uint32Array(n);
    const queue: number[] = [];
    for (const [sym, child] of this.trie[0]!) {
      delta[sym] = child;
      queue.push(child);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      const f = fail[node]!;
      const inherited = this.outs[f]!;
      if (inherited.length > 0) this.outs[node] = [...this.outs[node]!, ...inherited];
      const row = node * k;
      const frow = f * k;
      for (let sym = 0; sym < k; sym++) delta[row + sym] = delta[frow + sym]!;
      for (const [sym, child] of this.trie[node]!) {
        delta[row + sym] = child;
        fail[child] = delta[frow + sym]!;
        queue.push(child);
      }
    }
    const outStart = new Uint32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      outStart[i] = total;
      total += this.outs[i]!.length;
    }
    outStart[n] = total;
    const outFlat = new Uint32Array(total);
    for (let i = 0; i < n; i++) outFlat.set(this.outs[i]!, outStart[i]!);
    this.delta = delta;
    this.outStart = outStart;
    this.outFlat = outFlat;
    // The trie is no longer needed once the DFA exists.
    this.trie = [];
    this.outs = [];
    this.built = true;
  }

  /** Calls `hit(id)` for every pattern occurring in `text`, ignoring case (possibly repeatedly). */
  scan(text: string, hit: (id: number) => void): void {
    if (!this.built) throw new Error('AhoCorasick.build() must be called before scan()');
    const { delta, outStart, outFlat, ascii, high } = this;
    const k = this.symbols;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const sym = c < 128 ? ascii[c]! : (high.get(c) ?? 0);
      state = delta[state * k + sym]!;
      const a = outStart[state]!;
      const b = outStart[state + 1]!;
      for (let j = a; j < b; j++) hit(outFlat[j]!);
    }
  }
}

/**
 * Candidate selection for one bucket of rules: rules without a requirement always run; the rest
 * run when the automaton of one of their fields reports one of their literals.
 */
export class LiteralIndex {
  private readonly always: number[] = [];
  private readonly fields: Array<{ field: string; ac: AhoCorasick; rulesOfPattern: number[][] }> = [];
  private readonly mark: Int32Array;
  private epoch = 0;
  private readonly hits: number[] = [];
  private readonly onHit: (patternId: number) => void;
  private currentRules: number[][] = [];

  /** `requirements[i]` is rule i's requirement within this bucket. */
  constructor(requirements: readonly Requirement[]) {
    this.mark = new Int32Array(requirements.length);
    const byField = new Map<
      string,
      { ac: AhoCorasick; ids: Map<string, number>; rulesOfPattern: number[][] }
    >();
    requirements.forEach((req, rule) => {
      if (req === null || req.length === 0) {
        this.always.push(rule);
        return;
      }
      for (const atom of req) {
        let f = byField.get(atom.field);
        if (f === undefined) {
          f = { ac: new AhoCorasick(), ids: new Map(), rulesOfPattern: [] };
          byField.set(atom.field, f);
        }
        let id = f.ids.get(atom.literal);
        if (id === undefined) {
          id = f.rulesOfPattern.length;
          f.ids.set(atom.literal, id);
          f.rulesOfPattern.push([]);
          f.ac.add(atom.literal, id);
        }
        const list = f.rulesOfPattern[id]!;
        if (list[list.length - 1] !== rule) list.push(rule);
      }
    });
    for (const [field, f] of byField) {
      f.ac.build();
      this.fields.push({ field, ac: f.ac, rulesOfPattern: f.rulesOfPattern });
    }
    this.onHit = (patternId: number) => {
      const rules = this.currentRules[patternId]!;
      for (let k = 0; k < rules.length; k++) {
        const r = rules[k]!;
        if (this.mark[r] !== this.epoch) {
          this.mark[r] = this.epoch;
          this.hits.push(r);
        }
      }
    };
  }

  /** Number of rules that are evaluated for every event of the bucket. */
  get unindexedCount(): number {
    return this.always.length;
  }

  /**
   * Indexes (ascending) of the rules worth evaluating on the current event. The returned array is
   * reused by the next call.
   */
  candidates(ctx: EvalContext): number[] {
    this.epoch = (this.epoch + 1) | 0;
    if (this.epoch === 0) {
      this.mark.fill(0);
      this.epoch = 1;
    }
    const hits = this.hits;
    hits.length = 0;
    for (const r of this.always) {
      this.mark[r] = this.epoch;
      hits.push(r);
    }
    for (const f of this.fields) {
      const raw = ctx.get(f.field);
      if (raw === undefined || raw === null) continue;
      this.currentRules = f.rulesOfPattern;
      if (typeof raw === 'string') f.ac.scan(raw, this.onHit);
      else if (Array.isArray(raw)) {
        for (const el of raw) {
          const s = scalarString(el);
          if (s !== null) f.ac.scan(s, this.onHit);
        }
      } else {
        const s = scalarString(raw);
        if (s !== null) f.ac.scan(s, this.onHit);
      }
    }
    if (hits.length > 1) hits.sort((a, b) => a - b);
    return hits;
  }
}
