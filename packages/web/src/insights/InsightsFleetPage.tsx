import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type FleetRisk, insightsApi } from '../api/insights-api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { useTick } from '../hooks/useInterval.ts';
import { useResource } from '../hooks/useResource.ts';
import { InsightsNav } from './InsightsNav.tsx';
import { dailySeries, driverLabel, formatDelta, riskBand, utcDay } from './insight-format.ts';
import './insights.css';

/** The last seven days as text: one score per day, a dot where nothing was computed. */
function trendText(d: FleetRisk): string {
  return dailySeries(d.trend_7d, 7, utcDay(Date.now()))
    .map((p) => (p.risk_score === null ? '·' : String(p.risk_score)))
    .join(' ');
}

const columns: Column<FleetRisk>[] = [
  {
    id: 'device',
    header: 'Endpoint',
    render: (d) => <Link to={`/insights/devices/${encodeURIComponent(d.device_id)}`}>{d.hostname}</Link>,
    sortValue: (d) => d.hostname,
  },
  {
    id: 'platform',
    header: 'Platform',
    render: (d) => d.platform ?? '—',
    sortValue: (d) => d.platform ?? '',
  },
  {
    id: 'risk',
    header: 'Risk',
    numeric: true,
    render: (d) => (
      <>
        {d.risk_score} <SeverityBadge value={riskBand(d.risk_score)} />
      </>
    ),
    sortValue: (d) => d.risk_score,
  },
  {
    id: 'driver',
    header: 'Top driver',
    render: (d) => driverLabel(d.top_driver),
    sortValue: (d) => d.top_driver,
  },
  {
    id: 'delta',
    header: 'vs 7-day avg',
    numeric: true,
    render: (d) => formatDelta(d.delta_vs_7d),
    sortValue: (d) => d.delta_vs_7d,
  },
  {
    id: 'failed',
    header: 'Failed logins',
    numeric: true,
    render: (d) => d.metrics.failed_logins,
    sortValue: (d) => d.metrics.failed_logins,
  },
  {
    id: 'listeners',
    header: 'New listeners',
    numeric: true,
    render: (d) => d.metrics.new_listeners,
    sortValue: (d) => d.metrics.new_listeners,
  },
  {
    id: 'processes',
    header: 'New processes',
    numeric: true,
    render: (d) => d.metrics.new_processes,
    sortValue: (d) => d.metrics.new_processes,
  },
  {
    id: 'temp',
    header: 'Temp-path runs',
    numeric: true,
    render: (d) => d.metrics.suspicious_execs,
    sortValue: (d) => d.metrics.suspicious_execs,
  },
  {
    id: 'trend',
    header: 'Last 7 days',
    render: (d) => <span className="trend-text">{trendText(d)}</span>,
  },
  { id: 'day', header: 'Day', render: (d) => d.day, sortValue: (d) => d.day, hiddenByDefault: true },
];

/** Seed 002's fleet ranking: the 50 riskiest endpoints on their latest day. */
export function InsightsFleetPage() {
  const http = useHttp();
  const tick = useTick(60_000);
  const fleet = useResource((signal) => insightsApi.fleet(http, 50, signal), [tick]);
  return (
    <>
      <PageHeader title="Fleet ranking" />
      <InsightsNav />
      <ResourceView state={fleet} feature="The insights API" onRetry={fleet.reload}>
        {(data) => (
          <DataTable
            id="insights-fleet"
            caption="Riskiest endpoints"
            columns={columns}
            rows={data.items}
            rowKey={(d) => d.device_id}
            empty="No risk computed yet."
          />
        )}
      </ResourceView>
    </>
  );
}
