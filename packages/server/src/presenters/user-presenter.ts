import { Type } from '@sinclair/typebox';
import type { Organization } from '../repositories/organizations-repository.ts';
import type { User } from '../repositories/users-repository.ts';
import type { Principal } from '../services/principal.ts';
import { isoTime } from './time.ts';

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: Type.String(),
  is_instance_admin: Type.Boolean(),
  team: Type.Union([Type.String(), Type.Null()]),
  manager: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  computer: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  disabled_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
  password_changed_at: Type.String(),
});

/** A user as the API shows it: never the password hash. */
export function presentUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    display_name: u.display_name,
    role: u.role,
    is_instance_admin: u.is_instance_admin === 1,
    team: u.team,
    manager: u.manager,
    phone: u.phone,
    computer: u.computer,
    disabled: u.disabled_at !== null,
    disabled_at: isoTime(u.disabled_at),
    created_at: isoTime(u.created_at)!,
    updated_at: isoTime(u.updated_at)!,
    last_login_at: isoTime(u.last_login_at),
    password_changed_at: isoTime(u.password_changed_at)!,
  };
}

export const MeView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: Type.String(),
  org: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
  is_instance_admin: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  auth: Type.Object({
    kind: Type.String(),
    token_id: Type.Union([Type.String(), Type.Null()]),
  }),
});

/** `GET /api/v1/auth/me`: who is signed in, their organization and what they may do. */
export function presentMe(
  u: User,
  org: Organization,
  principal: Pick<Principal, 'kind' | 'permissions' | 'tokenId' | 'isInstanceAdmin'>,
) {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    display_name: u.display_name,
    role: u.role,
    org: { id: org.id, slug: org.slug, name: org.name },
    is_instance_admin: principal.isInstanceAdmin,
    permissions: [...principal.permissions],
    auth: { kind: principal.kind, token_id: principal.tokenId ?? null },
  };
}

/** Seed 004's UserProfile. */
export function presentSeed004Profile(u: User, org: Organization) {
  return {
    id: u.id,
    full_name: u.display_name,
    role: u.role,
    email: u.email,
    avatar_url: null,
    timezone: 'UTC',
    tenant_id: org.slug,
    team: u.team,
    manager: u.manager,
    computer: u.computer,
    mobile_phone: u.phone,
  };
}
