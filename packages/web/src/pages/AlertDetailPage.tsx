import { Link, useParams } from 'react-router';
import { AlertComments } from '../alerts/AlertComments.tsx';
import { AlertHistory } from '../alerts/AlertHistory.tsx';
import { AlertTriage } from '../alerts/AlertTriage.tsx';
import { assigneeNamer } from '../alerts/assignee-names.ts';
import { type Assignees, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { AlertCaseWork } from '../cases/AlertCaseWork.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc } from '../lib/format.ts';
import { MatchedEventView } from './MatchedEventView.tsx';

export function AlertDetailPage() {
  const { id = '' } = useParams();
  const http = useHttp();
  const alert = useResource((signal) => alertsApi.get(http, id, signal), [id]);
  const canTriage = useCan('alerts:triage');
  const canReadCases = useCan('cases:read');
  // The assignee list needs alerts:triage; readers see ids shortened instead of names.
  const people = useResource<Assignees | null>(
    (signal) => (canTriage ? alertsApi.assignees(http, signal) : Promise.resolve(null)),
    [canTriage],
  );
  const assignees = people.status === 'ready' ? people.data : null;
  const names = assigneeNamer(assignees);
  return (
    <>
      <PageHeader title={alert.status === 'ready' ? alert.data.title : 'Alert'}>
        <Link to="/alerts" className="button ghost">
          ‹ Alerts
        </Link>
      </PageHeader>
      <ResourceView state={alert} feature="The alerts API" onRetry={alert.reload}>
        {(a) => (
          <div className="panel-grid">
            <section className="card" aria-labelledby="alert-summary">
              <h2 id="alert-summary">Summary</h2>
              <dl className="facts">
                <dt>Severity</dt>
                <dd>
                  <SeverityBadge value={a.severity} />
                </dd>
                <dt>Status</dt>
                <dd>
                  <StatusBadge value={a.status} />
                </dd>
                <dt>Events</dt>
                <dd>{a.count.toLocaleString('en-US')}</dd>
                <dt>First seen</dt>
                <dd>{formatUtc(a.first_seen)}</dd>
                <dt>Last seen</dt>
                <dd>{formatUtc(a.last_seen)}</dd>
                <dt>Endpoint</dt>
                <dd>
                  {a.device_id ? (
                    <Link to={`/endpoints/${encodeURIComponent(a.device_id)}`}>
                      {a.device?.display_name || a.device?.hostname || a.device_id}
                    </Link>
                  ) : (
                    '—'
                  )}
                </dd>
                <dt>Rule</dt>
                <dd>
                  {a.rule.title ?? '—'}{' '}
                  {a.rule.version !== null && <span className="muted">v{a.rule.version}</span>}
                </dd>
                <dt>MITRE ATT&amp;CK</dt>
                <dd className="permission-list">
                  {a.mitre.techniques.length === 0
                    ? '—'
                    : [...a.mitre.tactics, ...a.mitre.techniques].map((t) => <code key={t}>{t}</code>)}
                </dd>
                <dt>Grouped by</dt>
                <dd className="mono">{a.group_key ?? '—'}</dd>
              </dl>
            </section>
            <section className="card" aria-labelledby="alert-rule">
              <h2 id="alert-rule">Rule that fired</h2>
              {a.rule_version ? (
                <pre className="code-block">{a.rule_version.yaml}</pre>
              ) : (
                <p className="muted">This alert was not raised by a stored rule ({a.kind}).</p>
              )}
            </section>
            {/* Servers before alert triage answer without these fields: the page stays read-only. */}
            {a.history !== undefined && (
              <>
                <AlertTriage alert={a} assignees={assignees} canTriage={canTriage} onChanged={alert.reload} />
                <AlertHistory entries={a.history} nameOf={names.user} refName={names.of} />
                <AlertComments
                  alertId={a.id}
                  comments={a.comments ?? []}
                  nameOf={names.user}
                  canComment={canTriage}
                  onChanged={alert.reload}
                />
              </>
            )}
            {canReadCases && <AlertCaseWork alertId={a.id} />}
            <section className="card wide" aria-labelledby="alert-events">
              <h2 id="alert-events">Matched events ({a.events.length})</h2>
              {a.events.length === 0 ? (
                <p className="muted">No stored events are attached to this alert.</p>
              ) : (
                a.events.map((e) => <MatchedEventView key={e.id} event={e} />)
              )}
            </section>
          </div>
        )}
      </ResourceView>
    </>
  );
}
