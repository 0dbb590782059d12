import { parseInstant } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import { badRequest } from '../errors.ts';

/** A time bound in a request: RFC 3339 text or epoch milliseconds. */
export const InstantParam = Type.Union([Type.String({ maxLength: 64 }), Type.Integer()], {
  description: 'RFC 3339 time (UTC offset required) or epoch milliseconds',
});

/** Epoch ms of a request's time bound; 400 naming the parameter when it is not a time. */
export function instantParam(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' || /^\d{1,16}$/.test(value) ? Number(value) : parseInstant(value);
  if (ms === undefined || !Number.isSafeInteger(ms)) {
    throw badRequest('invalid_time', `${name} is not a time (RFC 3339 or epoch milliseconds).`);
  }
  return ms;
}

/** A `from`/`to` pair; 400 when `from` is not before `to`. */
export function timeRangeParams(
  from: string | number | undefined,
  to: string | number | undefined,
): { from: number | undefined; to: number | undefined } {
  const range = { from: instantParam(from, 'from'), to: instantParam(to, 'to') };
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw badRequest('invalid_time_range', 'from must be before to.');
  }
  return range;
}
