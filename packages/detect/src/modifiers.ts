/**
 * Sigma value modifiers: a field key such as `CommandLine|wide|base64offset|contains` plus its
 * value(s) become one compiled predicate, and the literals every match must contain (used by the
 * literal index to skip rules cheaply). Transforming modifiers (expand, windash, wide/utf16*,
 * base64, base64offset) run in the order written; the others set how the result is compared.
 */
import { checkRegexSafety, splitInlineFlags } from '@harrier/schema';
import { RuleCompileError, type YamlPath } from './errors.ts';
import { fieldSlot, type Pred, scalarString } from './eval-context.ts';
import { compileCidr } from './ip-address.ts';
import {
  type Atom,
  allOfRequirements,
  anyOfRequirements,
  atomLiteral,
  atomsOfParts,
  type Requirement,
} from './literal-index.ts';
import { requiredRegexLiteral } from './regex-literal.ts';
import { lowerParts, parseSigmaString, type SigmaPart, STAR } from './sigma-string.ts';
import { compileGlob, globToRegExp, type StringTest } from './string-matcher.ts';

/** Every modifier the engine understands. */
export const KNOWN_MODIFIERS: ReadonlySet<string> = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'wide',
  'utf16le',
  'utf16be',
  'utf16',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'fieldref',
  'gt',
  'gte',
  'lt',
  'lte',
  'cased',
  'expand',
]);

/** Options that change how values compile. */
export interface ValueOptions {
  /** Values for `%name%` placeholders used with the `expand` modifier. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** A compiled detection item: the test and the literals it requires (null: none known). */
export interface CompiledItem {
  pred: Pred;
  requirement: Requirement;
}

/** Splits `Field|mod1|mod2` into the field name ('' for keywords) and validated modifiers. */
export function splitFieldKey(key: string, path: YamlPath): { field: string; modifiers: string[] } {
  const [field = '', ...modifiers] = key.split('|');
  for (const m of modifiers) {
    if (!KNOWN_MODIFIERS.has(m)) {
      throw new RuleCompileError(
        'unknown_modifier',
        `unknown modifier "${m}" in "${key}"`,
        path,
        undefined,
        'key',
      );
    }
  }
  return { field, modifiers };
}

/** Windows command-line dash variants (pySigma `windash`). */
const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_VARIANTS = 4096;
/** Characters of a value a regular expression (`re`, keyword globs) is run on. */
export const MAX_REGEX_INPUT = 65_536;

/** A value in the middle of transformation: text (with wildcards unless plain) or raw bytes. */
interface Variant {
  text?: string;
  bytes?: Buffer;
  /** True when wildcards no longer apply (after base64). */
  plain: boolean;
}

function expandPlaceholders(text: string, opts: ValueOptions, path: YamlPath): string[] {
  let results = [''];
  const re = /%([A-Za-z0-9_.-]+)%/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = m[1]!;
    const values = opts.placeholders?.[name];
    if (values === undefined || values.length === 0) {
      throw new RuleCompileError(
        'unresolved_placeholder',
        `placeholder %${name}% has no configured values`,
        path,
      );
    }
    const prefix = text.slice(last, m.index);
    const next: string[] = [];
    for (const r of results) for (const v of values) next.push(r + prefix + v);
    results = next;
    last = m.index + m[0].length;
  }
  return results.map((r) => r + text.slice(last));
}

function windashVariants(text: string): string[] {
  // Dashes/slashes that start a word after a non-word position (pySigma: `\B[-/]\b`).
  const positions: number[] = [];
  const re = /\B[-/]\b/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) positions.push(m.index);
  let out = [text];
  for (const pos of positions) {
    const next: string[] = [];
    for (const s of out) for (const c of WINDASH_CHARS) next.push(s.slice(0, pos) + c + s.slice(pos + 1));
    out = next;
    if (out.length > MAX_VARIANTS) break;
  }
  return out;
}

function toBytes(v: Variant): Buffer {
  return v.bytes ?? Buffer.from(v.text ?? '', 'utf8');
}

