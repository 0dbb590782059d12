import type { CommentRow } from '../repositories/comments-repository.ts';
import { isoTime } from './time.ts';

/** A comment on an alert or a case; `body` is Markdown as written (the console renders it safely). */
export function presentComment(c: CommentRow) {
  return {
    id: c.id,
    subject_type: c.subject_type,
    subject_id: c.subject_id,
    author_id: c.author_id,
    body: c.body,
    created_at: isoTime(c.created_at),
    updated_at: isoTime(c.updated_at),
  };
}
