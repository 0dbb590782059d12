/**
 * Suppressions as data: a rule (or every rule) plus field conditions that must
 * all hold. Matching is case-insensitive; `*` in an expected value matches any
 * run of characters; a list means any of its values.
 */

/** A suppression as detection applies it. */
export interface SuppressionSpec {
  id: string;
  ruleUid: string | null;
  conditions: Record<string, unknown>;
}

type ValueTest = (actual: unknown) => boolean;

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).toLowerCase();
  return JSON.stringify(v).toLowerCase();
}

function compileValue(expected: unknown): ValueTest {
  if (Array.isArray(expected)) {
    const tests = expected.map(compileValue);
    return (actual) => tests.some((t) => t(actual));
  }
  if (expected === null) return (actual) => actual === null || actual === undefined;
  const want = text(expected)!;
  if (typeof expected === 'string' && want.includes('*')) {
    const re = new RegExp(
      `^${want
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    return (actual) => {
      const a = text(actual);
      return a !== undefined && re.test(a);
    };
  }
  return (actual) => {
    if (Array.isArray(actual)) return actual.some((x) => text(x) === want);
    return text(actual) === want;
  };
}

interface Compiled {
  id: string;
  tests: Array<{ field: string; test: ValueTest }>;
}

/** The suppressions of one organization, compiled once per change. */
export class SuppressionMatcher {
  private readonly byRule = new Map<string, Compiled[]>();
  private readonly anyRule: Compiled[] = [];

  constructor(specs: readonly SuppressionSpec[]) {
    for (const s of specs) {
      const compiled: Compiled = {
        id: s.id,
        tests: Object.entries(s.conditions).map(([field, expected]) => ({
          field,
          test: compileValue(expected),
        })),
      };
      if (s.ruleUid === null) this.anyRule.push(compiled);
      else {
        const list = this.byRule.get(s.ruleUid) ?? [];
        list.push(compiled);
        this.byRule.set(s.ruleUid, list);
      }
    }
  }

  get size(): number {
    return this.anyRule.length + [...this.byRule.values()].reduce((n, l) => n + l.length, 0);
  }

  /**
   * The id of the first suppression that holds back a match of `ruleUid` on
   * these fields, or undefined. `device_id` can be conditioned like a field.
   */
  find(
    ruleUid: string,
    fields: Readonly<Record<string, unknown>>,
    deviceId: string | null,
  ): string | undefined {
    const lists = [this.byRule.get(ruleUid), this.anyRule];
    for (const list of lists) {
      if (list === undefined) continue;
      for (const s of list) {
        let holds = true;
        for (const { field, test } of s.tests) {
          const actual = field === 'device_id' && !(field in fields) ? deviceId : fields[field];
          if (!test(actual)) {
            holds = false;
            break;
          }
        }
        if (holds) return s.id;
      }
    }
    return undefined;
  }
}
