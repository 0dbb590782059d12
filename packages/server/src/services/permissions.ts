/**
 * The one table of roles and permissions (DESIGN.md §7). Every route declares
 * one of these permissions in its config; a role is nothing but a set of them.
 * Add a permission here, give it to the roles that should have it, and declare
 * it on the route: nothing else decides access.
 */

/** Every named permission, with what it lets a caller do (shown by `GET /api/v1/permissions`). */
export const PERMISSIONS = {
  'alerts:read': 'Read alerts, signals and their matched events.',
  'alerts:triage': 'Change alert and signal status, assign, comment, escalate.',
  'alerts:manage': 'Delete alerts and set any alert status directly (seed 003’s status route).',
  'workgroups:manage': 'Create, change and delete work groups and their members.',
  'cases:read': 'Read cases, notes, handovers and work plans.',
  'cases:write': 'Open and work cases, notes, handovers and work plans.',
  'events:read': 'Search and hunt through stored events.',
  'queries:write': 'Save, share, change and delete one’s own hunting queries.',
  'events:ingest': 'Submit events through the API (seed 003 analysts).',
  'ingest:write': 'Send logs as a shipper (syslog-ng, rsyslog, journal-upload) with an API token.',
  'rules:read': 'Read detection rules and suppressions.',
  'rules:write': 'Create, import, enable, disable and edit rules and suppressions.',
  'devices:read': 'Read endpoints, inventory and heartbeats.',
  'vulnerabilities:import': 'Import vulnerability advisories (OSV) and the known-exploited catalogue (KEV).',
  'analysis:read': 'Read file and e-mail analysis reports and pattern rules.',
  'analysis:submit': 'Submit files and e-mails for static analysis.',
  'analysis:rules': 'Create, change and delete the organization’s pattern rules.',
  'devices:manage': 'Revoke or rotate a device’s credentials.',
  'devices:write': 'Edit endpoint metadata and tags, manage device groups, retire endpoints.',
  'response:execute': 'Queue response actions on endpoints and execute decisions.',
  'response:manage': 'Turn response actions on or off for the whole organization.',
  'policies:read': 'Read policies, assignments and detectors.',
  'policies:write': 'Change policies, assignments and detectors.',
  'enrollment:read': 'List agent enrollment keys.',
  'enrollment:manage': 'Create and revoke agent enrollment keys.',
  'users:read': 'List users and work groups of the organization.',
  'users:manage': 'Create, change, disable and delete users; reset their passwords.',
  'tokens:manage': 'Create, list and revoke one’s own API tokens.',
  'integrations:manage': 'Configure webhooks, e-mail and other integrations.',
  'notifications:manage': 'Configure webhook and e-mail notification destinations; read their delivery log.',
  'audit:read': 'Read the audit log of the organization.',
  'organizations:manage': 'Create and list organizations (instance administrators only).',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLES = ['admin', 'team_lead', 'senior_analyst', 'analyst', 'read_only'] as const;
export type Role = (typeof ROLES)[number];

const READ_ONLY: readonly Permission[] = [
  'alerts:read',
  'cases:read',
  'events:read',
  'rules:read',
  'devices:read',
  'policies:read',
  'tokens:manage',
  'analysis:read',
];
const ANALYST: readonly Permission[] = [
  ...READ_ONLY,
  'alerts:triage',
  'cases:write',
  'events:ingest',
  'queries:write',
  'analysis:submit',
];
const SENIOR_ANALYST: readonly Permission[] = [
  ...ANALYST,
  'rules:write',
  'response:execute',
  'analysis:rules',
];
const TEAM_LEAD: readonly Permission[] = [
  ...SENIOR_ANALYST,
  'policies:write',
  'devices:manage',
  'devices:write',
  'ingest:write',
  'enrollment:read',
  'enrollment:manage',
  'users:read',
  'audit:read',
  'workgroups:manage',
  'notifications:manage',
  'vulnerabilities:import',
];
const ADMIN: readonly Permission[] = [
  ...TEAM_LEAD,
  'users:manage',
  'integrations:manage',
  'response:manage',
  'alerts:manage',
];

/** The permissions of each role. `organizations:manage` belongs to no role: only instance administrators have it. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ADMIN,
  team_lead: TEAM_LEAD,
  senior_analyst: SENIOR_ANALYST,
  analyst: ANALYST,
  read_only: READ_ONLY,
};

/** Granted on top of the role to instance administrators. */
export const INSTANCE_ADMIN_PERMISSIONS: readonly Permission[] = ['organizations:manage'];

/** Never carried by an API token: a token cannot mint tokens that outlive it. */
export const USER_ONLY_PERMISSIONS: readonly Permission[] = ['tokens:manage'];

/**
 * The seeds' role names and the role each maps onto: seed 003's ADMIN/ANALYST,
 * seed 002's admin/read_only, seed 004's four, seed 000's admin/analyst/viewer.
 */
export const SEED_ROLES: Readonly<Record<string, Role>> = {
  ADMIN: 'admin',
  ANALYST: 'analyst',
  admin: 'admin',
  read_only: 'read_only',
  team_lead: 'team_lead',
  senior_analyst: 'senior_analyst',
  analyst: 'analyst',
  viewer: 'read_only',
};

/** True when `value` names one of our roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `value` names a permission. */
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);
}

/** Our role for a seed's role name; unknown names get the least privilege. */
export function roleFromSeed(name: string | undefined | null): Role {
  if (!name) return 'read_only';
  return SEED_ROLES[name] ?? SEED_ROLES[name.toLowerCase()] ?? 'read_only';
}

/** Seed 003's name of a role (`ADMIN` or `ANALYST`). */
export function seed003RoleName(role: Role): 'ADMIN' | 'ANALYST' {
  return role === 'admin' ? 'ADMIN' : 'ANALYST';
}

/** Everything a user with this role (and instance flag) may do, in a stable order. */
export function permissionsFor(role: Role, isInstanceAdmin: boolean): Permission[] {
  const granted = new Set<Permission>(ROLE_PERMISSIONS[role]);
  if (isInstanceAdmin) for (const p of INSTANCE_ADMIN_PERMISSIONS) granted.add(p);
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => granted.has(p));
}

/** The permission matrix as `GET /api/v1/permissions` returns it. */
export function permissionMatrix() {
  return {
    permissions: (Object.entries(PERMISSIONS) as Array<[Permission, string]>).map(([name, description]) => ({
      name,
      description,
    })),
    roles: Object.fromEntries(ROLES.map((r) => [r, permissionsFor(r, false)])) as Record<Role, Permission[]>,
    instance_admin: [...INSTANCE_ADMIN_PERMISSIONS],
    seed_roles: { ...SEED_ROLES },
  };
}
