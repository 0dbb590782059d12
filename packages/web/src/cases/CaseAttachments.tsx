import { type ChangeEvent, useState } from 'react';
import { type CaseAttachment, casesApi } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { FormError } from '../components/FormError.tsx';
import { formatUtc } from '../lib/format.ts';
import { ATTACHMENT_TYPES, formatBytes, uploadProblem } from './case-logic.ts';
import { useCaseAction } from './use-case-action.ts';

/** Files attached to a case: download (always as a download) and upload. */
export function CaseAttachments({
  caseId,
  attachments,
  canWrite,
  onChanged,
}: {
  caseId: string;
  attachments: CaseAttachment[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    setError(null);
    setProblem(null);
    if (!file) return;
    const refused = uploadProblem(file);
    if (refused) {
      setProblem(refused);
      return;
    }
    setBusy(true);
    try {
      await casesApi.upload(http, caseId, file);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const removal = useCaseAction(onChanged);
  const remove = (attachmentId: string) =>
    removal.run(() => casesApi.removeAttachment(http, caseId, attachmentId));
  return (
    <section className="card" aria-labelledby="case-attachments">
      <h2 id="case-attachments">Attachments ({attachments.length})</h2>
      {attachments.length === 0 ? (
        <p className="muted">No files attached.</p>
      ) : (
        <ul className="recent-list">
          {attachments.map((a) => (
            <li key={a.id}>
              <a href={casesApi.attachmentUrl(caseId, a.id)} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span className="muted">
                {formatBytes(a.size)} · {a.content_type} · {formatUtc(a.created_at)}
              </span>
              {canWrite && (
                <button
                  type="button"
                  className="button ghost"
                  aria-label={`Delete ${a.filename}`}
                  onClick={() => void remove(a.id)}
                >
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <label className="button">
          {busy ? 'Uploading…' : 'Attach a file'}
          <input
            type="file"
            className="visually-hidden"
            accept={ATTACHMENT_TYPES.join(',')}
            disabled={busy}
            onChange={(e) => void pick(e)}
          />
        </label>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <FormError error={error ?? removal.error} />
    </section>
  );
}
