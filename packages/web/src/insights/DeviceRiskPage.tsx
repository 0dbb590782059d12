import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type DeviceRisk, insightsApi } from '../api/insights-api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { SummaryStrip } from './InsightsBriefPage.tsx';
import { insightColumns } from './InsightsListPage.tsx';
import { driverLabel, formatDelta, metricLabel, riskBand } from './insight-format.ts';
import './insights.css';

const RiskTrendChart = lazy(() => import('./RiskTrendChart.tsx'));

function Latest({ risk }: { risk: DeviceRisk }) {
  const l = risk.latest;
  if (!l) return <p className="state-message">No risk computed for this endpoint in the last 30 days.</p>;
  return (
    <div className="card-grid">
      <section className="card" aria-labelledby="risk-latest">
        <h2 id="risk-latest">Latest day: {l.day}</h2>
        <dl className="facts">
          <dt>Risk</dt>
          <dd>
            {l.risk_score} <SeverityBadge value={riskBand(l.risk_score)} /> (weighted events{' '}
            {l.raw_risk_score})
          </dd>
          <dt>vs 7-day average</dt>
          <dd>{formatDelta(l.delta_vs_7d)}</dd>
          <dt>Top driver</dt>
          <dd>{driverLabel(l.top_driver)}</dd>
          {(['INFO', 'WARN', 'HIGH'] as const).map((s) => (
            <div key={s} className="fact-pair">
              <dt>{s} events</dt>
              <dd>{l.counts[s] ?? 0}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card" aria-labelledby="risk-baselines">
        <h2 id="risk-baselines">Against the 14-day median</h2>
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Today</th>
              <th scope="col">Median</th>
              <th scope="col">Ratio</th>
              <th scope="col">Class</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(l.baseline).map((b) => (
              <tr key={b.metric}>
                <td>{metricLabel(b.metric)}</td>
                <td>{b.today}</td>
                <td>{b.baseline}</td>
                <td>{b.ratio.toFixed(1)}×</td>
                <td>{b.classification}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="risk-drivers">
        <h2 id="risk-drivers">Drivers</h2>
        <ul>
          {l.drivers.map((d) => (
            <li key={d.category}>
              {driverLabel(d.category)}: {d.percent.toFixed(2)}%
            </li>
          ))}
        </ul>
        {l.new_changes.length > 0 && (
          <>
            <h3>New since yesterday</h3>
            <ul>
              {l.new_changes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </>
        )}
        {l.brief && (
          <>
            <h3>Recommended actions</h3>
            <ol>
              {l.brief.recommended_actions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}

/** One endpoint's risk: the latest day in full, 7- and 30-day trends, its insights. */
export function DeviceRiskPage() {
  const { id = '' } = useParams();
  const http = useHttp();
  const risk = useResource((signal) => insightsApi.deviceRisk(http, id, 30, signal), [id]);
  return (
    <ResourceView state={risk} feature="The insights API" onRetry={risk.reload}>
      {(r) => (
        <>
          <PageHeader title={`Risk of ${r.device.hostname}`}>
            <Link to={`/endpoints/${encodeURIComponent(r.device.id)}`}>Endpoint details</Link>
          </PageHeader>
          <SummaryStrip summary={r.summary} />
          <Latest risk={r} />
          <section className="card" aria-labelledby="risk-trends">
            <h2 id="risk-trends">Trends</h2>
            <Suspense fallback={<LoadingState />}>
              <h3>Last 7 days</h3>
              <RiskTrendChart points={r.trend} days={7} height={160} label="7-day risk" />
              <h3>Last 30 days</h3>
              <RiskTrendChart points={r.trend} days={30} height={200} label="30-day risk" />
            </Suspense>
          </section>
          <DataTable
            id="device-insights"
            caption="Recent insights"
            columns={insightColumns}
            rows={r.insights}
            rowKey={(i) => i.id}
            empty="No insights for this endpoint."
          />
        </>
      )}
    </ResourceView>
  );
}
