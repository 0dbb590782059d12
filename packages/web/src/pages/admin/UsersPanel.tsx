import { type FormEvent, useState } from 'react';
import { ADMIN_PATHS, ROLES, type UserRecord } from '../../api/admin-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { useCan, useUser } from '../../auth/session-context.ts';
import { FormError } from '../../components/FormError.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { Column } from '../../components/table-types.ts';
import { formatUtc, relativeTime, toDate } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';
import { SecretReveal } from './SecretReveal.tsx';
import { UserRoleSelect } from './UserRoleSelect.tsx';
import { UserRowActions } from './UserRowActions.tsx';

export function UsersPanel() {
  const http = useHttp();
  const canManage = useCan('users:manage');
  const [version, setVersion] = useState(0);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('analyst');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  const me = useUser();
  const reload = () => setVersion((v) => v + 1);
  const columns: Column<UserRecord>[] = [
    { id: 'email', header: 'E-mail', render: (u) => u.email, sortValue: (u) => u.email },
    {
      id: 'name',
      header: 'Name',
      render: (u) => u.display_name || u.username || '—',
      sortValue: (u) => u.display_name,
    },
    {
      id: 'role',
      header: 'Role',
      // Administrators change the role in place; their own is fixed (the server refuses self-demotion).
      render: (u) =>
        canManage && u.id !== me.id ? (
          <UserRoleSelect user={u} onChanged={reload} />
        ) : (
          u.role.replaceAll('_', ' ')
        ),
      sortValue: (u) => u.role,
    },
    {
      id: 'state',
      header: 'State',
      render: (u) => <StatusBadge value={u.disabled ? 'disabled' : 'active'} />,
      sortValue: (u) => (u.disabled ? 1 : 0),
    },
    {
      id: 'last_login',
      header: 'Last sign-in',
      render: (u) => <time title={formatUtc(u.last_login_at)}>{relativeTime(u.last_login_at)}</time>,
      sortValue: (u) => toDate(u.last_login_at)?.getTime() ?? null,
    },

    ...(canManage
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (u: UserRecord) =>
              u.id === me.id ? (
                <span className="muted">you</span>
              ) : (
                <UserRowActions
                  user={u}
                  onChanged={reload}
                  onPassword={(email, password) => setReset({ email, password })}
                />
              ),
          },
        ]
      : []),
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    try {
      await http.post(ADMIN_PATHS.users, { email: email.trim(), role, password });
      setCreated(email.trim());
      setEmail('');
      setPassword('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {canManage && (
        <form className="inline-form" onSubmit={submit} aria-label="Add a user">
          <label>
            E-mail <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            Initial password{' '}
            <input
              type="password"
              required
              minLength={12}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="button primary">
            Add user
          </button>
        </form>
      )}
      <FormError error={error} />
      {created && (
        <p className="notice" role="status">
          {created} can now sign in.
        </p>
      )}
      {reset && <SecretReveal label={`New password of ${reset.email}.`} secret={reset.password} />}
      <AdminList<UserRecord>
        id="admin-users"
        caption="Users"
        path={ADMIN_PATHS.users}
        listKey="items"
        feature="The users API"
        columns={columns}
        empty="No users."
        version={version}
      />
    </section>
  );
}
