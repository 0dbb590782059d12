import { createHash, createHmac, randomBytes } from 'node:crypto';
import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { tooManyRequests, unauthorized } from '../errors.ts';
import { AuthSessionsRepository } from '../repositories/auth-sessions-repository.ts';
import { type Organization, OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { type User, UsersRepository } from '../repositories/users-repository.ts';
import { DEFAULT_ORG_SLUG } from './bootstrap-service.ts';
import { type AccessClaims, deriveJwtKey, signJwt } from './jwt.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 900;
export const REFRESH_TOKEN_TTL_SECONDS = 7 * 86_400;
/** How often logins sweep out sessions that expired. */
const PURGE_INTERVAL_MS = 3_600_000;

/** How a login names its account: the native API and seed 004 use the e-mail, the other seeds a username. */
export type LoginIdentity = { email: string } | { username: string; orgSlug?: string | undefined };

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

/** What a successful login or refresh hands out. */
export interface IssuedSession {
  user: User;
  org: Organization;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** Double-submit CSRF token, bound to the session. */
  csrfToken: string;
  expiresIn: number;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Logins, rotating refresh tokens and logout. A refresh token is used once:
 * presenting one that was already used revokes its whole family (the session),
 * because either the client or a thief holds a copy.
 */
export class SessionService {
  private readonly users: UsersRepository;
  private readonly orgs: OrganizationsRepository;
  private readonly sessions: AuthSessionsRepository;
  readonly jwtKey: Buffer;
  private readonly csrfKey: Buffer;
  private lastPurge = 0;
  /** Verified when the account does not exist, so both failures take an argon2 verification. */
  private readonly dummyHash: Promise<string>;

  constructor(
    database: HarrierDatabase,
    serverSecret: string,
    private readonly throttle: LoginThrottle,
  ) {
    this.users = new UsersRepository(database.db);
    this.orgs = new OrganizationsRepository(database.db);
    this.sessions = new AuthSessionsRepository(database.db);
    this.jwtKey = deriveJwtKey(serverSecret);
    this.csrfKey = createHmac('sha256', serverSecret).update('harrier:csrf:v1').digest();
    this.dummyHash = hashPassword(randomBytes(24).toString('base64url'));
  }

  /**
   * Checks a password login. Unknown accounts, wrong passwords and disabled
   * users all get the same 401 after the same argon2 work; too many failures
   * for the account or the client address get 429 with `Retry-After`.
   */
  async login(identity: LoginIdentity, password: string, client: ClientInfo, now = Date.now()) {
    const user = await this.findAccount(identity);
    // An existing account is throttled by its id, so its e-mail, its username and its org-qualified
    // username share one budget; an unknown one by the name tried.
    const accountKey = user
      ? `id:${user.id}`
      : 'email' in identity
        ? `email:${identity.email.trim().toLowerCase()}`
        : `user:${identity.orgSlug ?? '*'}:${identity.username.trim()}`;
    const wait = this.throttle.retryAfter(accountKey, client.ip, now);
    if (wait > 0)
      throw tooManyRequests('too_many_attempts', 'Too many failed logins; try again later.', wait);
    const ok = user
      ? await verifyPassword(user.password_hash, password)
      : (await verifyPassword(await this.dummyHash, password)) && false;
    if (!user || !ok || user.disabled_at !== null) {
      this.throttle.fail(accountKey, client.ip, now);
      throw unauthorized('invalid_credentials', 'Invalid e-mail or password.');
    }
    this.throttle.succeed(accountKey);
    await this.users.touchLogin(user.id, now);
    return this.startSession(user, client, now);
  }

  /** Opens a session for an already authenticated user (after registration, or from the CLI). */
  async startSession(user: User, client: ClientInfo, now = Date.now()): Promise<IssuedSession> {
    if (now - this.lastPurge > PURGE_INTERVAL_MS) {
      // Expired families are dead weight; a day of grace keeps reuse detection for late replays.
      this.lastPurge = now;
      this.sessions.purgeExpired(now - 86_400_000).catch(() => undefined);
    }
    const org = await this.orgs.findById(user.org_id);
    if (!org) throw unauthorized('invalid_credentials', 'Invalid e-mail or password.');
    const sessionId = uuidv7(now);
    const refreshToken = `hrt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = now + REFRESH_TOKEN_TTL_SECONDS * 1000;
    await this.sessions.create(
      {
        id: sessionId,
        org_id: user.org_id,
        user_id: user.id,
        created_at: now,
        expires_at: expiresAt,
        last_used_at: now,
        revoked_at: null,
        revoked_reason: null,
        ip: client.ip.slice(0, 64),
        user_agent: client.userAgent?.slice(0, 512) ?? null,
      },
      {
        id: uuidv7(now),
        session_id: sessionId,
        user_id: user.id,
        token_hash: hashToken(refreshToken),
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      },
    );
    return this.issued(user, org, sessionId, refreshToken, now);
  }

  /** Exchanges a refresh token for a new pair; a reused token revokes its family. */
  async refresh(refreshToken: string, now = Date.now()): Promise<IssuedSession> {
    const invalid = () => unauthorized('invalid_refresh_token', 'The refresh token is not valid.');
    if (!refreshToken.startsWith('hrt_') || refreshToken.length > 256) throw invalid();
    const token = await this.sessions.findToken(hashToken(refreshToken));
    if (!token) throw invalid();
    const session = await this.sessions.findSession(token.session_id);
    if (!session || session.revoked_at !== null) {
      throw unauthorized('refresh_token_revoked', 'The session of this refresh token was ended.');
    }
    if (token.used_at !== null) {
      await this.sessions.revokeSession(session.id, now, 'refresh_token_reuse');
      throw unauthorized(
        'refresh_token_reused',
        'The refresh token was already used; the session is revoked.',
      );
    }
    if (token.expires_at <= now || session.expires_at <= now) {
      throw unauthorized('refresh_token_expired', 'The refresh token has expired.');
    }
    const user = await this.users.findById(token.user_id);
    const org = user ? await this.orgs.findById(user.org_id) : undefined;
    if (!user || !org || user.disabled_at !== null) {
      await this.sessions.revokeSession(session.id, now, 'user_unavailable');
      throw unauthorized('refresh_token_revoked', 'The session of this refresh token was ended.');
    }
    const successor = `hrt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = now + REFRESH_TOKEN_TTL_SECONDS * 1000;
    const won = await this.sessions.rotate(
      token.id,
      {
        id: uuidv7(now),
        session_id: session.id,
        user_id: user.id,
        token_hash: hashToken(successor),
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      },
      now,
      expiresAt,
    );
    if (!won) {
      // Another request used the same token a moment ago: a copy exists.
      await this.sessions.revokeSession(session.id, now, 'refresh_token_reuse');
      throw unauthorized(
        'refresh_token_reused',
        'The refresh token was already used; the session is revoked.',
      );
    }
    return this.issued(user, org, session.id, successor, now);
  }

  /** Ends a session: its refresh tokens stop working and its access tokens are refused at once. */
  async logout(sessionId: string, now = Date.now()): Promise<void> {
    await this.sessions.revokeSession(sessionId, now, 'logout');
  }

  /** Ends a session named by one of its refresh tokens (logout without an access token). */
  async logoutByRefreshToken(refreshToken: string, now = Date.now()): Promise<string | undefined> {
    const token = await this.sessions.findToken(hashToken(refreshToken));
    if (!token) return undefined;
    await this.sessions.revokeSession(token.session_id, now, 'logout');
    return token.user_id;
  }

  /** Ends every session of a user (password change or reset, disabling), optionally but one. */
  async revokeAll(userId: string, reason: string, keep?: string, now = Date.now()): Promise<void> {
    await this.sessions.revokeUserSessions(userId, now, reason, keep);
  }

  /** The CSRF token of a session: an HMAC, so it cannot be planted without the server secret. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }

  private async findAccount(identity: LoginIdentity): Promise<User | undefined> {
    if ('email' in identity) {
      const email = identity.email.trim();
      if (email.length === 0 || email.length > 320) return undefined;
      return this.users.findByEmail(email);
    }
    const username = identity.username.trim();
    if (username.length === 0 || username.length > 150) return undefined;
    let orgId: string | undefined;
    if (identity.orgSlug !== undefined) {
      orgId = (await this.orgs.findBySlug(identity.orgSlug.trim()))?.id;
      if (!orgId) return undefined;
    }
    const found = await this.users.findByUsername(username, orgId);
    if (found.length === 1) return found[0];
    if (found.length === 0) return username.includes('@') ? this.users.findByEmail(username) : undefined;
    // The seeds are single-tenant: a username several organizations share means the default
    // organization's user; the others log in by e-mail (or, on seed 002's route, with their org).
    const fallback = await this.orgs.findBySlug(DEFAULT_ORG_SLUG);
    return fallback ? (await this.users.findByUsername(username, fallback.id))[0] : undefined;
  }

  private issued(user: User, org: Organization, sessionId: string, refreshToken: string, now: number) {
    const iat = Math.floor(now / 1000);
    const claims: AccessClaims = {
      sub: user.id,
      org: user.org_id,
      sid: sessionId,
      role: user.role,
      typ: 'access',
      jti: randomBytes(12).toString('base64url'),
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
    };
    return {
      user,
      org,
      sessionId,
      accessToken: signJwt(claims, this.jwtKey),
      refreshToken,
      csrfToken: this.csrfToken(sessionId),
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    };
  }
}
