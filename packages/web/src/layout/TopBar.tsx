import { useSession, useUser } from '../auth/session-context.ts';
import { ThemeToggle } from '../theme/ThemeToggle.tsx';

export function TopBar() {
  const user = useUser();
  const { logout } = useSession();
  return (
    <header className="top-bar">
      <span className="org" title={`Organization ${user.org.slug}`}>
        {user.org.name}
      </span>
      <div className="top-bar-end">
        <ThemeToggle />
        <span className="user" data-testid="current-user">
          {user.display_name || user.username || user.email}
          <span className="role">{user.role.replaceAll('_', ' ')}</span>
        </span>
        <button
          type="button"
          className="button"
          // The route guard takes the signed-out console to /login.
          onClick={() => void logout()}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
