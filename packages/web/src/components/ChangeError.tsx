import { ApiError } from '../api/api-error.ts';
import { FormError } from './FormError.tsx';

/** An API refusal as FormError shows it; a message the console produced (bad JSON) as it is. */
export function ChangeError({ error }: { error: unknown }) {
  if (error instanceof Error && !(error instanceof ApiError)) {
    return (
      <p className="form-error" role="alert">
        {error.message}
      </p>
    );
  }
  return <FormError error={error} />;
}
