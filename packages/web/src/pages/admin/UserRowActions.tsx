import { useState } from 'react';
import { ADMIN_PATHS, ROLES, type UserRecord } from '../../api/admin-api.ts';
import { ApiError } from '../../api/api-error.ts';
import { useHttp } from '../../api/http-context.ts';

interface Props {
  user: UserRecord;
  /** The signed-in admin: the server refuses changing or disabling oneself, so the controls are not offered. */
  self: boolean;
  onChanged: () => void;
  onPassword: (email: string, password: string) => void;
}

/** Role, enable/disable and password reset of one user; each asks the server and reloads the list. */
export function UserRowActions({ user, self, onChanged, onPassword }: Props) {
  const http = useHttp();
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
  if (self) return <span className="muted">you</span>;
  return (
    <div className="row-actions">
      <label className="visually-hidden" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select
        id={`role-${user.id}`}
        value={user.role}
        onChange={(e) => run(() => http.patch(path, { role: e.target.value }))}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
        onClick={() => {
          if (!user.disabled && !window.confirm(`Disable ${user.email}? Their sessions end at once.`)) return;
          void run(() => http.post(`${path}/${user.disabled ? 'enable' : 'disable'}`));
        }}
      >
        {user.disabled ? 'Enable' : 'Disable'}
      </button>
      <button
        type="button"
        className="button"
        aria-label={`Reset the password of ${user.email}`}
        onClick={() => {
          if (!window.confirm(`Give ${user.email} a new generated password?`)) return;
          void run(async () => {
            const body = await http.post<{ password?: string }>(`${path}/reset-password`, {});
            if (body.password) onPassword(user.email, body.password);
          });
        }}
      >
        Reset password
      </button>
      {error && (
        <span className="form-error inline" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
