import { compareCodePoints, pythonAsciiString, pythonFloatRepr } from '@harrier/schema';

/**
 * A number that Python holds as a float. JavaScript has one number type, so a value Python
 * would print as `24.0` must be marked to be serialized as Python does.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/**
 * Python's `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)` for
 * JSON-like values: keys in code-point order, non-ASCII escaped, integers as integers,
 * {@link PyFloat} and non-integral numbers as Python's float repr.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonAsciiString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareCodePoints);
      return `{${keys.map((k) => `${pythonAsciiString(k)}:${pythonJsonDumps(record[k])}`).join(',')}}`;
    }
    default:
      return pythonAsciiString(String(value));
  }
}
