import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { toPage } from '../api/pages.ts';
import type { ClassificationItem } from '../charts/EventClassificationChart.tsx';
import type { TimelinePoint } from '../charts/ThreatTimelineChart.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useTick } from '../hooks/useInterval.ts';
import { useResource } from '../hooks/useResource.ts';
import { OPEN_ALERT_STATUSES } from '../lib/alert-statuses.ts';
import { pick, type Row, rowId, text } from '../lib/fields.ts';
import { formatUtc, relativeTime } from '../lib/format.ts';
import { type AlertCounts, OpenAlertsKpi } from '../overview/OpenAlertsKpi.tsx';
import { RiskyDevicesList, riskiestDevices } from '../overview/RiskyDevices.tsx';
import '../styles/overview.css';

// Charts are the heaviest code in the console; they load after the shell is up.
const ThreatTimelineChart = lazy(() => import('../charts/ThreatTimelineChart.tsx'));
const EventClassificationChart = lazy(() => import('../charts/EventClassificationChart.tsx'));

/** Seed 000's posture metrics routes (CONTRACTS.md §3.5), which the management issue serves. */
const METRICS = '/api/metrics';
const REFRESH_MS = 30_000;

function RecentList({ rows, kind }: { rows: Row[]; kind: 'alerts' | 'decisions' }) {
  if (rows.length === 0) return <p className="muted">Nothing recent.</p>;
  return (
    <ul className="recent-list">
      {rows.map((r) => (
        <li key={rowId(r)}>
          <SeverityBadge value={pick(r, 'severity')} />
          <span className="recent-title">
            {kind === 'alerts' ? (
              <Link to={`/alerts/${encodeURIComponent(rowId(r))}`}>
                {text(pick(r, 'title', 'rule_title'))}
              </Link>
            ) : (
              text(pick(r, 'recommended_action'))
            )}
          </span>
          <StatusBadge value={pick(r, 'status')} />
          <time title={formatUtc(pick(r, 'created_at'))}>
            {relativeTime(pick(r, 'last_seen', 'created_at'))}
          </time>
        </li>
      ))}
    </ul>
  );
}

export function OverviewPage() {
  const http = useHttp();
  const tick = useTick(REFRESH_MS);
  const metric = (name: string) => (signal: AbortSignal) =>
    http.get<{ value: number }>(`${METRICS}/${name}`, { signal });
  const events24h = useResource(metric('security-events-24h'), [tick]);
  const threat = useResource(metric('current-threat-level'), [tick]);
  const posture = useResource(metric('security-posture-score'), [tick]);
  const agents = useResource(metric('active-agents'), [tick]);
  const timeline = useResource(
    (signal) => http.get<{ series: TimelinePoint[] }>(`${METRICS}/threat-timeline`, { signal }),
    [tick],
  );
  const classes = useResource(
    (signal) => http.get<{ items: ClassificationItem[] }>(`${METRICS}/event-classification`, { signal }),
    [tick],
  );
  const alerts = useResource(
    async (signal) =>
      toPage<Row>(await http.get('/api/v1/alerts', { query: { limit: 8 }, signal }), 'alerts'),
    [tick],
  );
  const openAlerts = useResource(
    (signal) =>
      http.get<AlertCounts>('/api/v1/alerts/counts', { query: { status: OPEN_ALERT_STATUSES }, signal }),
    [tick],
  );
  const risky = useResource((signal) => riskiestDevices(http, 6, signal), [tick]);
  const decisions = useResource(
    async (signal) =>
      toPage<Row>(
        await http.get('/api/v1/decisions', { query: { status: 'pending', limit: 8 }, signal }),
        'decisions',
      ),
    [tick],
  );

  return (
    <>
      <PageHeader title="Overview">
        <span className="muted">Refreshes every 30 s</span>
      </PageHeader>
      <div className="kpi-grid">
        <OpenAlertsKpi state={openAlerts} />
        <KpiCard label="Security events (24 h)" state={events24h} />
        <KpiCard label="Threat level" state={threat} format={(n) => `${n} / 5`} />
        <KpiCard label="Posture score" state={posture} format={(n) => `${n.toFixed(0)} / 100`} />
        <KpiCard label="Active agents" state={agents} hint="Heartbeat in the last 5 min" />
      </div>
      <div className="panel-grid">
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Threat timeline</h2>
          <ResourceView state={timeline} feature="The posture metrics API">
            {(d) => (
              <Suspense fallback={<LoadingState label="Loading chart" />}>
                <ThreatTimelineChart series={d.series} />
              </Suspense>
            )}
          </ResourceView>
        </section>
        <section className="card" aria-labelledby="classes-title">
          <h2 id="classes-title">Event classification</h2>
          <ResourceView state={classes} feature="The posture metrics API">
            {(d) => (
              <Suspense fallback={<LoadingState label="Loading chart" />}>
                <EventClassificationChart items={d.items} />
              </Suspense>
            )}
          </ResourceView>
        </section>
        <section className="card" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Recent alerts</h2>
          <ResourceView state={alerts} feature="The alerts API">
            {(p) => <RecentList rows={p.items} kind="alerts" />}
          </ResourceView>
        </section>
        <section className="card" aria-labelledby="risky-title">
          <h2 id="risky-title">Top risky endpoints</h2>
          <ResourceView state={risky} feature="The fleet API">
            {(d) => <RiskyDevicesList devices={d} />}
          </ResourceView>
        </section>
        <section className="card" aria-labelledby="decisions-title">
          <h2 id="decisions-title">Pending decisions</h2>
          <ResourceView state={decisions} feature="The decision engine API">
            {(p) => <RecentList rows={p.items} kind="decisions" />}
          </ResourceView>
        </section>
      </div>
    </>
  );
}
