/**
 * Routes of the identity API the administration pages use, with the shapes
 * of the server's presenters (packages/server/src/presenters); times are
 * RFC 3339 strings.
 */
export const ADMIN_PATHS = {
  users: '/api/v1/users',
  tokens: '/api/v1/tokens',
  enrollmentKeys: '/api/v1/enrollment-keys',
  audit: '/api/v1/audit',
} as const;

export const ROLES = ['admin', 'team_lead', 'senior_analyst', 'analyst', 'read_only'] as const;

export interface UserRecord {
  id: string;
  email: string;
  username: string;
  display_name: string;
  role: string;
  is_instance_admin: boolean;
  disabled: boolean;
  last_login_at: string | null;
  created_at: string;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface EnrollmentKeyRecord {
  id: string;
  name: string;
  prefix: string;
  state: 'active' | 'revoked' | 'expired' | 'exhausted' | string;
  uses: number;
  max_uses: number | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface AuditRecord {
  id: string;
  time: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  outcome: 'success' | 'failure' | 'denied' | string;
  status_code: number;
  method: string;
  path: string;
  client_address: string | null;
}

/** Creation answers carry the secret once: `key` for enrollment keys, `token` for API tokens. */
export function secretOf(body: unknown): string | undefined {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const k of ['key', 'token']) if (typeof b[k] === 'string') return b[k] as string;
  return undefined;
}
