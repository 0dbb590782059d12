import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { badRequest, type HarrierError, unprocessable } from '../errors.ts';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/**
 * Validates a value already parsed by the route (bodies of signed requests are
 * parsed after signature verification, so Fastify's own validation cannot run).
 * The 400 lists every problem with its JSON path.
 */
export function validateOrThrow<T extends TSchema>(schema: T, value: unknown, what = 'body'): Static<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return value as Static<T>;
  const problems = [...check.Errors(value)]
    .slice(0, 20)
    .map((e) => ({ path: e.path || '/', message: e.message }));
  throw badRequest(
    'validation_failed',
    `The ${what} is not valid: ${problems[0]?.path} ${problems[0]?.message}`,
    {
      problems,
    },
  );
}

/**
 * As {@link validateOrThrow}, for seed routes answering in FastAPI's words: a 422 whose
 * details are `[{type, loc: ['body', …path], msg}]`.
 */
export function validateOr422<T extends TSchema>(schema: T, value: unknown): Static<T> {
  try {
    return validateOrThrow(schema, value);
  } catch (error) {
    const e = error as HarrierError;
    const problems =
      (e.details as { problems?: Array<{ path: string; message: string }> } | undefined)?.problems ?? [];
    throw unprocessable(
      'validation_failed',
      e.message,
      problems.map((p) => ({
        type: 'value_error',
        loc: [
          'body',
          ...p.path
            .split('/')
            .filter(Boolean)
            .map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        ],
        msg: p.message,
      })),
    );
  }
}
