import type { Insertable, Kysely, Selectable } from 'kysely';
import type { CaseAttachmentsTable } from '../db/case-tables.ts';
import type { Database } from '../db/tables.ts';

export type CaseAttachmentRow = Selectable<CaseAttachmentsTable>;

/** Queries on `case_attachments` (the metadata; the bytes are on disk). */
export class CaseAttachmentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<CaseAttachmentsTable>): Promise<void> {
    await this.db.insertInto('case_attachments').values(row).execute();
  }

  find(orgId: string, caseId: string, id: string): Promise<CaseAttachmentRow | undefined> {
    return this.db
      .selectFrom('case_attachments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('case_id', '=', caseId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(orgId: string, caseId: string): Promise<CaseAttachmentRow[]> {
    return this.db
      .selectFrom('case_attachments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('case_id', '=', caseId)
      .orderBy('id', 'asc')
      .execute();
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.db.deleteFrom('case_attachments').where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
