import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type FleetRisk, insightsApi, type SeveritySummary } from '../api/insights-api.ts';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { useTick } from '../hooks/useInterval.ts';
import { useResource } from '../hooks/useResource.ts';
import { InsightsNav } from './InsightsNav.tsx';
import { driverLabel, formatDelta, metricLabel, riskBand } from './insight-format.ts';
import './insights.css';

const RiskTrendChart = lazy(() => import('./RiskTrendChart.tsx'));

export function SummaryStrip({ summary }: { summary: SeveritySummary }) {
  return (
    <section className="kpi-grid" aria-label="Insights by severity">
      {(['HIGH', 'WARN', 'INFO'] as const).map((s) => (
        <section key={s} className="kpi-card" aria-label={`${s} insights`}>
          <h2>{s} insights</h2>
          <p className="kpi-value">{summary[s].toLocaleString('en-US')}</p>
        </section>
      ))}
    </section>
  );
}

function DeviceBrief({ d }: { d: FleetRisk }) {
  return (
    <article className="card" aria-label={`Brief for ${d.hostname}`}>
      <div className="card-header">
        <h2>
          <Link to={`/insights/devices/${encodeURIComponent(d.device_id)}`}>{d.hostname}</Link>
        </h2>
        <span>
          Risk <strong>{d.risk_score}</strong> <SeverityBadge value={riskBand(d.risk_score)} />
        </span>
      </div>
      <dl className="facts">
        <dt>Top driver</dt>
        <dd>{driverLabel(d.top_driver)}</dd>
        <dt>vs 7-day average</dt>
        <dd>{formatDelta(d.delta_vs_7d)}</dd>
        <dt>Day</dt>
        <dd>{d.day}</dd>
        {Object.entries(d.metrics).map(([k, v]) => (
          <div key={k} className="fact-pair">
            <dt>{metricLabel(k)}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {d.brief && d.brief.anomalies.length > 0 && (
        <ul aria-label="Anomalies">
          {d.brief.anomalies.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      )}
      {d.brief && (
        <ol aria-label="Recommended actions">
          {d.brief.recommended_actions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ol>
      )}
      <Suspense fallback={<LoadingState />}>
        <h3>Last 7 days</h3>
        <RiskTrendChart points={d.trend_7d} days={7} label={`7-day risk of ${d.hostname}`} />
        <h3>Last 30 days</h3>
        <RiskTrendChart points={d.trend_30d} days={30} label={`30-day risk of ${d.hostname}`} />
      </Suspense>
    </article>
  );
}

/** Seed 002's fleet brief: insight counts, and the five riskiest devices with their drivers and trends. */
export function InsightsBriefPage() {
  const http = useHttp();
  const tick = useTick(60_000);
  const fleet = useResource((signal) => insightsApi.fleet(http, 5, signal), [tick]);
  return (
    <>
      <PageHeader title="Fleet brief" />
      <InsightsNav />
      <ResourceView state={fleet} feature="The insights API" onRetry={fleet.reload}>
        {(data) => (
          <>
            <SummaryStrip summary={data.summary} />
            {data.items.length === 0 ? (
              <p className="state-message">
                No risk computed yet: insights appear once endpoints send events.
              </p>
            ) : (
              <div className="card-grid">
                {data.items.map((d) => (
                  <DeviceBrief key={d.device_id} d={d} />
                ))}
              </div>
            )}
          </>
        )}
      </ResourceView>
    </>
  );
}
