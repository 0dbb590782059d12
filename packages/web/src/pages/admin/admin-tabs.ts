/** Administration tabs and the permission each needs; a tab the user may not use is not offered. */
export const ADMIN_TABS = [
  { to: 'users', label: 'Users', permission: 'users:read' },
  { to: 'tokens', label: 'API tokens', permission: 'tokens:manage' },
  { to: 'enrollment', label: 'Enrollment keys', permission: 'enrollment:read' },
  { to: 'audit', label: 'Audit log', permission: 'audit:read' },
  { to: 'notifications', label: 'Notifications', permission: 'notifications:manage' },
  { to: 'work-groups', label: 'Work groups', permission: 'workgroups:manage' },
  { to: 'organizations', label: 'Organizations', permission: 'organizations:manage' },
  { to: 'account', label: 'My account', permission: null },
] as const;

export function allowedTabs(permissions: readonly string[]) {
  return ADMIN_TABS.filter((t) => t.permission === null || permissions.includes(t.permission));
}
