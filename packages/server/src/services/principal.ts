import type { Permission, Role } from './permissions.ts';

/**
 * Who is calling, as the authentication hook resolved it. Every query a route
 * makes on the caller's behalf is scoped to `orgId`.
 */
export interface Principal {
  kind: 'user' | 'api_token';
  userId: string;
  orgId: string;
  role: Role;
  /** What this caller may do: the role's permissions, narrowed for an API token. */
  permissions: readonly Permission[];
  isInstanceAdmin: boolean;
  email: string;
  /** Login session (refresh-token family) of a user principal. */
  sessionId?: string | undefined;
  /** The API token of an `api_token` principal. */
  tokenId?: string | undefined;
  /** Where the credential came from: cookies need a CSRF header on state-changing requests. */
  via: 'bearer' | 'cookie';
}

/** True when the principal holds the permission. */
export function can(principal: Principal | null | undefined, permission: Permission): boolean {
  return principal?.permissions.includes(permission) ?? false;
}
