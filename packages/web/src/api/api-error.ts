/** An error answered by the Harrier API (`{ error: { code, message, details } }`) or by the network. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * True when the server has no such route at all: the feature has not landed on this server.
   * The server's not-found handler answers `No route GET /path.`; a missing record has another message.
   */
  get routeMissing(): boolean {
    return this.status === 404 && this.message.startsWith('No route ');
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
  detail?: unknown;
}

/** Builds an ApiError from a response body that may or may not follow the error contract. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const e = b.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(
      status,
      e.code,
      typeof e.message === 'string' ? e.message : e.code,
      e.details ?? null,
    );
  }
  if (typeof b.detail === 'string') return new ApiError(status, `http_${status}`, b.detail);
  return new ApiError(status, `http_${status}`, `The server answered ${status}.`);
}
