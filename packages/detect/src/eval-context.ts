/**
 * Per-event evaluation state. One context is reused for every event so the hot path allocates
 * nothing but the lowercased values it actually needs, each computed once per event however many
 * rules read the field. Field names are interned to small integer slots at compile time, so the
 * per-event caches are arrays stamped with an event counter instead of maps cleared per event.
 */

/** A compiled boolean test over the current event. */
export type Pred = (ctx: EvalContext) => boolean;

const slotOfName = new Map<string, number>();
const slotNames: string[] = [];

/** Interns a field name; compiled predicates keep the slot, not the name. */
export function fieldSlot(name: string): number {
  let s = slotOfName.get(name);
  if (s === undefined) {
    s = slotNames.length;
    slotNames.push(name);
    slotOfName.set(name, s);
  }
  return s;
}

/** Reads fields of the current event, with caches for lowercased and keyword views. */
export class EvalContext {
  fields: Record<string, unknown> = {};
  private epoch = 0;
  private stamp = new Int32Array(64);
  private lowerVals: Array<string | null> = [];
  private keywordLower: string[] | undefined;
  private keywordCased: string[] | undefined;

  /** Points the context at another event's fields and forgets the previous event's caches. */
  reset(fields: Record<string, unknown>): void {
    this.fields = fields;
    this.epoch = (this.epoch + 1) | 0;
    if (this.epoch === 0) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    if (this.stamp.length < slotNames.length) {
      const grown = new Int32Array(slotNames.length * 2);
      grown.set(this.stamp);
      this.stamp = grown;
    }
    this.keywordLower = undefined;
    this.keywordCased = undefined;
  }

  /** Raw value of a field; dotted names fall back to walking nested objects (`actor.alternateId`). */
  get(name: string): unknown {
    const direct = this.fields[name];
    if (direct !== undefined || !name.includes('.')) return direct;
    let cur: unknown = this.fields;
    for (const seg of name.split('.')) {
      if (typeof cur !== 'object' || cur === null) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
    return cur;
  }

  /** The field (by slot) as a lowercased string; `null` when absent, null, or not a scalar. */
  lowerAt(slot: number): string | null {
    if (this.stamp[slot] === this.epoch) return this.lowerVals[slot]!;
    const s = scalarString(this.get(slotNames[slot]!));
    const v = s === null ? null : s.toLowerCase();
    this.lowerVals[slot] = v;
    this.stamp[slot] = this.epoch;
    return v;
  }

  /** The field (by name) as a lowercased string; `null` when absent, null, or not a scalar. */
  lower(name: string): string | null {
    return this.lowerAt(fieldSlot(name));
  }

  /** Every scalar value of the event (nested ones too), for keyword selections. */
  keywordValues(cased: boolean): string[] {
    if (cased) {
      this.keywordCased ??= collectStrings(this.fields, []);
      return this.keywordCased;
    }
    if (this.keywordLower === undefined) {
      this.keywordCased ??= collectStrings(this.fields, []);
      this.keywordLower = this.keywordCased.map((s) => s.toLowerCase());
    }
    return this.keywordLower;
  }
}

/** String form of a scalar field value; `null` for missing, null, objects and arrays. */
export function scalarString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

function collectStrings(v: unknown, out: string[]): string[] {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const el of v) collectStrings(el, out);
  else if (typeof v === 'object' && v !== null) for (const el of Object.values(v)) collectStrings(el, out);
  return out;
}
