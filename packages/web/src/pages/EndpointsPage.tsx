import { useState } from 'react';
import { Link } from 'react-router';
import { type Endpoint, endpointsApi, osLabel } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatNumber, formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { toSortParam } from '../lib/sorting.ts';

const COLUMNS: Column<Endpoint>[] = [
  {
    id: 'hostname',
    header: 'Hostname',
    render: (e) => <Link to={`/endpoints/${encodeURIComponent(e.id)}`}>{e.hostname}</Link>,
    sortValue: (e) => e.hostname,
  },
  {
    id: 'status',
    header: 'Status',
    render: (e) => <StatusBadge value={e.status} />,
    sortValue: (e) => e.status,
  },
  { id: 'os', header: 'OS', render: (e) => osLabel(e.os), sortValue: (e) => osLabel(e.os) },
  {
    id: 'risk',
    header: 'Risk',
    numeric: true,
    render: (e) => formatNumber(e.risk_score),
    sortValue: (e) => e.risk_score,
  },
  {
    id: 'open_alerts',
    header: 'Open alerts',
    numeric: true,
    render: (e) => formatNumber(e.open_alerts),
    sortValue: (e) => e.open_alerts,
  },
  {
    id: 'last_seen',
    header: 'Last seen',
    render: (e) => <time title={formatUtc(e.last_seen_at)}>{relativeTime(e.last_seen_at)}</time>,
    sortValue: (e) => toDate(e.last_seen_at)?.getTime() ?? null,
  },
  {
    id: 'agent_version',
    header: 'Agent',
    render: (e) => e.agent_version ?? '—',
    sortValue: (e) => e.agent_version,
    hiddenByDefault: true,
  },
  {
    id: 'tags',
    header: 'Tags',
    render: (e) => (e.tags?.length ? e.tags.join(', ') : '—'),
    hiddenByDefault: true,
  },
];

export function EndpointsPage() {
  const http = useHttp();
  const [status, setStatus] = useState('');
  const [risk, setRisk] = useState('');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const list = usePagedList<Endpoint>(
    ({ cursor, limit, sort, signal }) =>
      endpointsApi.list(http, { cursor, limit, sort: toSortParam(sort), status, risk, q: search }, signal),
    `${status}|${risk}|${search}`,
    { sort: { column: 'hostname', direction: 'asc' } },
  );
  return (
    <>
      <PageHeader title="Endpoints">
        <Link to="/endpoints/groups" className="button">
          Device groups
        </Link>
      </PageHeader>
      {list.resource.status !== 'unavailable' && (
        <form
          className="filters"
          aria-label="Filter endpoints"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
          }}
        >
          <label>
            Status{' '}
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any</option>
              <option value="online">Online</option>
              <option value="offline">Offline</option>
            </select>
          </label>
          <label>
            Risk{' '}
            <select value={risk} onChange={(e) => setRisk(e.target.value)}>
              <option value="">Any</option>
              <option value="critical">Critical</option>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
              <option value="none">None</option>
            </select>
          </label>
          <label>
            Hostname{' '}
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. web-01" />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </form>
      )}
      <ResourceView state={list.resource} feature="The endpoints API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="endpoints"
            caption="Endpoints"
            columns={COLUMNS}
            rows={page.items}
            rowKey={(e) => e.id}
            sort={list.sort}
            onSortChange={list.setSort}
            empty={
              status || risk || search ? (
                'No endpoint matches these filters.'
              ) : (
                <>
                  No endpoint has enrolled yet. <Link to="/admin/enrollment">Enroll one</Link>.
                </>
              )
            }
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
