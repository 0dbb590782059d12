/**
 * The one error type of the platform: a stable machine-readable `code`, the HTTP
 * status it maps to, a human message and optional structured details. The error
 * handler turns it into `{ "error": { "code", "message", "details" } }`.
 */
export class HarrierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HarrierError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new HarrierError(400, code, message, details);
export const unauthorized = (code: string, message: string, details?: unknown) =>
  new HarrierError(401, code, message, details);
export const forbidden = (code: string, message: string) => new HarrierError(403, code, message);
export const notFound = (code: string, message: string) => new HarrierError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new HarrierError(409, code, message, details);
export const payloadTooLarge = (code: string, message: string, details?: unknown) =>
  new HarrierError(413, code, message, details);
export const unsupportedMediaType = (code: string, message: string) => new HarrierError(415, code, message);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new HarrierError(422, code, message, details);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new HarrierError(
    429,
    code,
    message,
    { retry_after_seconds: retryAfterSeconds },
    {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );
export const serviceUnavailable = (code: string, message: string, retryAfterSeconds: number) =>
  new HarrierError(503, code, message, undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
