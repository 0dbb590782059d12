import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { HarrierError, notFound } from '../errors.ts';
import { type ApiToken, ApiTokensRepository } from '../repositories/api-tokens-repository.ts';
import { API_TOKEN_PREFIX } from './authenticator.ts';
import { isPermission, type Permission, USER_ONLY_PERMISSIONS } from './permissions.ts';
import type { Principal } from './principal.ts';

export interface CreateApiTokenInput {
  name: string;
  /** Defaults to every permission the creator has (less the user-only ones). */
  permissions?: string[] | undefined;
  expiresAt?: number | null | undefined;
}

/** API tokens for automation: stored hashed, never more than the creator may do, optionally expiring. */
export class ApiTokenService {
  private readonly tokens: ApiTokensRepository;

  constructor(database: HarrierDatabase) {
    this.tokens = new ApiTokensRepository(database.db);
  }

  /** Creates a token for the principal's user; the secret is returned once. */
  async create(
    creator: Pick<Principal, 'userId' | 'orgId' | 'permissions'>,
    input: CreateApiTokenInput,
    now = Date.now(),
  ): Promise<{ token: string; record: ApiToken }> {
    const grantable = creator.permissions.filter((p) => !USER_ONLY_PERMISSIONS.includes(p));
    const requested = input.permissions ?? grantable;
    const unknown = requested.filter((p) => !isPermission(p));
    if (unknown.length > 0) {
      throw new HarrierError(422, 'unknown_permission', `Unknown permissions: ${unknown.join(', ')}.`, {
        unknown,
      });
    }
    const beyond = requested.filter((p) => !grantable.includes(p as Permission));
    if (beyond.length > 0) {
      throw new HarrierError(
        422,
        'permission_not_grantable',
        `A token cannot carry permissions its creator lacks: ${beyond.join(', ')}.`,
        { permissions: beyond },
      );
    }
    if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt <= now) {
      throw new HarrierError(422, 'invalid_expiry', 'expires_at must be in the future.');
    }
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: ApiToken = {
      id: uuidv7(now),
      org_id: creator.orgId,
      user_id: creator.userId,
      name: input.name,
      token_hash: createHash('sha256').update(token, 'utf8').digest('hex'),
      prefix: token.slice(0, 12),
      permissions: JSON.stringify([...new Set(requested)]),
      created_at: now,
      expires_at: input.expiresAt ?? null,
      last_used_at: null,
      revoked_at: null,
    };
    await this.tokens.insert(record);
    return { token, record };
  }

  /** The caller's own tokens; with `all`, every token of the organization (admins). */
  list(
    principal: Pick<Principal, 'userId' | 'orgId'>,
    all: boolean,
    after: string | undefined,
    limit: number,
  ) {
    return this.tokens.list(principal.orgId, all ? undefined : principal.userId, after, limit);
  }

  /** Revokes one of the caller's tokens (any token of the org with `all`); 404 otherwise. */
  async revoke(principal: Pick<Principal, 'userId' | 'orgId'>, all: boolean, id: string, now = Date.now()) {
    const token = await this.tokens.findInOrg(principal.orgId, id);
    if (!token || (!all && token.user_id !== principal.userId))
      throw notFound('token_not_found', 'No such token.');
    await this.tokens.revoke(principal.orgId, id, now);
    return (await this.tokens.findInOrg(principal.orgId, id)) ?? token;
  }
}
