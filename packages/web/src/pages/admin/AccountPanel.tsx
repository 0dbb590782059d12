import { type FormEvent, useState } from 'react';
import { useHttp } from '../../api/http-context.ts';
import { useUser } from '../../auth/session-context.ts';
import { FormError } from '../../components/FormError.tsx';

/** The signed-in user's own account: who they are, what they may do, and their password. */
export function AccountPanel() {
  const http = useHttp();
  const user = useUser();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    // Checked here so a typo never reaches the server as the new password.
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    try {
      await http.post('/api/v1/auth/password', { current_password: current, new_password: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">My account</h2>
      <dl className="facts card">
        <dt>E-mail</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role.replaceAll('_', ' ')}</dd>
        <dt>Organization</dt>
        <dd>
          {user.org.name} <code>{user.org.slug}</code>
        </dd>
        <dt>Permissions</dt>
        <dd className="permission-list">
          {user.permissions.map((p) => (
            <code key={p}>{p}</code>
          ))}
        </dd>
      </dl>
      <h3>Change password</h3>
      <form className="stacked-form" onSubmit={submit} aria-label="Change password">
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label>
          New password again
          <input
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary">
          Change password
        </button>
      </form>
      {mismatch && (
        <p className="form-error" role="alert">
          The two new passwords differ.
        </p>
      )}
      <FormError error={error} />
      {done && (
        <p className="notice" role="status">
          Password changed. Your other sessions have been signed out.
        </p>
      )}
    </section>
  );
}
