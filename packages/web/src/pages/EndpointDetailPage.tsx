import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { type Endpoint, endpointsApi, osLabel, responseApi } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { toPage } from '../api/pages.ts';
import { useCan } from '../auth/session-context.ts';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { EditEndpointCard } from '../endpoints/EditEndpointCard.tsx';
import { ResponseActionsCard } from '../endpoints/ResponseActionsCard.tsx';
import { EndpointInventoryCard } from '../exposure/EndpointInventoryCard.tsx';
import { useTick } from '../hooks/useInterval.ts';
import { useResource } from '../hooks/useResource.ts';
import { OPEN_ALERT_STATUSES } from '../lib/alert-statuses.ts';
import { pick, type Row, rowId, text } from '../lib/fields.ts';
import { formatNumber, formatUtc, relativeTime } from '../lib/format.ts';
import { DeviceCredentialsCard } from './DeviceCredentialsCard.tsx';

const HeartbeatChart = lazy(() => import('../charts/HeartbeatChart.tsx'));

const DAY_MS = 86_400_000;

interface Resources {
  reported_at: string | null;
  cpu_pct: number | null;
  memory_pct: number | null;
  disk_pct: number | null;
  uptime_s: number | null;
}

function Details({ endpoint }: { endpoint: Endpoint }) {
  return (
    <section className="card" aria-labelledby="endpoint-identity">
      <h2 id="endpoint-identity">Identity</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge value={endpoint.status} />
        </dd>
        <dt>Risk</dt>
        <dd>
          {formatNumber(endpoint.risk_score)}{' '}
          {endpoint.risk_level ? <SeverityBadge value={endpoint.risk_level} /> : null}
        </dd>
        <dt>Device id</dt>
        <dd className="mono">{endpoint.id}</dd>
        <dt>Operating system</dt>
        <dd>{osLabel(endpoint.os)}</dd>
        <dt>IP address</dt>
        <dd>{text(endpoint.ip_address)}</dd>
        <dt>Agent version</dt>
        <dd>{endpoint.agent_version ?? '—'}</dd>
        <dt>Last seen</dt>
        <dd title={formatUtc(endpoint.last_seen_at)}>{relativeTime(endpoint.last_seen_at)}</dd>
        <dt>Enrolled</dt>
        <dd>{formatUtc(endpoint.enrolled_at)}</dd>
        <dt>Owner</dt>
        <dd>{text(endpoint.owner)}</dd>
        <dt>Location</dt>
        <dd>{text(endpoint.location)}</dd>
        <dt>Tags</dt>
        <dd>{endpoint.tags?.length ? endpoint.tags.join(', ') : '—'}</dd>
      </dl>
    </section>
  );
}

function ResourcesCard({ id, resources }: { id: string; resources: Resources | null }) {
  const http = useHttp();
  const tick = useTick(60_000);
  const points = useResource(
    (signal) => responseApi.heartbeats(http, id, Date.now() - DAY_MS, signal),
    [id, tick],
  );
  const pct = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : `${formatNumber(n, 1)} %`;
  return (
    <section className="card" aria-labelledby="endpoint-resources">
      <h2 id="endpoint-resources">Heartbeats (24 h)</h2>
      {resources ? (
        <p className="muted">
          Latest {relativeTime(resources.reported_at)}: CPU {pct(resources.cpu_pct)} · memory{' '}
          {pct(resources.memory_pct)} · disk {pct(resources.disk_pct)}
          {resources.uptime_s !== null ? ` · up ${formatNumber(resources.uptime_s / 3600, 1)} h` : ''}
        </p>
      ) : (
        <p className="muted">No heartbeat received yet.</p>
      )}
      <ResourceView state={points} feature="Heartbeat history">
        {(items) =>
          items.length === 0 ? (
            <p className="muted">No heartbeats in the last 24 hours.</p>
          ) : (
            <Suspense fallback={<LoadingState label="Loading chart" />}>
              <HeartbeatChart points={items} />
            </Suspense>
          )
        }
      </ResourceView>
    </section>
  );
}

function OpenAlertsCard({ id }: { id: string }) {
  const http = useHttp();
  const alerts = useResource(
    async (signal) =>
      toPage<Row>(
        await http.get('/api/v1/alerts', {
          query: { device_id: id, status: OPEN_ALERT_STATUSES, limit: 10 },
          signal,
        }),
        'alerts',
      ),
    [id],
  );
  return (
    <section className="card" aria-labelledby="endpoint-alerts">
      <h2 id="endpoint-alerts">Open alerts</h2>
      <ResourceView state={alerts} feature="The alerts API">
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No open alerts on this endpoint.</p>
          ) : (
            <ul className="recent-list">
              {page.items.map((a) => (
                <li key={rowId(a)}>
                  <SeverityBadge value={pick(a, 'severity')} />
                  <span className="recent-title">
                    <Link to={`/alerts/${encodeURIComponent(rowId(a))}`}>{text(pick(a, 'title'))}</Link>
                  </span>
                  <StatusBadge value={pick(a, 'status')} />
                  <time title={formatUtc(pick(a, 'last_seen'))}>
                    {relativeTime(pick(a, 'last_seen', 'created_at'))}
                  </time>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </section>
  );
}

/** The configuration the endpoint's agent receives: defaults overlaid by its assigned policies. */
function EffectiveConfigCard({ id }: { id: string }) {
  const http = useHttp();
  const config = useResource(
    (signal) => http.get<unknown>(`/api/v1/devices/${encodeURIComponent(id)}/config`, { signal }),
    [id],
  );
  return (
    <section className="card" aria-labelledby="endpoint-config">
      <h2 id="endpoint-config">Effective configuration</h2>
      <ResourceView state={config} feature="Agent policies">
        {(c) => (
          <details>
            <summary>What the agent receives (defaults overlaid by its policies)</summary>
            <pre className="code-block">{JSON.stringify(c, null, 2)}</pre>
          </details>
        )}
      </ResourceView>
    </section>
  );
}

export function EndpointDetailPage() {
  const { id = '' } = useParams();
  const http = useHttp();
  const canWrite = useCan('devices:write');
  const canReadPolicies = useCan('policies:read');
  const endpoint = useResource((signal) => endpointsApi.get(http, id, signal), [id]);
  return (
    <>
      <PageHeader title={endpoint.status === 'ready' ? endpoint.data.hostname : 'Endpoint'}>
        <Link to="/endpoints" className="button ghost">
          ‹ All endpoints
        </Link>
      </PageHeader>
      <ResourceView state={endpoint} feature="The endpoints API" onRetry={endpoint.reload}>
        {(data) => (
          <div className="panel-grid">
            <Details endpoint={data} />
            <ResourcesCard
              id={data.id}
              resources={(data.resources as Resources | null | undefined) ?? null}
            />
            <OpenAlertsCard id={data.id} />
            <EndpointInventoryCard id={data.id} />
            <ResponseActionsCard deviceId={data.id} hostname={data.hostname} />
            {canWrite && <EditEndpointCard key={data.id} endpoint={data} onSaved={endpoint.reload} />}
            {canReadPolicies && <EffectiveConfigCard id={data.id} />}
            <DeviceCredentialsCard id={data.id} hostname={data.hostname} />
          </div>
        )}
      </ResourceView>
    </>
  );
}
