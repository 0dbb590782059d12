import { unprocessable } from '../errors.ts';
import type { UsersRepository } from '../repositories/users-repository.ts';

/** 422 unless `userId` is a user of the organization (owners of cases, workplans, tasks). */
export async function requireOrgUser(users: UsersRepository, orgId: string, userId: string): Promise<void> {
  if (!(await users.findInOrg(orgId, userId)))
    throw unprocessable('unknown_user', 'The owner is not a user of this organization.');
}
