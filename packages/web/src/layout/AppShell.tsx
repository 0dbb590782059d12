import { Outlet } from 'react-router';
import { SideNav } from './SideNav.tsx';
import { TopBar } from './TopBar.tsx';

export function AppShell() {
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SideNav />
      <div className="app-main">
        <TopBar />
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
