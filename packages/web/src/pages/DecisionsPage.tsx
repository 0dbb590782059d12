import { useState } from 'react';
import { Link } from 'react-router';
import { type Decision, decisionsApi, listDecisions } from '../api/decisions-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { countOf, formatNumber, formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';
import '../styles/controls.css';

const action = (d: Decision) => d.recommended_action.replaceAll('_', ' ');

/** The decision engine's queue: what it recommends, and the analyst's execute or dismiss. */
export function DecisionsPage() {
  const http = useHttp();
  const canExecute = useCan('response:execute');
  const canTriage = useCan('alerts:triage');
  const [status, setStatus] = useState('pending');
  const [version, setVersion] = useState(0);
  const [confirming, setConfirming] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = usePagedList<Decision>(
    ({ cursor, limit, signal }) => listDecisions(http, { status, cursor, limit }, signal),
    `${status}|${version}`,
    { refreshMs: 30_000 },
  );

  /** Runs a change; what it resolves to is the notice shown after it. */
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  const columns: Column<Decision>[] = [
    {
      id: 'created',
      header: 'Created',
      render: (d) => <time title={formatUtc(d.created_at)}>{relativeTime(d.created_at)}</time>,
      sortValue: (d) => toDate(d.created_at)?.getTime() ?? null,
    },
    {
      id: 'endpoint',
      header: 'Endpoint',
      render: (d) =>
        d.device_id ? <Link to={`/endpoints/${encodeURIComponent(d.device_id)}`}>{d.device_id}</Link> : '—',
    },
    {
      id: 'severity',
      header: 'Severity',
      render: (d) => <SeverityBadge value={d.severity} />,
      sortValue: (d) => severityRank(d.severity),
    },
    { id: 'action', header: 'Recommended action', render: action, sortValue: action },
    {
      id: 'score',
      header: 'Score',
      numeric: true,
      render: (d) => formatNumber(d.score, 1),
      sortValue: (d) => d.score,
    },
    {
      id: 'priority',
      header: 'Priority',
      numeric: true,
      render: (d) => d.priority,
      sortValue: (d) => d.priority,
    },
    { id: 'rule', header: 'Decision rule', render: (d) => d.rule ?? '—', hiddenByDefault: true },
    {
      id: 'alert',
      header: 'Alert',
      render: (d) =>
        d.alert_id ? <Link to={`/alerts/${encodeURIComponent(d.alert_id)}`}>Open alert</Link> : '—',
    },
    {
      id: 'status',
      header: 'Status',
      render: (d) => <StatusBadge value={d.status} />,
      sortValue: (d) => d.status,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (d) =>
        d.status === 'pending' ? (
          <span className="row-actions">
            {canExecute && (
              <button
                type="button"
                className="button small"
                disabled={busy}
                onClick={() => setConfirming(d)}
                aria-label={`Execute: ${action(d)} on ${d.device_id ?? 'the endpoint'}`}
              >
                Execute…
              </button>
            )}
            {canTriage && (
              <button
                type="button"
                className="button small"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    await decisionsApi.dismiss(http, d.id);
                    return `Dismissed: ${action(d)}.`;
                  })
                }
                aria-label={`Dismiss: ${action(d)} on ${d.device_id ?? 'the endpoint'}`}
              >
                Dismiss
              </button>
            )}
          </span>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title="Decisions">
        {canTriage && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() =>
              act(async () => {
                const r = await decisionsApi.run(http);
                return `The decision pass created ${countOf(r.created, 'decision')}.`;
              })
            }
          >
            Run decision pass
          </button>
        )}
      </PageHeader>
      <form className="filters" aria-label="Filter decisions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="pending">Pending</option>
            <option value="executed">Executed</option>
            <option value="dismissed">Dismissed</option>
            <option value="">Any</option>
          </select>
        </label>
      </form>
      <FormError error={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ResourceView state={list.resource} feature="The decision engine API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="decisions"
            caption="Decisions"
            columns={columns}
            rows={page.items}
            rowKey={(d) => d.id}
            empty={status === 'pending' ? 'No pending decisions.' : 'No decisions.'}
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
      {confirming && (
        <ConfirmDialog
          title="Execute this decision?"
          confirmLabel={`Execute: ${action(confirming)}`}
          danger
          busy={busy}
          onConfirm={() =>
            act(async () => {
              await decisionsApi.execute(http, confirming.id);
              return `Executed: ${action(confirming)}. Its response action is queued for the agent.`;
            })
          }
          onCancel={() => setConfirming(null)}
        >
          <p>
            <strong>
              {action(confirming)} on {confirming.device_id ?? 'the endpoint'}
            </strong>{' '}
            (severity {confirming.severity}, score {formatNumber(confirming.score, 1)}).
          </p>
          <p className="muted">This queues a response action the endpoint’s agent runs. It is audited.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
