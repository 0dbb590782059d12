import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { casesApi, type LinkedAlert } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { FormError } from '../components/FormError.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { parseIdList } from './case-logic.ts';
import { useCaseAction } from './use-case-action.ts';

/** Alerts linked to a case: link more by id, unlink. */
export function CaseAlerts({
  caseId,
  alerts,
  canWrite,
  onChanged,
}: {
  caseId: string;
  alerts: LinkedAlert[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [ids, setIds] = useState('');
  const { run, error } = useCaseAction(onChanged);
  const link = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await casesApi.linkAlerts(http, caseId, parseIdList(ids));
      setIds('');
    });
  };
  return (
    <section className="card" aria-labelledby="case-alerts">
      <h2 id="case-alerts">Linked alerts ({alerts.length})</h2>
      {alerts.length === 0 ? (
        <p className="muted">No alerts linked.</p>
      ) : (
        <ul className="recent-list">
          {alerts.map((a) => (
            <li key={a.id}>
              <SeverityBadge value={a.severity} />{' '}
              <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>{' '}
              <StatusBadge value={a.status} />
              {canWrite && (
                <button
                  type="button"
                  className="button ghost"
                  aria-label={`Unlink ${a.title}`}
                  onClick={() => void run(() => casesApi.unlinkAlert(http, caseId, a.id))}
                >
                  Unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <form className="inline-form" aria-label="Link alerts" onSubmit={link}>
          <label>
            Alert ids <input value={ids} placeholder="id, id…" onChange={(e) => setIds(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={parseIdList(ids).length === 0}>
            Link
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  );
}
