import { useState } from 'react';
import { ADMIN_PATHS, type UserRecord } from '../../api/admin-api.ts';
import { ApiError } from '../../api/api-error.ts';

/** Runs one change to a user, reloads the list on success and keeps the server's refusal to show. */
export function useUserAction(user: UserRecord, onChanged: () => void) {
  const [error, setError] = useState<string | null>(null);
  const path = `${ADMIN_PATHS.users}/${encodeURIComponent(user.id)}`;
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Failed.');
    }
  };
  return { path, run, error };
}
