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

/** Alternatives of which at least one must hold. */
export type Clause = Atom[];

/**
 * Clauses that must all hold (a conjunction of disjunctions); `null` when nothing is required or
 * known. A rule is evaluated only when every clause has an atom present in the event.
 */
export type Requirement = Clause[] | null;

/** Clauses kept per rule: more makes the prefilter sharper but each needs a bit in a mask. */
export const MAX_CLAUSES = 3;

/** Estimated chance a clause holds on a random event: short literals are common, long ones rare. */
export function clauseCost(clause: readonly Atom[]): number {
  let cost = 0;
  for (const a of clause) {
    const n = a.literal.length;
    cost += n <= 2 ? 1 : n <= 4 ? 0.5 : n <= 7 ? 0.1 : 0.02;
  }
  return Math.min(cost, 1) + clause.length * 1e-4;
}

/** Requirement of an AND: the most selective clauses of all conjuncts. */
export function allOfRequirements(reqs: readonly Requirement[]): Requirement {
  const clauses: Clause[] = [];
  for (const r of reqs) if (r !== null) clauses.push(...r);
  if (clauses.length === 0) return null;
  if (clauses.length <= MAX_CLAUSES) return clauses;
  return clauses
    .map((c) => ({ c, cost: clauseCost(c) }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, MAX_CLAUSES)
    .map((x) => x.c);
}

/**
 * Requirement of an OR: one clause, the union of each alternative's most selective clause (each
 * alternative implies its own clauses). `null` when any alternative has no requirement.
 */
export function anyOfRequirements(reqs: readonly Requirement[]): Requirement {
  const union: Atom[] = [];
  for (const r of reqs) {
    if (r === null || r.length === 0) return null;
    let best = r[0]!;
    let bestCost = clauseCost(best);
    for (let i = 1; i < r.length; i++) {
      const cost = clauseCost(r[i]!);
      if (cost < bestCost) {
        best = r[i]!;
        bestCost = cost;
      }
    }
    union.push(...best);
  }
  return [union];
}

/**
 * Longest literal kept for the prefilter: any substring of a required literal is also required,
 * and a 12-character tail is already rare while keeping the automata small.
 */
export const MAX_ATOM_LENGTH = 12;

/** Shortens a literal to its last MAX_ATOM_LENGTH characters (the most specific part of paths). */
export function atomLiteral(literal: string): string {
  const lower = literal.toLowerCase();
  return lower.length > MAX_ATOM_LENGTH ? lower.slice(lower.length - MAX_ATOM_LENGTH) : lower;
}

/** Atom for a lowercased pattern: its longest literal run; null if the pattern has none. */
export function atomsOfParts(field: string, parts: readonly SigmaPart[]): Atom | null {
  let best = '';
  for (const p of parts) if (typeof p === 'string' && p.length > best.length) best = p;
  if (best === '' || field === '') return null;
  return { field, literal: atomLiteral(best) };
}

/** Shared symbol of all non-ASCII characters. */
const NON_ASCII_SYMBOL = 1;

/**
 * Symbol of a non-ASCII character: the two whose lowercase is ASCII (Kelvin sign → k, dotted
 * capital I → i) take that letter's symbol, so they cannot hide a literal from the prefilter.
 */
function highSymbol(ascii: Uint16Array, c: number): number {
  if (c === 0x212a) return ascii[0x6b]!;
  if (c === 0x130) return ascii[0x69]!;
  return NON_ASCII_SYMBOL;
}

/**
 * Case-insensitive multi-pattern substring search (Aho–Corasick compiled to a DFA). Patterns are
 * lowercase; the text is folded while scanning through an alphabet table (upper- and lower-case
 * ASCII letters map to one symbol), so values need not be lowercased before scanning. Characters
 * absent from every pattern share symbol 0, and all non-ASCII characters share symbol 1: merging
 * characters can only add hits, never lose one, which a prefilter may do, and it keeps the
 * transition table (states × symbols) small enough to stay in cache.
 */
export class AhoCorasick {
  private trie: Array<Map<number, number>> = [new Map()];
  private outs: number[][] = [[]];
  private ascii = new Uint16Array(128);
  /** Symbol 0: characters in no pattern; symbol 1: every non-ASCII character (see class comment). */
  private symbols = 2;
  /** Transitions as row offsets (state × symbols); negative (`~row`) when the target state reports hits. */
  private next: Int32Array = new Int32Array(0);
  private outStart: Uint32Array = new Uint32Array(0);
  private outFlat: Uint32Array = new Uint32Array(0);
  private built = false;

  private symbolFor(code: number, create: boolean): number {
    if (code >= 128) return NON_ASCII_SYMBOL;
    let s = this.ascii[code]!;
    if (s === 0 && create) {
      s = this.symbols++;
      this.ascii[code] = s;
      const up = String.fromCharCode(code).toUpperCase().charCodeAt(0);
      if (up !== code && up < 128) this.ascii[up] = s;
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
      delta.copyWithin(row, frow, frow + k);
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
    // Re-encode transitions as row offsets with the output flag in the sign: the scan loop then
    // needs one table read per character and no multiplication.
    const next = new Int32Array(n * k);
    for (let i = 0; i < n * k; i++) {
      const target = delta[i]!;
      const row = target * k;
      next[i] = outStart[target + 1]! > outStart[target]! ? ~row : row;
    }
    this.next = next;
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
    const { next, outStart, outFlat, ascii } = this;
    const k = this.symbols;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const v = next[row + (c < 128 ? ascii[c]! : highSymbol(ascii, c))]!;
      if (v >= 0) {
        row = v;
        continue;
      }
      row = ~v;
      const state = row / k;
      const b = outStart[state + 1]!;
      for (let j = outStart[state]!; j < b; j++) hit(outFlat[j]!);
    }
  }
}

/**
 * Candidate selection for one bucket of rules: rules without a requirement always run; the rest
 * run when, for each of their clauses, the automaton of some field reports one of the clause's
 * literals. Clause hits are tracked as bits of a per-rule mask stamped with an event counter.
 */
export class LiteralIndex {
  private readonly always: number[] = [];
  private readonly fields: Array<{
    field: string;
    dotted: boolean;
    ac: AhoCorasick;
    entriesOfPattern: Int32Array[];
  }> = [];
  private readonly stamp: Int32Array;
  private readonly mask: Int32Array;
  private readonly full: Int32Array;
  private epoch = 0;
  private readonly hits: number[] = [];
  private readonly onHit: (patternId: number) => void;
  private current: Int32Array[] = [];

  /** `requirements[i]` is rule i's requirement within this bucket. */
  constructor(requirements: readonly Requirement[]) {
    const n = requirements.length;
    this.stamp = new Int32Array(n);
    this.mask = new Int32Array(n);
    this.full = new Int32Array(n);
    const byField = new Map<string, { ac: AhoCorasick; ids: Map<string, number>; entries: number[][] }>();
    requirements.forEach((req, rule) => {
      if (req === null || req.length === 0) {
        this.always.push(rule);
        return;
      }
      const clauses = req.slice(0, MAX_CLAUSES);
      this.full[rule] = (1 << clauses.length) - 1;
      clauses.forEach((clause, ci) => {
        for (const atom of clause) {
          let f = byField.get(atom.field);
          if (f === undefined) {
            f = { ac: new AhoCorasick(), ids: new Map(), entries: [] };
            byField.set(atom.field, f);
          }
          let id = f.ids.get(atom.literal);
          if (id === undefined) {
            id = f.entries.length;
            f.ids.set(atom.literal, id);
            f.entries.push([]);
            f.ac.add(atom.literal, id);
          }
          // Entry = rule index and clause bit, packed (rule * 8 + clause).
          f.entries[id]!.push(rule * 8 + ci);
        }
      });
    });
    for (const [field, f] of byField) {
      f.ac.build();
      this.fields.push({
        field,
        dotted: field.includes('.'),
        ac: f.ac,
        entriesOfPattern: f.entries.map((e) => Int32Array.from(new Set(e))),
      });
    }
    this.onHit = (patternId: number) => {
      const entries = this.current[patternId]!;
      const epoch = this.epoch;
      for (let k = 0; k < entries.length; k++) {
        const packed = entries[k]!;
        const r = packed >> 3;
        const bit = 1 << (packed & 7);
        let m = this.stamp[r] === epoch ? this.mask[r]! : 0;
        if ((m & bit) !== 0) continue;
        m |= bit;
        this.stamp[r] = epoch;
        this.mask[r] = m;
        if (m === this.full[r]) this.hits.push(r);
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
      this.stamp.fill(0);
      this.epoch = 1;
    }
    const hits = this.hits;
    hits.length = 0;
    for (const r of this.always) hits.push(r);
    const fields = this.fields;
    const values = ctx.fields;
    for (let fi = 0; fi < fields.length; fi++) {
      const f = fields[fi]!;
      // Plain names are read directly; dotted names may need the nested lookup.
      const raw = f.dotted ? ctx.get(f.field) : values[f.field];
      if (raw === undefined || raw === null) continue;
      this.current = f.entriesOfPattern;
      if (typeof raw === 'string') f.ac.scan(raw, this.onHit);
      else scanValue(f.ac, raw, this.onHit, 0);
    }
    if (hits.length > 1) hits.sort((a, b) => a - b);
    return hits;
  }
}

/** Scans a scalar, or every scalar inside arrays/objects. */
function scanValue(ac: AhoCorasick, v: unknown, hit: (id: number) => void, depth: number): void {
  if (typeof v === 'string') ac.scan(v, hit);
  else if (Array.isArray(v)) {
    if (depth < 16) for (const el of v) scanValue(ac, el, hit, depth + 1);
  } else if (typeof v === 'object' && v !== null) {
    if (depth < 16) for (const key in v) scanValue(ac, (v as Record<string, unknown>)[key], hit, depth + 1);
  } else {
    const s = scalarString(v);
    if (s !== null) ac.scan(s, hit);
  }
}
