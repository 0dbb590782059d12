import type { EnrollmentKey } from '../repositories/enrollment-keys-repository.ts';
import { isoTime } from './time.ts';

/** An enrollment key as listed: its prefix and state, never the hash. */
export function presentEnrollmentKey(k: EnrollmentKey, now = Date.now()) {
  const state =
    k.revoked_at !== null
      ? 'revoked'
      : k.expires_at !== null && k.expires_at <= now
        ? 'expired'
        : k.max_uses !== null && k.uses >= k.max_uses
          ? 'exhausted'
          : 'active';
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    state,
    uses: k.uses,
    max_uses: k.max_uses,
    created_at: isoTime(k.created_at)!,
    created_by: k.created_by,
    expires_at: isoTime(k.expires_at),
    revoked_at: isoTime(k.revoked_at),
  };
}
