import { ApiError } from '../api/api-error.ts';

/** A refused form submission: the API's message, or what a 403 means. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.status === 403
        ? 'Not allowed: your role cannot do this.'
        : error.routeMissing
          ? 'Not available on this server yet.'
          : error.message
      : 'Something went wrong.';
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
