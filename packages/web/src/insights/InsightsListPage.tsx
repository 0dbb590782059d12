import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type Insight, type InsightFilter, insightsApi } from '../api/insights-api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';
import { InsightsNav } from './InsightsNav.tsx';
import '../styles/controls.css';

export const insightColumns: Column<Insight>[] = [
  {
    id: 'time',
    header: 'Last seen',
    render: (i) => <time title={formatUtc(i.last_seen)}>{relativeTime(i.last_seen)}</time>,
    sortValue: (i) => toDate(i.last_seen)?.getTime() ?? null,
  },
  {
    id: 'device',
    header: 'Endpoint',
    render: (i) => (
      <Link to={`/insights/devices/${encodeURIComponent(i.device_id)}`}>{i.hostname ?? i.device_id}</Link>
    ),
  },
  {
    id: 'severity',
    header: 'Severity',
    render: (i) => <SeverityBadge value={i.severity} />,
    sortValue: (i) => severityRank(i.severity),
  },
  { id: 'type', header: 'Type', render: (i) => i.insight_type, sortValue: (i) => i.insight_type },
  { id: 'source', header: 'Source', render: (i) => i.source, sortValue: (i) => i.source },
  { id: 'status', header: 'Status', render: (i) => <StatusBadge value={i.status} /> },
  { id: 'title', header: 'Insight', render: (i) => i.title, sortValue: (i) => i.title },
  { id: 'count', header: 'Count', numeric: true, render: (i) => i.count, sortValue: (i) => i.count },
  {
    id: 'evidence',
    header: 'Evidence',
    render: (i) => <code className="mono">{JSON.stringify(i.evidence)}</code>,
    hiddenByDefault: true,
  },
];

const EMPTY: InsightFilter = { severity: '', source: '', status: '', type: '', device_id: '' };

/** Seed 002's insights page: every insight with severity, source, status and type filters. */
export function InsightsListPage() {
  const http = useHttp();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState<InsightFilter>({ ...EMPTY, device_id: params.get('device_id') ?? '' });
  const list = usePagedList<Insight>(
    ({ cursor, limit, signal }) => insightsApi.list(http, { ...filter, cursor, limit }, signal),
    JSON.stringify(filter),
    { refreshMs: 60_000 },
  );
  const select = (key: keyof InsightFilter, label: string, options: string[]) => (
    <label>
      {label}{' '}
      <select value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <PageHeader title="Insights" />
      <InsightsNav />
      <form className="filters" aria-label="Filter insights" onSubmit={(e) => e.preventDefault()}>
        {select('severity', 'Severity', ['HIGH', 'WARN', 'INFO'])}
        {select('source', 'Source', ['auth', 'network', 'process', 'filewatch', 'system'])}
        {select('status', 'Status', ['open', 'resolved'])}
        {select('type', 'Type', ['anomaly', 'driver', 'delta'])}
      </form>
      <ResourceView state={list.resource} feature="The insights API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="insights"
            caption={page.total === null ? 'Insights' : `Insights (${page.total.toLocaleString('en-US')})`}
            columns={insightColumns}
            rows={page.items}
            rowKey={(i) => i.id}
            empty="No insights match."
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
