import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type CaseDetail,
  casesApi,
  type TimelineEntry,
  type Workplan,
  workplansApi,
} from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { CaseAlerts } from '../cases/CaseAlerts.tsx';
import { CaseAttachments } from '../cases/CaseAttachments.tsx';
import { CaseTimeline } from '../cases/CaseTimeline.tsx';
import { CaseWorkplans } from '../cases/CaseWorkplans.tsx';
import { statusActions } from '../cases/case-logic.ts';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc } from '../lib/format.ts';

interface WarRoom {
  case: CaseDetail;
  timeline: TimelineEntry[];
  plans: Workplan[];
}

/** One case's war room: summary and status, linked alerts, attachments, the timeline, workplans. */
export function CaseDetailPage() {
  const { id = '' } = useParams();
  const http = useHttp();
  const canWrite = useCan('cases:write');
  const [error, setError] = useState<unknown>(null);
  const room = useResource<WarRoom>(
    async (signal) => {
      const [c, timeline, plans] = await Promise.all([
        casesApi.get(http, id, signal),
        casesApi.timeline(http, id, signal),
        workplansApi.forSubject(http, 'case', id, signal),
      ]);
      return { case: c, timeline, plans };
    },
    [id],
  );
  const move = async (status: string) => {
    setError(null);
    try {
      await casesApi.changeStatus(http, id, status);
      room.reload();
    } catch (err) {
      setError(err);
      room.reload();
    }
  };
  return (
    <>
      <PageHeader title={room.status === 'ready' ? room.data.case.title : 'Case'}>
        <Link to="/cases" className="button ghost">
          ‹ Cases
        </Link>
      </PageHeader>
      <ResourceView state={room} feature="The cases API" onRetry={room.reload}>
        {({ case: c, timeline, plans }) => (
          <div className="panel-grid">
            <section className="card" aria-labelledby="case-summary">
              <h2 id="case-summary">Summary</h2>
              <dl className="facts">
                <dt>Severity</dt>
                <dd>
                  <SeverityBadge value={c.severity} />
                </dd>
                <dt>Status</dt>
                <dd>
                  <StatusBadge value={c.status} />
                </dd>
                <dt>Owner</dt>
                <dd>{c.owner_name ?? '—'}</dd>
                <dt>Opened</dt>
                <dd>
                  {formatUtc(c.created_at)}{' '}
                  {c.source === 'auto' && <span className="muted">(automatically)</span>}
                </dd>
                {c.closed_at && (
                  <>
                    <dt>Closed</dt>
                    <dd>{formatUtc(c.closed_at)}</dd>
                  </>
                )}
              </dl>
              {c.description && <p style={{ whiteSpace: 'pre-wrap' }}>{c.description}</p>}
              {canWrite && (
                <fieldset className="row-actions">
                  <legend className="visually-hidden">Change status</legend>
                  {statusActions(c.status, c.next_statuses).map((a) => (
                    <button
                      key={a.status}
                      type="button"
                      className="button"
                      onClick={() => void move(a.status)}
                    >
                      {a.label}
                    </button>
                  ))}
                </fieldset>
              )}
              <FormError error={error} />
            </section>
            <CaseAlerts caseId={c.id} alerts={c.alerts} canWrite={canWrite} onChanged={room.reload} />
            <CaseAttachments
              caseId={c.id}
              attachments={c.attachments}
              canWrite={canWrite}
              onChanged={room.reload}
            />
            <CaseTimeline caseId={c.id} entries={timeline} canWrite={canWrite} onChanged={room.reload} />
            <CaseWorkplans
              subjectType="case"
              subjectId={c.id}
              plans={plans}
              canWrite={canWrite}
              onChanged={room.reload}
            />
          </div>
        )}
      </ResourceView>
    </>
  );
}
