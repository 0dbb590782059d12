/** The console's sections, in the order analysts work through them. */
export const NAV_ITEMS = [
  { to: '/', label: 'Overview', end: true },
  { to: '/alerts', label: 'Alerts' },
  { to: '/cases', label: 'Cases' },
  { to: '/handovers', label: 'Handovers' },
  { to: '/endpoints', label: 'Endpoints' },
  { to: '/insights', label: 'Insights' },
  { to: '/rules', label: 'Rules' },
  { to: '/hunting', label: 'Hunting' },
  { to: '/intelligence', label: 'Intelligence' },
  { to: '/threat-map', label: 'Threat map' },
  { to: '/vulnerabilities', label: 'Vulnerabilities' },
  { to: '/analysis', label: 'Analysis' },
  { to: '/policies', label: 'Policies' },
  { to: '/decisions', label: 'Decisions' },
  { to: '/admin', label: 'Administration' },
] as const;
