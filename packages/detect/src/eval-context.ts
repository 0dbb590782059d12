/**
 * Per-event evaluation state. One context is reused for every event so the hot path allocates
 * nothing but the lowercased values it actually needs, each computed once per event however many
 * rules read the field.
 */

/** A compiled boolean test over the current event. */
export type Pred = (ctx: EvalContext) => boolean;

/** Reads fields of the current event, with caches for lowercased and keyword views. */
export class EvalContext {
  fields: Record<string, unknown> = {};
  private readonly lowerCache = new Map<string, string | null>();
  private readonly scanCache = new Map<string, string | null>();
  private keywordLower: string[] | undefined;
  private keywordCased: string[] | undefined;

  /** Points the context at another event's fields and forgets the previous event's caches. */
  reset(fields: Record<string, unknown>): void {
    this.fields = fields;
    this.lowerCache.clear();
    this.scanCache.clear();
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

  /** The field as a lowercased string; `null` when absent, null, or not a scalar. */
  lower(name: string): string | null {
    let v = this.lowerCache.get(name);
    if (v === undefined) {
      const s = scalarString(this.get(name));
      v = s === null ? null : s.toLowerCase();
      this.lowerCache.set(name, v);
    }
    return v;
  }

  /**
   * Lowercased text to scan for required literals: a scalar's string, or array elements joined
   * (a literal spanning two elements only makes a rule a candidate; full evaluation decides).
   */
  scanText(name: string): string | null {
    let v = this.scanCache.get(name);
    if (v === undefined) {
      const raw = this.get(name);
      if (Array.isArray(raw)) {
        const parts: string[] = [];
        for (const el of raw) {
          const s = scalarString(el);
          if (s !== null) parts.push(s.toLowerCase());
        }
        v = parts.length > 0 ? parts.join('\u0000') : null;
      } else {
        v = this.lower(name);
      }
      this.scanCache.set(name, v);
    }
    return v;
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
