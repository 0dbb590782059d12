import { useState } from 'react';

/**
 * Runs a change against the API, then `onDone` (a reload); a refusal is kept
 * for <FormError> instead of being thrown.
 */
export function useCaseAction(onDone: () => void) {
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await work();
      onDone();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  return { run, error };
}
