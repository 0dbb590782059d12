import { type FormEvent, useState } from 'react';
import { type AlertComment, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import '../styles/triage.css';
import { FormError } from '../components/FormError.tsx';
import { formatUtc, relativeTime } from '../lib/format.ts';
import { Markdown } from '../lib/markdown.tsx';

/** Comments, oldest first, rendered from Markdown without HTML; and a box to add one. */
export function AlertComments({
  alertId,
  comments,
  nameOf,
  canComment,
  onChanged,
}: {
  alertId: string;
  comments: AlertComment[];
  nameOf: (userId: string) => string;
  canComment: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await alertsApi.comment(http, alertId, body);
      setBody('');
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card wide" aria-labelledby="alert-comments">
      <h2 id="alert-comments">Comments ({comments.length})</h2>
      {comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ol className="recent-list" aria-label="Comments">
          {comments.map((c) => (
            <li key={c.id}>
              <strong>{c.author_id ? nameOf(c.author_id) : 'Harrier'}</strong>{' '}
              <time title={formatUtc(c.created_at)}>{relativeTime(c.created_at)}</time>
              <Markdown text={c.body} />
            </li>
          ))}
        </ol>
      )}
      {canComment && (
        <form className="stacked-form" aria-label="Add a comment" onSubmit={submit}>
          <label>
            Comment (Markdown)
            <textarea rows={3} value={body} maxLength={20_000} onChange={(e) => setBody(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={!body.trim()}>
            Comment
          </button>
          <FormError error={error} />
        </form>
      )}
    </section>
  );
}
