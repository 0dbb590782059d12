/**
 * Literal prefilter. Each rule is summarised by a *requirement*: a list of (field, literal)
 * atoms such that the rule can only match an event where at least one field contains its literal
 * (lowercased). Per logsource bucket, one Aho–Corasick automaton per field finds every atom that
 * occurs in a single pass over the field's text, so only rules with a hit (plus rules with no
 * requirement) are evaluated in full.
 */
import type { EvalContext } from './eval-context.ts';
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

/** Multi-pattern substring search (Aho–Corasick) over UTF-16 code units. */
export class AhoCorasick {
  private readonly goto: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Pattern ids ending at each node, merged along failure links after build(). */
  private out: number[][] = [[]];
  private built = false;

  /** Adds a pattern; returns nothing, hits report `id`. */
  add(pattern: string, id: number): void {
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let next = this.goto[node]!.get(c);
      if (next === undefined) {
        next = this.goto.length;
        this.goto.push(new Map());
        this.fail.push(0);
        this.out.push([]);
        this.goto[node]!.set(c, next);
      }
      node = next;
    }
    this.out[node]!.push(id);
    this.built = false;
  }

  /** Computes failure links (breadth first). */
  build(): void {
    const queue: number[] = [];
    for (const child of this.goto[0]!.values()) {
      this.fail[child] = 0;
      queue.push(child);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      for (const [c, child] of this.goto[node]!) {
        queue.push(child);
        let f = this.fail[node]!;
        while (f !== 0 && !this.goto[f]!.has(c)) f = this.fail[f]!;
        const target = this.goto[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.out[this.fail[child]!]!;
        if (inherited.length > 0) this.out[child] = [...this.out[child]!, ...inherited];
      }
    }
    this.built = true;
  }

  /** Calls `hit(id)` for every pattern occurring in `text` (possibly more than once). */
  scan(text: string, hit: (id: number) => void): void {
    if (!this.built) this.build();
    const goto = this.goto;
    const fail = this.fail;
    const out = this.out;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = goto[node]!.get(c);
      while (next === undefined && node !== 0) {
        node = fail[node]!;
        next = goto[node]!.get(c);
      }
      node = next ?? 0;
      const o = out[node]!;
      for (let k = 0; k < o.length; k++) hit(o[k]!);
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
      const text = ctx.scanText(f.field);
      if (text === null) continue;
      this.currentRules = f.rulesOfPattern;
      f.ac.scan(text, this.onHit);
    }
    if (hits.length > 1) hits.sort((a, b) => a - b);
    return hits;
  }
}
