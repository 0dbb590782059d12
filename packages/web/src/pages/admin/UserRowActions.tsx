import type { UserRecord } from '../../api/admin-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { useUserAction } from './useUserAction.ts';

interface Props {
  user: UserRecord;
  onChanged: () => void;
  onPassword: (email: string, password: string) => void;
}

/** Enable/disable and password reset of one user; each asks first where it cannot be undone quietly. */
export function UserRowActions({ user, onChanged, onPassword }: Props) {
  const http = useHttp();
  const { path, run, error } = useUserAction(user, onChanged);
  return (
    <div className="row-actions">
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
