import { Link, useParams } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { rulesApi } from '../api/rules-api.ts';
import { useCan } from '../auth/session-context.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc } from '../lib/format.ts';
import { RuleVersions } from '../rules/RuleVersions.tsx';

export function RuleDetailPage() {
  const { id = '' } = useParams();
  const http = useHttp();
  const canWrite = useCan('rules:write');
  const rule = useResource((signal) => rulesApi.get(http, id, signal), [id]);
  return (
    <>
      <PageHeader title={rule.status === 'ready' ? rule.data.title : 'Rule'}>
        <Link to="/rules" className="button ghost">
          ‹ Rules
        </Link>
        {canWrite && rule.status === 'ready' && (
          <Link to={`/rules/${encodeURIComponent(id)}/edit`} className="button primary">
            Edit and test
          </Link>
        )}
      </PageHeader>
      <ResourceView state={rule} feature="The rules API" onRetry={rule.reload}>
        {(r) => (
          <div className="panel-grid">
            <section className="card" aria-labelledby="rule-facts">
              <h2 id="rule-facts">About</h2>
              <dl className="facts">
                <dt>Sigma id</dt>
                <dd className="mono">{r.rule_id}</dd>
                <dt>Severity</dt>
                <dd>
                  <SeverityBadge value={r.severity} />
                </dd>
                <dt>Enabled</dt>
                <dd>{r.enabled ? 'yes' : 'no'}</dd>
                <dt>Version</dt>
                <dd>{r.version}</dd>
                <dt>Log source</dt>
                <dd>
                  {Object.entries(r.logsource)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(', ') || '—'}
                </dd>
                <dt>Tags</dt>
                <dd className="permission-list">
                  {r.tags.length ? r.tags.map((t) => <code key={t}>{t}</code>) : '—'}
                </dd>
                <dt>Updated</dt>
                <dd>{formatUtc(r.updated_at)}</dd>
              </dl>
              {r.description && <p>{r.description}</p>}
            </section>
            <section className="card" aria-labelledby="rule-yaml">
              <h2 id="rule-yaml">Sigma YAML</h2>
              <pre className="code-block">{r.yaml}</pre>
            </section>
            <RuleVersions id={r.id} current={r.version} />
          </div>
        )}
      </ResourceView>
    </>
  );
}
