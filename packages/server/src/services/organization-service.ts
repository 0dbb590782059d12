import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { conflict } from '../errors.ts';
import { type Organization, OrganizationsRepository } from '../repositories/organizations-repository.ts';
import type { User } from '../repositories/users-repository.ts';
import type { CreateUserInput, UserService } from './user-service.ts';

/** Organizations (tenants), created by instance administrators. */
export class OrganizationService {
  private readonly orgs: OrganizationsRepository;

  constructor(
    database: HarrierDatabase,
    private readonly users: UserService,
  ) {
    this.orgs = new OrganizationsRepository(database.db);
  }

  list(): Promise<Organization[]> {
    return this.orgs.list();
  }

  findById(id: string): Promise<Organization | undefined> {
    return this.orgs.findById(id);
  }

  /** Creates an organization, and its first admin when given. */
  async create(
    input: { slug: string; name: string; admin?: Omit<CreateUserInput, 'role'> | undefined },
    now = Date.now(),
  ): Promise<{ org: Organization; admin: User | undefined }> {
    if (await this.orgs.findBySlug(input.slug)) {
      throw conflict('organization_exists', 'An organization with that slug exists.');
    }
    const org: Organization = {
      id: uuidv7(now),
      slug: input.slug,
      name: input.name,
      ingest_rate_limit_per_minute: 600,
      response_enabled: 1,
      created_at: now,
    };
    await this.orgs.insert(org);
    const admin = input.admin
      ? await this.users.create(org.id, { ...input.admin, role: 'admin' }, now)
      : undefined;
    return { org, admin };
  }
}
