import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useUser } from '../../auth/session-context.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { allowedTabs } from './admin-tabs.ts';

export function AdminLayout() {
  const tabs = allowedTabs(useUser().permissions);
  const { pathname } = useLocation();
  // /admin itself opens the first tab this user may use.
  if (pathname.replace(/\/$/, '') === '/admin' && tabs[0]) return <Navigate to={tabs[0].to} replace />;
  return (
    <>
      <PageHeader title="Administration" />
      <nav className="tabs" aria-label="Administration">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
