import { uuidv7 } from '@harrier/schema';
import type { Config } from '../config.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { type Organization, OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import type { EnrollmentService } from './enrollment-service.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export const DEFAULT_ORG_SLUG = 'default';

export interface FirstRunCredentials {
  adminEmail: string;
  /** Present only when generated (shown once). */
  adminPassword: string | undefined;
  enrollmentKey: string;
}

/**
 * First start: creates the default organization, the admin account and a
 * first enrollment key. Returns what must be shown once, or undefined when the
 * instance was already set up.
 */
/** The default organization, created when missing (also by CLI commands run before the first start). */
export async function ensureDefaultOrganization(database: HarrierDatabase): Promise<Organization> {
  const orgs = new OrganizationsRepository(database.db);
  const existing = await orgs.findBySlug(DEFAULT_ORG_SLUG);
  if (existing) return existing;
  const now = Date.now();
  const created: Organization = {
    id: uuidv7(now),
    slug: DEFAULT_ORG_SLUG,
    name: 'Default organization',
    ingest_rate_limit_per_minute: 600,
    response_enabled: 1,
    created_at: now,
  };
  try {
    await orgs.insert(created);
    return created;
  } catch (error) {
    // Another process created it first.
    const raced = await orgs.findBySlug(DEFAULT_ORG_SLUG);
    if (raced) return raced;
    throw error;
  }
}

export async function bootstrapInstance(
  config: Config,
  database: HarrierDatabase,
  enrollment: EnrollmentService,
): Promise<FirstRunCredentials | undefined> {
  const users = new UsersRepository(database.db);
  if ((await users.count()) > 0) return undefined;
  const org = await ensureDefaultOrganization(database);
  const now = Date.now();
  const password = config.adminPassword ?? generatePassword();
  await users.insert({
    id: uuidv7(now),
    org_id: org.id,
    email: config.adminEmail.toLowerCase(),
    username: config.adminEmail.split('@')[0] ?? 'admin',
    display_name: 'Administrator',
    password_hash: await hashPassword(password),
    role: 'admin',
    is_instance_admin: 1,
    team: null,
    manager: null,
    phone: null,
    computer: null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
    last_login_at: null,
    password_changed_at: now,
  });
  const { key } = await enrollment.createKey(org.id, { name: 'first-run key' });
  return {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword ? undefined : password,
    enrollmentKey: key,
  };
}
