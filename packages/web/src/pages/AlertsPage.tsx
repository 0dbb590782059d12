import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { assigneeNamer } from '../alerts/assignee-names.ts';
import { BulkTriageBar } from '../alerts/BulkTriageBar.tsx';
import { StatusCounts } from '../alerts/StatusCounts.tsx';
import { ALERT_STATUSES, type AlertSummary, type Assignees, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { useLiveFeed } from '../hooks/useLiveFeed.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { useResource } from '../hooks/useResource.ts';
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
  const [assignee, setAssignee] = useState('');
  const canTriage = useCan('alerts:triage');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const list = usePagedList<AlertSummary>(
    ({ cursor, limit, signal }) =>
      alertsApi.list(http, { cursor, limit, status, severity, q, assignee }, signal),
    `${status}|${severity}|${q}|${assignee}`,
    { refreshMs: REFRESH_MS },
  );
  // New and changed alerts reload the page in view at once; polling stays as the fallback.
  useLiveFeed('alert.', list.resource.reload);
  const people = useResource<Assignees | null>(
    (signal) => (canTriage ? alertsApi.assignees(http, signal) : Promise.resolve(null)),
    [canTriage],
  );
  const shown = list.resource.status === 'ready' ? list.resource.data : null;
  // Recounted whenever the page in view reloads (live feed, polling, a triage change).
  const counts = useResource(
    (signal) => alertsApi.counts(http, { severity, q, assignee }, signal),
    [severity, q, assignee, shown],
  );
  const assignees = people.status === 'ready' ? people.data : null;
  const columns = useMemo<Column<AlertSummary>[]>(() => {
    const names = assigneeNamer(assignees);
    const withAssignee: Column<AlertSummary>[] = [
      ...COLUMNS,
      {
        id: 'assignee',
        header: 'Assignee',
        render: (a) => (a.assignee ? names.of(a.assignee) : '—'),
        sortValue: (a) => (a.assignee ? names.of(a.assignee) : null),
      },
    ];
    if (!canTriage) return withAssignee;
    const toggle = (id: string) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    return [
      {
        id: 'select',
        header: 'Select',
        render: (a) => (
          <input
            type="checkbox"
            aria-label={`Select ${a.title}`}
            checked={selected.has(a.id)}
            onChange={() => toggle(a.id)}
          />
        ),
      },
      ...withAssignee,
    ];
  }, [canTriage, selected, assignees]);
  const filtered = status !== '' || severity !== '' || q !== '' || assignee !== '';
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
            Assignee{' '}
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="none">Unassigned</option>
            </select>
          </label>
          <label>
            Search{' '}
            <input
              type="search"
              value={draft}
              placeholder="Title, rule or endpoint"
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </form>
      )}
      <StatusCounts state={counts} current={status} onPick={setStatus} />
      <ResourceView state={list.resource} feature="The alerts API" onRetry={list.resource.reload}>
        {(page) => (
          <>
            {canTriage && (
              <BulkTriageBar
                selected={[...selected]}
                assignees={assignees}
                onDone={list.resource.reload}
                onClear={() => setSelected(new Set())}
              />
            )}
            <DataTable
              id="alerts"
              caption="Alerts"
              columns={columns}
              rows={page.items}
              rowKey={(a) => a.id}
              empty={filtered ? 'No alert matches these filters.' : 'No alerts yet.'}
              footer={<Pager {...list.pager} />}
            />
          </>
        )}
      </ResourceView>
    </>
  );
}
