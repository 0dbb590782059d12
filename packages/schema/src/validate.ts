/**
 * Schema validation with TypeBox's compiled checkers: each schema is compiled once (on first
 * use) and cached, so request validation costs a generated function call, not a schema walk.
 *
 * Also defines the custom kinds the seed schemas need to match pydantic exactly:
 * - `CodePointString`: string lengths counted in code points (Python's `len`), whereas
 *   JSON Schema as TypeBox implements it counts UTF-16 units (an emoji would count twice);
 * - `Instant`: a date-time pydantic would accept (RFC 3339 string or epoch number).
 * Both still serialize to plain JSON Schema for OpenAPI (the kind is a symbol, not a key).
 */
import {
  Kind,
  type SchemaOptions,
  type Static,
  type TSchema,
  type TUnsafe,
  Type,
  TypeRegistry,
} from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { parseInstant } from './timestamps.ts';

/** One validation problem: a JSON pointer (`/events/0/title`, `` for the root) and a message. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

/** Number of code points in `s` (surrogate pairs count once). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

interface CodePointStringOptions extends SchemaOptions {
  minLength?: number;
  maxLength?: number;
}

if (!TypeRegistry.Has('CodePointString')) {
  TypeRegistry.Set<CodePointStringOptions>('CodePointString', (schema, value) => {
    if (typeof value !== 'string') return false;
    // UTF-16 length bounds the code point count from above and (halved) from below.
    const units = value.length;
    const { minLength, maxLength } = schema;
    if (maxLength !== undefined && units > maxLength && codePointLength(value) > maxLength) return false;
    if (minLength !== undefined && units < minLength) return false;
    if (minLength !== undefined && units >= minLength && units / 2 < minLength) {
      return codePointLength(value) >= minLength;
    }
    return true;
  });
}

if (!TypeRegistry.Has('Instant')) {
  TypeRegistry.Set('Instant', (_schema, value) => parseInstant(value) !== undefined);
}

/**
 * A string whose `minLength`/`maxLength` count code points, as pydantic's `Field(max_length=…)`
 * does. Serializes as `{ type: 'string', minLength, maxLength }`.
 */
export function CodePointString(options: CodePointStringOptions = {}): TUnsafe<string> {
  return Type.Unsafe<string>({ ...options, [Kind]: 'CodePointString', type: 'string' });
}

/**
 * A date-time as pydantic's `datetime` accepts it from JSON: an RFC 3339 / ISO 8601 string
 * (any offset; naive means UTC) or an epoch number. Checked with {@link parseInstant}.
 */
export function Instant(options: SchemaOptions = {}): TUnsafe<string | number> {
  return Type.Unsafe<string | number>({
    ...options,
    [Kind]: 'Instant',
    anyOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }],
  });
}

const compiledCache = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The compiled checker of `schema`, compiled on first use and cached by schema identity. */
export function compiled<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiledCache.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiledCache.set(schema, check);
  }
  return check as TypeCheck<T>;
}

function kindMessage(schema: TSchema): string {
  const kind = schema[Kind];
  if (kind === 'CodePointString') {
    const { minLength, maxLength } = schema as CodePointStringOptions;
    if (minLength !== undefined && maxLength !== undefined) {
      return `Expected string length between ${minLength} and ${maxLength}`;
    }
    if (maxLength !== undefined) return `Expected string length less or equal to ${maxLength}`;
    if (minLength !== undefined) return `Expected string length greater or equal to ${minLength}`;
    return 'Expected string';
  }
  if (kind === 'Instant') return 'Expected an RFC 3339 date-time or an epoch number';
  return `Expected kind '${String(kind)}'`;
}

/**
 * Validates `value` against `schema` with the cached compiled checker. On success the value
 * is returned as is (typed); on failure up to `maxErrors` issues with JSON-pointer paths.
 */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  maxErrors = 20,
): ValidationResult<Static<T>> {
  const check = compiled(schema);
  if (check.Check(value)) return { ok: true, value };
  const errors: ValidationIssue[] = [];
  for (const error of check.Errors(value)) {
    const message = error.type === ValueErrorType.Kind ? kindMessage(error.schema) : error.message;
    errors.push({ path: error.path, message });
    if (errors.length >= maxErrors) break;
  }
  if (errors.length === 0) errors.push({ path: '', message: 'Invalid value' });
  return { ok: false, errors };
}

/**
 * A JSON pointer as a FastAPI-style `loc` array (`/events/0/title` → `['body', 'events', 0,
 * 'title']`), for seed routes that answer 422 in FastAPI's shape.
 */
export function pathToLoc(path: string, root = 'body'): (string | number)[] {
  const loc: (string | number)[] = [root];
  if (path === '') return loc;
  for (const part of path.slice(1).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    loc.push(/^(0|[1-9]\d*)$/.test(key) ? Number(key) : key);
  }
  return loc;
}
