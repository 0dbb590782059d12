import { NavLink } from 'react-router';

/** Tabs between the insight pages. */
export function InsightsNav() {
  return (
    <nav className="tabs" aria-label="Insights">
      <NavLink to="/insights" end>
        Fleet brief
      </NavLink>
      <NavLink to="/insights/fleet">Fleet ranking</NavLink>
      <NavLink to="/insights/list">All insights</NavLink>
    </nav>
  );
}