function encodeUtf16(v: Variant, mode: string): Variant {
  const le = Buffer.from(v.text ?? toBytes(v).toString('utf8'), 'utf16le');
  if (mode === 'utf16be') return { bytes: le.swap16(), plain: true };
  if (mode === 'utf16') return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]), plain: true };
  return { bytes: le, plain: true };
}

/** pySigma's base64offset: the three encodings of the value at byte offsets 0, 1 and 2. */
function base64Offsets(bytes: Buffer): string[] {
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const cut = endCut[(bytes.length + i) % 3]!;
    out.push(enc.slice(startCut[i]!, cut === 0 ? undefined : enc.length - cut));
  }
  return out;
}

function applyTransforms(
  raw: string,
  modifiers: readonly string[],
  opts: ValueOptions,
  path: YamlPath,
): Variant[] {
  let vs: Variant[] = [{ text: raw, plain: false }];
  for (const m of modifiers) {
    switch (m) {
      case 'expand':
        vs = vs.flatMap((v) =>
          expandPlaceholders(v.text ?? '', opts, path).map((text) => ({ text, plain: v.plain })),
        );
        break;
      case 'windash':
        vs = vs.flatMap((v) => windashVariants(v.text ?? '').map((text) => ({ text, plain: v.plain })));
        break;
      case 'wide':
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
        vs = vs.map((v) => encodeUtf16(v, m));
        break;
      case 'base64':
        vs = vs.map((v) => ({ text: toBytes(v).toString('base64'), plain: true }));
        break;
      case 'base64offset':
        vs = vs.flatMap((v) => base64Offsets(toBytes(v)).map((text) => ({ text, plain: true })));
        break;
      default:
        break;
    }
    if (vs.length > MAX_VARIANTS) {
      throw new RuleCompileError(
        'invalid_value',
        `modifiers expand one value into more than ${MAX_VARIANTS} variants`,
        path,
      );
    }
  }
  return vs.map((v) => (v.bytes !== undefined ? { text: v.bytes.toString('latin1'), plain: true } : v));
}

/** Tests a field's value(s) with a string test: scalars directly, arrays element by element. */
function fieldStringPred(field: string, cased: boolean, test: StringTest): Pred {
  if (!cased) {
    const slot = fieldSlot(field);
    return (ctx) => {
      const s = ctx.lowerAt(slot);
      if (s !== null) return test(s);
      const raw = ctx.get(field);
      if (!Array.isArray(raw)) return false;
      for (const el of raw) {
        const e = scalarString(el);
        if (e !== null && test(e.toLowerCase())) return true;
      }
      return false;
    };
  }
  return (ctx) => {
    const raw = ctx.get(field);
    const s = scalarString(raw);
    if (s !== null) return test(s);
    if (!Array.isArray(raw)) return false;
    for (const el of raw) {
      const e = scalarString(el);
      if (e !== null && test(e)) return true;
    }
    return false;
  };
}

function keywordPred(cased: boolean, test: StringTest): Pred {
  return (ctx) => {
    for (const s of ctx.keywordValues(cased)) if (test(s)) return true;
    return false;
  };
}

/**
 * Keyword test on raw values without lowercasing or collecting them: keyword rules are rarely
 * excluded by the prefilter (their literal may be in any field), so this runs on most events of
 * their logsource and must not allocate.
 */
function keywordRegexPred(res: readonly RegExp[]): Pred {
  const visit = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') {
      const s = v.length > MAX_REGEX_INPUT ? v.slice(0, MAX_REGEX_INPUT) : v;
      for (const re of res) if (re.test(s)) return true;
      return false;
    }
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
      return visit(String(v), depth);
    if (depth >= 16 || typeof v !== 'object' || v === null) return false;
    if (Array.isArray(v)) {
      for (const el of v) if (visit(el, depth + 1)) return true;
      return false;
    }
    for (const key in v) if (visit((v as Record<string, unknown>)[key], depth + 1)) return true;
    return false;
  };
  return (ctx) => visit(ctx.fields, 0);
}

function anyOf(preds: Pred[]): Pred {
  if (preds.length === 1) return preds[0]!;
  return (ctx) => {
    for (const p of preds) if (p(ctx)) return true;
    return false;
  };
}

