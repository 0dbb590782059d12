import { NavLink } from 'react-router';
import { NAV_ITEMS } from './nav-items.ts';

export function SideNav() {
  return (
    <nav className="side-nav" aria-label="Main">
      <div className="brand">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <path d="M4 22 L16 6 L28 22 L16 17 Z" fill="currentColor" />
        </svg>
        <span>Harrier</span>
      </div>
      <ul>
        {NAV_ITEMS.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={'end' in item ? item.end : false}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
