import { ROLES, type UserRecord } from '../../api/admin-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { useUserAction } from './useUserAction.ts';

/** The role cell for an administrator: changing it takes effect on the user's next request. */
export function UserRoleSelect({ user, onChanged }: { user: UserRecord; onChanged: () => void }) {
  const http = useHttp();
  const { path, run, error } = useUserAction(user, onChanged);
  return (
    <>
      <select
        aria-label={`Role of ${user.email}`}
        value={user.role}
        onChange={(e) => run(() => http.patch(path, { role: e.target.value }))}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {error && (
        <span className="form-error inline" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
