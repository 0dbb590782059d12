import { Link, useParams } from 'react-router';
import { type Endpoint, endpointsApi, osLabel } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatNumber, formatUtc, relativeTime } from '../lib/format.ts';
import { DeviceCredentialsCard } from './DeviceCredentialsCard.tsx';

/** The fields shown in the identity card; the rest of the record is listed as-is below. */
const KNOWN = new Set([
  'id',
  'hostname',
  'status',
  'os',
  'agent_version',
  'last_seen_at',
  'enrolled_at',
  'tags',
]);

function Details({ endpoint }: { endpoint: Endpoint }) {
  const extra = Object.entries(endpoint).filter(([k, v]) => !KNOWN.has(k) && v !== null && v !== undefined);
  return (
    <section className="card" aria-labelledby="endpoint-identity">
      <h2 id="endpoint-identity">Identity</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge value={endpoint.status} />
        </dd>
        <dt>Device id</dt>
        <dd className="mono">{endpoint.id}</dd>
        <dt>Operating system</dt>
        <dd>{osLabel(endpoint.os)}</dd>
        <dt>Agent version</dt>
        <dd>{endpoint.agent_version ?? '—'}</dd>
        <dt>Last seen</dt>
        <dd title={formatUtc(endpoint.last_seen_at)}>{relativeTime(endpoint.last_seen_at)}</dd>
        <dt>Enrolled</dt>
        <dd>{formatUtc(endpoint.enrolled_at)}</dd>
        <dt>Tags</dt>
        <dd>{endpoint.tags?.length ? endpoint.tags.join(', ') : '—'}</dd>
        {extra.map(([k, v]) => (
          <div key={k} className="fact-row">
            <dt>{k.replaceAll('_', ' ')}</dt>
            <dd>
              {typeof v === 'number' ? formatNumber(v, 2) : typeof v === 'string' ? v : JSON.stringify(v)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function EndpointDetailPage() {
  const { id = '' } = useParams();
  const http = useHttp();
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
            <DeviceCredentialsCard id={data.id} hostname={data.hostname} />
          </div>
        )}
      </ResourceView>
    </>
  );
}
