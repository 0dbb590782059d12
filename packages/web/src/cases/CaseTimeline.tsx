import { type FormEvent, useState } from 'react';
import { casesApi, type TimelineEntry } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { FormError } from '../components/FormError.tsx';
import { formatUtc, relativeTime } from '../lib/format.ts';
import { describeEntry } from './case-logic.ts';
import { useCaseAction } from './use-case-action.ts';

/** The war room: every note and recorded change, oldest first, and a box to add a note. */
export function CaseTimeline({
  caseId,
  entries,
  canWrite,
  onChanged,
}: {
  caseId: string;
  entries: TimelineEntry[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [note, setNote] = useState('');
  const { run, error } = useCaseAction(onChanged);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => casesApi.addNote(http, caseId, note.trim()))) setNote('');
  };
  return (
    <section className="card wide" aria-labelledby="case-timeline">
      <h2 id="case-timeline">War room</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className="recent-list" aria-label="Timeline">
          {entries.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <time title={formatUtc(e.created_at)}>{relativeTime(e.created_at)}</time>{' '}
              <strong>{e.actor_name ?? (e.actor_id ? 'someone' : 'Harrier')}</strong> {describeEntry(e)}
              {/* Notes are Markdown kept as text: shown as written, never as HTML. */}
              {e.kind === 'note' && e.body && <p style={{ whiteSpace: 'pre-wrap' }}>{e.body}</p>}
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form className="stacked-form" aria-label="Add a note" onSubmit={submit}>
          <label>
            Note
            <textarea rows={3} value={note} maxLength={20_000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={!note.trim()}>
            Add note
          </button>
          <FormError error={error} />
        </form>
      )}
    </section>
  );
}
