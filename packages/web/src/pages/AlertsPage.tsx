import { useState } from 'react';
import { Link } from 'react-router';
import { ALERT_STATUSES, type AlertSummary, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { SEVERITIES, severityRank } from '../lib/severity.ts';

const REFRESH_MS = 15_000;

const COLUMNS: Column<AlertSummary>[] = [
  {
    id: 'severity',
    header: 'Severity',
    render: (a) => <SeverityBadge value={a.severity} />,
    sortValue: (a) => severityRank(a.severity),
  },
  {
    id: 'title',
    header: 'Title',
    render: (a) => <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>,
    sortValue: (a) => a.title,
  },
  {
    id: 'status',
    header: 'Status',
    render: (a) => <StatusBadge value={a.status} />,
    sortValue: (a) => a.status,
  },
  {
    id: 'count',
    header: 'Events',
    numeric: true,
    render: (a) => a.count.toLocaleString('en-US'),
    sortValue: (a) => a.count,
  },
  {
    id: 'device',
    header: 'Endpoint',
    render: (a) => (a.device_id ? <code>{a.device_id.slice(0, 8)}</code> : '—'),
    sortValue: (a) => a.device_id,
  },
  {
    id: 'mitre',
    header: 'MITRE',
    render: (a) => a.mitre.techniques.join(', ') || '—',
  },
  { id: 'kind', header: 'Kind', render: (a) => a.kind, sortValue: (a) => a.kind, hiddenByDefault: true },
  {
    id: 'rule',
    header: 'Rule',
    render: (a) => a.rule.title ?? a.rule.rule_id ?? '—',
    sortValue: (a) => a.rule.title,
    hiddenByDefault: true,
  },
  {
    id: 'last_seen',
    header: 'Last seen',
    render: (a) => <time title={formatUtc(a.last_seen)}>{relativeTime(a.last_seen)}</time>,
    sortValue: (a) => toDate(a.last_seen)?.getTime() ?? null,
  },
];

/** The triage queue: newest first, filtered on the server, refreshed in place. */
export function AlertsPage() {
  const http = useHttp();
  const [status, setStatus] = useState('open');
  const [severity, setSeverity] = useState('');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedList<AlertSummary>(
    ({ cursor, limit, signal }) => alertsApi.list(http, { cursor, limit, status, severity, q }, signal),
    `${status}|${severity}|${q}`,
    { refreshMs: REFRESH_MS },
  );
  const filtered = status !== '' || severity !== '' || q !== '';
  return (
    <>
      <PageHeader title="Alerts">
        <span className="muted">Refreshes every 15 s</span>
      </PageHeader>
      {list.resource.status !== 'unavailable' && (
        <form
          className="filters"
          aria-label="Filter alerts"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
          }}
        >
          <label>
            Status{' '}
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any</option>
              {ALERT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            Severity at or above{' '}
            <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="">Any</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Search{' '}
            <input
              type="search"
              value={draft}
              placeholder="Title or rule"
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </form>
      )}
      <ResourceView state={list.resource} feature="The alerts API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="alerts"
            caption="Alerts"
            columns={COLUMNS}
            rows={page.items}
            rowKey={(a) => a.id}
            empty={filtered ? 'No alert matches these filters.' : 'No alerts yet.'}
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
