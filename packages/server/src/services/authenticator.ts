import { createHash, timingSafeEqual } from 'node:crypto';
import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { unauthorized } from '../errors.ts';
import { ApiTokensRepository } from '../repositories/api-tokens-repository.ts';
import { AuthSessionsRepository } from '../repositories/auth-sessions-repository.ts';
import { type User, UsersRepository } from '../repositories/users-repository.ts';
import { verifyAccessToken } from './jwt.ts';
import {
  isPermission,
  isRole,
  type Permission,
  permissionsFor,
  USER_ONLY_PERMISSIONS,
} from './permissions.ts';
import type { Principal } from './principal.ts';

/** API tokens start with this, so the hook knows which kind of bearer it holds. */
export const API_TOKEN_PREFIX = 'hat_';

/** Last-used times are written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Turns a presented credential into a principal: an access JWT (header or
 * cookie) whose session is still open, or an API token. The user row is read
 * on every request so a disabled user or a changed role takes effect at once.
 */
export class Authenticator {
  private readonly users: UsersRepository;
  private readonly sessions: AuthSessionsRepository;
  private readonly tokens: ApiTokensRepository;

  constructor(
    database: HarrierDatabase,
    private readonly jwtKey: Buffer,
  ) {
    this.users = new UsersRepository(database.db);
    this.sessions = new AuthSessionsRepository(database.db);
    this.tokens = new ApiTokensRepository(database.db);
  }

  /** Resolves a bearer value (JWT or API token); throws 401 when it is not valid. */
  async fromBearer(value: string, via: Principal['via'], now = Date.now()): Promise<Principal> {
    if (value.startsWith(API_TOKEN_PREFIX)) {
      if (via === 'cookie') throw invalidToken();
      return this.fromApiToken(value, now);
    }
    return this.fromAccessToken(value, via, now);
  }

  private async fromAccessToken(token: string, via: Principal['via'], now: number): Promise<Principal> {
    const claims = verifyAccessToken(token, this.jwtKey, Math.floor(now / 1000));
    if (!claims) throw invalidToken();
    const [user, session] = await Promise.all([
      this.users.findById(claims.sub),
      this.sessions.findSession(claims.sid),
    ]);
    if (!session || session.revoked_at !== null || session.user_id !== claims.sub) throw invalidToken();
    const active = activeUser(user, claims.org);
    return {
      kind: 'user',
      userId: active.id,
      orgId: active.org_id,
      role: active.role as Principal['role'],
      permissions: permissionsFor(active.role as Principal['role'], active.is_instance_admin === 1),
      isInstanceAdmin: active.is_instance_admin === 1,
      email: active.email,
      sessionId: session.id,
      via,
    };
  }

  private async fromApiToken(value: string, now: number): Promise<Principal> {
    if (value.length > 256) throw invalidToken();
    const digest = createHash('sha256').update(value, 'utf8').digest();
    const token = await this.tokens.findByHash(digest.toString('hex'));
    if (!token || !timingSafeEqual(Buffer.from(token.token_hash, 'hex'), digest)) throw invalidToken();
    if (token.revoked_at !== null) throw unauthorized('token_revoked', 'The API token was revoked.');
    if (token.expires_at !== null && token.expires_at <= now)
      throw unauthorized('token_expired', 'The API token has expired.');
    const user = activeUser(await this.users.findById(token.user_id), token.org_id);
    if (token.last_used_at === null || now - token.last_used_at > TOUCH_INTERVAL_MS) {
      this.tokens.touch(token.id, now).catch(() => undefined);
    }
    const role = user.role as Principal['role'];
    // Never more than the owner has today: demoting the owner narrows the token too.
    const owner = new Set(permissionsFor(role, user.is_instance_admin === 1));
    const granted = readJson<unknown[]>(token.permissions, []).filter(
      (p): p is Permission => isPermission(p) && owner.has(p) && !USER_ONLY_PERMISSIONS.includes(p),
    );
    return {
      kind: 'api_token',
      userId: user.id,
      orgId: user.org_id,
      role,
      permissions: granted,
      isInstanceAdmin: user.is_instance_admin === 1 && granted.includes('organizations:manage'),
      email: user.email,
      tokenId: token.id,
      via: 'bearer',
    };
  }
}

function invalidToken() {
  return unauthorized('invalid_token', 'The access token is not valid or has expired.');
}

function activeUser(user: User | undefined, orgId: string): User {
  if (!user || user.org_id !== orgId || !isRole(user.role)) throw invalidToken();
  if (user.disabled_at !== null) throw unauthorized('user_disabled', 'This account is disabled.');
  return user;
}
