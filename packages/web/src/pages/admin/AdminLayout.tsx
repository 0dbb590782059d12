import { NavLink, Outlet } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';

const TABS = [
  { to: 'users', label: 'Users' },
  { to: 'tokens', label: 'API tokens' },
  { to: 'enrollment', label: 'Enrollment keys' },
  { to: 'audit', label: 'Audit log' },
];

export function AdminLayout() {
  return (
    <>
      <PageHeader title="Administration" />
      <nav className="tabs" aria-label="Administration">
        {TABS.map((t) => (
          <NavLink key={t.to} to={t.to}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