function allOf(preds: Pred[]): Pred {
  if (preds.length === 1) return preds[0]!;
  return (ctx) => {
    for (const p of preds) if (!p(ctx)) return false;
    return true;
  };
}

function translatePythonRegex(src: string): string {
  return src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\Z/g, '$')
    .replace(/\\A/g, '^');
}

function compileRegex(pattern: string, modifiers: readonly string[], path: YamlPath): RegExp {
  let flags = '';
  if (modifiers.includes('i')) flags += 'i';
  if (modifiers.includes('m')) flags += 'm';
  if (modifiers.includes('s')) flags += 's';
  const split = splitInlineFlags(translatePythonRegex(pattern), flags);
  try {
    new RegExp(split.source, split.flags);
  } catch (err) {
    throw new RuleCompileError(
      'invalid_regex',
      `invalid regular expression /${pattern}/: ${(err as Error).message}`,
      path,
    );
  }
  const safety = checkRegexSafety(split.source, split.flags);
  if (!safety.safe) {
    throw new RuleCompileError(
      'unsafe_regex',
      `regular expression refused: ${safety.reason ?? 'could backtrack catastrophically'}`,
      path,
    );
  }
  return new RegExp(split.source, split.flags);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function valueList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Compiles one detection item. `field` is '' for keyword (full-text) items. Throws
 * RuleCompileError (caught by the rule compiler) for bad modifiers or values.
 */
export function compileItem(
  field: string,
  modifiers: readonly string[],
  value: unknown,
  opts: ValueOptions,
  path: YamlPath,
): CompiledItem {
  const has = (m: string): boolean => modifiers.includes(m);
  const values = valueList(value);
  const isKeyword = field === '';
  if (values.length === 0) throw new RuleCompileError('invalid_value', 'empty value list', path);

  if (has('exists')) {
    if (isKeyword || values.length !== 1 || typeof values[0] !== 'boolean') {
      throw new RuleCompileError(
        'invalid_modifier',
        '`exists` needs a field and the value true or false',
        path,
      );
    }
    const want = values[0];
    return { pred: (ctx) => (ctx.get(field) !== undefined) === want, requirement: null };
  }

  const typeMods = ['re', 'cidr', 'fieldref', 'gt', 'gte', 'lt', 'lte'].filter(has);
  if (typeMods.length > 1) {
    throw new RuleCompileError(
      'invalid_modifier',
      `modifiers ${typeMods.join(', ')} cannot be combined`,
      path,
    );
  }
  for (const flag of ['i', 'm', 's']) {
    if (has(flag) && !has('re'))
      throw new RuleCompileError('invalid_modifier', `modifier "${flag}" needs "re"`, path);
  }
  if (isKeyword && (has('fieldref') || typeMods.length > 0) && !has('re')) {
    throw new RuleCompileError('invalid_modifier', 'keyword selections only take string modifiers', path);
  }

  const combine = has('all') ? allOf : anyOf;
  const preds: Pred[] = [];
  const reqs: Requirement[] = [];

  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const vpath = Array.isArray(value) ? [...path, i] : path;

    if (v === null || v === undefined) {
      if (modifiers.length > 0 && !(modifiers.length === 1 && has('all'))) {
        throw new RuleCompileError('invalid_value', 'null cannot be combined with modifiers', vpath);
      }
      if (isKeyword) throw new RuleCompileError('invalid_value', 'null is not a keyword', vpath);
      preds.push((ctx) => {
        const x = ctx.get(field);
        return x === undefined || x === null;
      });
      reqs.push(null);
      continue;
    }
    if (typeof v === 'object') {
      throw new RuleCompileError(
        'invalid_value',
        'a detection value must be a string, number, boolean or null',
        vpath,
      );
    }

    if (has('gt') || has('gte') || has('lt') || has('lte')) {
      const n = toNumber(v);
      if (n === undefined)
        throw new RuleCompileError('invalid_value', `"${String(v)}" is not a number`, vpath);
      const op = has('gt') ? 'gt' : has('gte') ? 'gte' : has('lt') ? 'lt' : 'lte';
      preds.push((ctx) => {
        const x = toNumber(ctx.get(field));
        if (x === undefined) return false;
        return op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : x <= n;
      });
      reqs.push(null);
      continue;
    }

    if (has('cidr')) {
      let test: (a: string) => boolean;
      try {
        test = compileCidr(String(v));
      } catch (err) {
        throw new RuleCompileError('invalid_value', (err as Error).message, vpath);
      }
      preds.push(fieldStringPred(field, true, test));
      reqs.push(null);
      continue;
    }

    if (has('fieldref')) {
      if (typeof v !== 'string')
        throw new RuleCompileError('invalid_value', '`fieldref` needs a field name', vpath);
      const other = v;
      const cased = has('cased');
      const mode = has('contains')
        ? 'contains'
        : has('startswith')
          ? 'startswith'
          : has('endswith')
            ? 'endswith'
            : 'eq';
      preds.push((ctx) => {
        const a = cased ? scalarString(ctx.get(field)) : ctx.lower(field);
        const b = cased ? scalarString(ctx.get(other)) : ctx.lower(other);
        if (a === null || b === null) return false;
        return mode === 'eq'
          ? a === b
          : mode === 'contains'
            ? a.includes(b)
            : mode === 'startswith'
              ? a.startsWith(b)
              : a.endsWith(b);
      });
      reqs.push(null);
      continue;
    }

    const text = typeof v === 'string' ? v : String(v);

    if (has('re')) {
      const re = compileRegex(text, modifiers, vpath);
      // Bounded input: even a regex that passed the safety check can be polynomial on huge values.
      const test: StringTest = (s) => re.test(s.length > MAX_REGEX_INPUT ? s.slice(0, MAX_REGEX_INPUT) : s);
      preds.push(isKeyword ? keywordPred(true, test) : fieldStringPred(field, true, test));
      // Keyword regexes may match in any field: no field literal to index.
      const lit = isKeyword ? '' : requiredRegexLiteral(splitInlineFlags(translatePythonRegex(text)).source);
      reqs.push(lit.length >= 3 ? [[{ field, literal: atomLiteral(lit) }]] : null);
      continue;
    }

    // String comparison (also numbers and booleans, compared by their text as SigmaHQ tools do).
    const cased = has('cased');
    const variants =
      typeof v === 'string' ? applyTransforms(text, modifiers, opts, vpath) : [{ text, plain: true }];
    if (isKeyword) {
      // Keywords: substring search over every value, case-insensitive unless `cased`. Keyword
      // rules pass the prefilter on most events of their logsource, so the test runs a regex on
      // each raw value (no lowercased copies, no joined text: measured cheaper).
      const res = variants.map((variant) => {
        const parts: SigmaPart[] = variant.plain
          ? [variant.text ?? '']
          : parseSigmaString(variant.text ?? '');
        return globToRegExp([STAR, ...parts, STAR], !cased);
      });
      preds.push(keywordRegexPred(res));
      reqs.push(null);
      continue;
    }
    const tests: StringTest[] = [];
    const atoms: Atom[] = [];
    let unknown = false;
    for (const variant of variants) {
      let parts: SigmaPart[] = variant.plain
        ? variant.text === ''
          ? []
          : [variant.text ?? '']
        : parseSigmaString(variant.text ?? '');
      if (has('contains')) parts = [STAR, ...parts, STAR];
      else if (has('startswith')) parts = [...parts, STAR];
      else if (has('endswith')) parts = [STAR, ...parts];
      if (!cased) parts = lowerParts(parts);
      tests.push(compileGlob(parts));
      const a = atomsOfParts(field, parts);
      if (a === null) unknown = true;
      else atoms.push(a);
    }
    const test: StringTest = tests.length === 1 ? tests[0]! : (s) => tests.some((t) => t(s));
    preds.push(fieldStringPred(field, cased, test));
    reqs.push(unknown ? null : [atoms]);
  }

  return {
    pred: combine(preds),
    requirement: has('all') ? allOfRequirements(reqs) : anyOfRequirements(reqs),
  };
}
