import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

/** Addresses of the people an alert was assigned or escalated to. */
export class NotificationRecipientsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The e-mail of an active user of the organization, if any. */
  async userEmail(orgId: string, userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select('email')
      .where('org_id', '=', orgId)
      .where('id', '=', userId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return row?.email;
  }

  /** The e-mails of the active members of a work group of the organization. */
  async groupEmails(orgId: string, groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('work_group_members')
      .innerJoin('users', 'users.id', 'work_group_members.user_id')
      .select(['users.id', 'users.email'])
      .where('work_group_members.org_id', '=', orgId)
      .where('work_group_members.group_id', '=', groupId)
      .where('users.org_id', '=', orgId)
      .where('users.disabled_at', 'is', null)
      .execute();
    return rows.map((r) => r.email);
  }
}
