import { Type } from '@sinclair/typebox';
import { readJson } from '../db/json-column.ts';
import type { ApiToken } from '../repositories/api-tokens-repository.ts';
import { isoTime } from './time.ts';

export const ApiTokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  user_id: Type.String(),
  permissions: Type.Array(Type.String()),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});

/** An API token as listed: its prefix, never the hash. */
export function presentApiToken(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    user_id: t.user_id,
    permissions: readJson<string[]>(t.permissions, []),
    created_at: isoTime(t.created_at)!,
    expires_at: isoTime(t.expires_at),
    last_used_at: isoTime(t.last_used_at),
    revoked_at: isoTime(t.revoked_at),
  };
}
