import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { CommentsTable } from '../db/triage-tables.ts';

export type CommentRow = Selectable<CommentsTable>;

/** What a comment is about: alerts and cases share one table. */
export type CommentSubjectType = 'alert' | 'case';

export interface CommentSubject {
  orgId: string;
  type: CommentSubjectType;
  id: string;
}

/** Queries on `comments`, for any subject (an alert or a case). */
export class CommentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The subject's comments, oldest first; `after` continues from a comment id. */
  list(subject: CommentSubject, opts: { after?: string | undefined; limit: number }): Promise<CommentRow[]> {
    let q = this.db
      .selectFrom('comments')
      .selectAll()
      .where('org_id', '=', subject.orgId)
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id);
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.orderBy('id', 'asc').limit(opts.limit).execute();
  }

  async insert(row: CommentRow): Promise<CommentRow> {
    await this.db.insertInto('comments').values(row).execute();
    return row;
  }

  findById(orgId: string, id: string): Promise<CommentRow | undefined> {
    return this.db
      .selectFrom('comments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Removes every comment of a subject (the subject was deleted). */
  async deleteForSubject(subject: CommentSubject): Promise<void> {
    await this.db
      .deleteFrom('comments')
      .where('org_id', '=', subject.orgId)
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .execute();
  }
}
