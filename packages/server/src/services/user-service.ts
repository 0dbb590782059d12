import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { conflict, HarrierError, notFound, unauthorized } from '../errors.ts';
import { type User, type UserListFilter, UsersRepository } from '../repositories/users-repository.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import type { Role } from './permissions.ts';
import type { SessionService } from './session-service.ts';

/** Profile fields the seeds have (seed 004's UserProfile), all optional. */
export interface UserProfileFields {
  display_name?: string | undefined;
  team?: string | null | undefined;
  manager?: string | null | undefined;
  phone?: string | null | undefined;
  computer?: string | null | undefined;
}

export interface CreateUserInput extends UserProfileFields {
  email: string;
  username?: string | undefined;
  password: string;
  role: Role;
  isInstanceAdmin?: boolean;
}

export interface UpdateUserInput extends UserProfileFields {
  email?: string | undefined;
  username?: string | undefined;
  role?: Role | undefined;
}

/** Profile text fields: blank means none. */
function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Users of an organization: every method takes the caller's organization and sees no other. */
export class UserService {
  private readonly users: UsersRepository;

  constructor(
    database: HarrierDatabase,
    private readonly sessions: SessionService,
  ) {
    this.users = new UsersRepository(database.db);
  }

  list(filter: UserListFilter): Promise<User[]> {
    return this.users.list(filter);
  }

  async get(orgId: string, id: string): Promise<User> {
    const user = await this.users.findInOrg(orgId, id);
    if (!user) throw notFound('user_not_found', 'No such user.');
    return user;
  }

  /** Creates a user; 409 when the e-mail (instance-wide) or the username (in the org) is taken. */
  async create(orgId: string, input: CreateUserInput, now = Date.now()): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const username = (input.username ?? email.split('@')[0] ?? email).trim();
    assertPasswordAcceptable(input.password, { username, email });
    await this.assertFree(orgId, email, username);
    const user: User = {
      id: uuidv7(now),
      org_id: orgId,
      email,
      username,
      display_name: input.display_name?.trim() || username,
      password_hash: await hashPassword(input.password),
      role: input.role,
      is_instance_admin: input.isInstanceAdmin ? 1 : 0,
      team: blankToNull(input.team),
      manager: blankToNull(input.manager),
      phone: blankToNull(input.phone),
      computer: blankToNull(input.computer),
      disabled_at: null,
      created_at: now,
      updated_at: now,
      last_login_at: null,
      password_changed_at: now,
    };
    try {
      await this.users.insert(user);
    } catch (error) {
      // A concurrent create won the unique index.
      if (/unique|duplicate/i.test(String(error)))
        throw conflict('user_exists', 'That e-mail or username is taken.');
      throw error;
    }
    return user;
  }

  /** Changes profile fields, e-mail, username or role; the last active admin cannot be demoted. */
  async update(orgId: string, actorId: string, id: string, input: UpdateUserInput, now = Date.now()) {
    const user = await this.get(orgId, id);
    const email = input.email?.trim().toLowerCase();
    const username = input.username?.trim();
    if ((email && email !== user.email) || (username && username !== user.username)) {
      await this.assertFree(
        orgId,
        email && email !== user.email ? email : undefined,
        username && username !== user.username ? username : undefined,
      );
    }
    if (input.role && input.role !== 'admin' && user.role === 'admin') {
      if (id === actorId) throw conflict('cannot_demote_self', 'You cannot change your own role.');
      await this.assertNotLastAdmin(orgId, user);
    }
    const changes = {
      ...(email ? { email } : {}),
      ...(username ? { username } : {}),
      ...(input.role ? { role: input.role } : {}),
      ...(input.display_name !== undefined
        ? { display_name: input.display_name.trim() || user.username }
        : {}),
      ...(input.team !== undefined ? { team: blankToNull(input.team) } : {}),
      ...(input.manager !== undefined ? { manager: blankToNull(input.manager) } : {}),
      ...(input.phone !== undefined ? { phone: blankToNull(input.phone) } : {}),
      ...(input.computer !== undefined ? { computer: blankToNull(input.computer) } : {}),
      updated_at: now,
    };
    await this.users.update(orgId, id, changes);
    return this.get(orgId, id);
  }

  /** Disables (or re-enables) a user; disabling ends their sessions, and their API tokens stop working. */
  async setDisabled(orgId: string, actorId: string, id: string, disabled: boolean, now = Date.now()) {
    const user = await this.get(orgId, id);
    if (disabled) {
      if (id === actorId) throw conflict('cannot_disable_self', 'You cannot disable your own account.');
      await this.assertNotLastAdmin(orgId, user);
      if (user.disabled_at === null)
        await this.users.update(orgId, id, { disabled_at: now, updated_at: now });
      await this.sessions.revokeAll(id, 'user_disabled');
    } else if (user.disabled_at !== null) {
      await this.users.update(orgId, id, { disabled_at: null, updated_at: now });
    }
    return this.get(orgId, id);
  }

  /** Deletes a user and their API tokens. */
  async delete(orgId: string, actorId: string, id: string): Promise<void> {
    const user = await this.get(orgId, id);
    if (id === actorId) throw conflict('cannot_delete_self', 'You cannot delete your own account.');
    await this.assertNotLastAdmin(orgId, user);
    await this.sessions.revokeAll(id, 'user_deleted');
    await this.users.delete(orgId, id);
  }

  /**
   * An admin sets another user's password (a generated one when none is given,
   * returned once). The user's sessions end.
   */
  async resetPassword(orgId: string, id: string, password: string | undefined, now = Date.now()) {
    const user = await this.get(orgId, id);
    const next = password ?? generatePassword();
    assertPasswordAcceptable(next, user);
    await this.users.update(orgId, id, {
      password_hash: await hashPassword(next),
      password_changed_at: now,
      updated_at: now,
    });
    await this.sessions.revokeAll(id, 'password_reset');
    return { user, password: password === undefined ? next : undefined };
  }

  /** A user changes their own password, proving the current one; their other sessions end. */
  async changeOwnPassword(
    orgId: string,
    id: string,
    current: string,
    next: string,
    keepSession: string | undefined,
    now = Date.now(),
  ): Promise<void> {
    const user = await this.get(orgId, id);
    if (!(await verifyPassword(user.password_hash, current))) {
      throw unauthorized('invalid_credentials', 'The current password is not correct.');
    }
    assertPasswordAcceptable(next, user);
    if (next === current) {
      throw new HarrierError(422, 'weak_password', 'The new password must differ from the current one.', {
        field: 'new_password',
      });
    }
    await this.users.update(orgId, id, {
      password_hash: await hashPassword(next),
      password_changed_at: now,
      updated_at: now,
    });
    await this.sessions.revokeAll(id, 'password_changed', keepSession);
  }

  private async assertFree(orgId: string, email: string | undefined, username: string | undefined) {
    if (email && (await this.users.findByEmail(email))) {
      throw conflict('user_exists', 'A user with that e-mail address exists.');
    }
    if (username && (await this.users.findByUsername(username, orgId)).length > 0) {
      throw conflict('user_exists', 'A user with that username exists.');
    }
  }

  private async assertNotLastAdmin(orgId: string, user: User) {
    if (
      user.role === 'admin' &&
      user.disabled_at === null &&
      (await this.users.countActiveAdmins(orgId)) <= 1
    ) {
      throw conflict('last_admin', 'The organization must keep at least one active admin.');
    }
  }
}
