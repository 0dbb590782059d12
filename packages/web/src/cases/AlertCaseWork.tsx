import { Link } from 'react-router';
import { type CaseSummary, casesApi, type Workplan, workplansApi } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { CaseWorkplans } from './CaseWorkplans.tsx';

interface AlertWork {
  cases: CaseSummary[];
  plans: Workplan[];
}

/** On an alert's page: the cases it is part of, a way to open one, and its workplan. */
export function AlertCaseWork({ alertId }: { alertId: string }) {
  const http = useHttp();
  const canWrite = useCan('cases:write');
  const work = useResource<AlertWork>(
    async (signal) => {
      const [cases, plans] = await Promise.all([
        casesApi.list(http, { status: '', severity: '', q: '', alertId, cursor: null, limit: 50 }, signal),
        workplansApi.forSubject(http, 'alert', alertId, signal),
      ]);
      return { cases: cases.items, plans };
    },
    [alertId],
  );
  return (
    <ResourceView state={work} feature="The cases API" onRetry={work.reload}>
      {({ cases, plans }) => (
        <>
          <section className="card" aria-labelledby="alert-cases">
            <h2 id="alert-cases">Cases ({cases.length})</h2>
            {cases.length === 0 ? (
              <p className="muted">This alert is not part of a case.</p>
            ) : (
              <ul className="recent-list">
                {cases.map((c) => (
                  <li key={c.id}>
                    <SeverityBadge value={c.severity} />{' '}
                    <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title}</Link>{' '}
                    <StatusBadge value={c.status} />
                  </li>
                ))}
              </ul>
            )}
            {canWrite && (
              <Link to={`/cases?alerts=${encodeURIComponent(alertId)}`} className="button">
                Open a case from this alert
              </Link>
            )}
          </section>
          <CaseWorkplans
            subjectType="alert"
            subjectId={alertId}
            plans={plans}
            canWrite={canWrite}
            onChanged={work.reload}
          />
        </>
      )}
    </ResourceView>
  );
}
