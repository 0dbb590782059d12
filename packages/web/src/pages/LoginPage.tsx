import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError } from '../api/api-error.ts';
import { useSession } from '../auth/session-context.ts';
import { LoadingState } from '../components/LoadingState.tsx';
import { ThemeToggle } from '../theme/ThemeToggle.tsx';

/** What a refused sign-in says. The server's reason for a 401 is deliberately not more specific. */
export function loginFailureMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Sign-in failed. Try again.';
  if (err.status === 401 || err.status === 400) return 'Wrong e-mail or password.';
  if (err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (err.status === 0) return 'The server could not be reached.';
  if (err.routeMissing) return 'Sign-in is not available on this server yet.';
  return err.message;
}

export function LoginPage() {
  const { state, login } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Harrier';
  }, []);

  if (state.status === 'loading') return <LoadingState label="Checking your session" />;
  if (state.status === 'signed-in') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }
  const notice = state.status === 'signed-out' ? state.notice : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(loginFailureMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-theme">
        <ThemeToggle />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand large">
          <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
            <path d="M4 22 L16 6 L28 22 L16 17 Z" fill="currentColor" />
          </svg>
          <span>Harrier</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        {state.status === 'unavailable' ? (
          <p className="notice" role="status">
            Sign-in is not available on this server yet: it has no identity API.
          </p>
        ) : null}
        {notice && !error ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <label htmlFor="login-email">E-mail</label>
        <input
          id="login-email"
          type="email"
          autoComplete="username"
          required
          // biome-ignore lint/a11y/noAutofocus: the only task on this page is to sign in.
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={busy || state.status === 'unavailable'}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
