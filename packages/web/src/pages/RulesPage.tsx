import { useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type RuleSummary, rulesApi } from '../api/rules-api.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatUtc, relativeTime } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';
import { RuleToggle } from './RuleToggle.tsx';

export function RulesPage() {
  const http = useHttp();
  const canWrite = useCan('rules:write');
  const [enabled, setEnabled] = useState('');
  const [level, setLevel] = useState('');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const list = usePagedList<RuleSummary>(
    ({ cursor, limit, signal }) => rulesApi.list(http, { q, enabled, level, cursor, limit }, signal),
    `${q}|${enabled}|${level}|${version}`,
  );
  const columns: Column<RuleSummary>[] = [
    {
      id: 'title',
      header: 'Title',
      render: (r) => <Link to={`/rules/${encodeURIComponent(r.id)}`}>{r.title}</Link>,
      sortValue: (r) => r.title,
    },
    {
      id: 'severity',
      header: 'Severity',
      render: (r) => <SeverityBadge value={r.severity} />,
      sortValue: (r) => severityRank(r.severity),
    },
    {
      id: 'enabled',
      header: 'Enabled',
      render: (r) =>
        canWrite ? (
          <RuleToggle rule={r} onChanged={() => setVersion((v) => v + 1)} />
        ) : r.enabled ? (
          'on'
        ) : (
          'off'
        ),
      sortValue: (r) => (r.enabled ? 1 : 0),
    },
    {
      id: 'logsource',
      header: 'Log source',
      render: (r) => Object.values(r.logsource).join(' / ') || '—',
      sortValue: (r) => Object.values(r.logsource).join('/'),
    },
    { id: 'mitre', header: 'MITRE', render: (r) => r.mitre.techniques.join(', ') || '—' },
    { id: 'kind', header: 'Kind', render: (r) => r.kind, sortValue: (r) => r.kind, hiddenByDefault: true },
    { id: 'status', header: 'Sigma status', render: (r) => r.status ?? '—', hiddenByDefault: true },
    {
      id: 'version',
      header: 'Version',
      numeric: true,
      render: (r) => r.version,
      sortValue: (r) => r.version,
    },
    {
      id: 'updated',
      header: 'Updated',
      render: (r) => <time title={formatUtc(r.updated_at)}>{relativeTime(r.updated_at)}</time>,
      sortValue: (r) => r.updated_at,
      hiddenByDefault: true,
    },
  ];
  return (
    <>
      <PageHeader title="Rules">
        <Link to="/rules/suppressions" className="button">
          Suppressions
        </Link>
        {canWrite && (
          <>
            <Link to="/rules/import" className="button">
              Import
            </Link>
            <Link to="/rules/new" className="button primary">
              New rule
            </Link>
          </>
        )}
      </PageHeader>
      {list.resource.status !== 'unavailable' && (
        <form
          className="filters"
          aria-label="Filter rules"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
          }}
        >
          <label>
            Enabled{' '}
            <select value={enabled} onChange={(e) => setEnabled(e.target.value)}>
              <option value="">Any</option>
              <option value="true">Enabled</option>
              <option value="false">Disabled</option>
            </select>
          </label>
          <label>
            Level{' '}
            <select value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">Any</option>
              <option value="critical">Critical</option>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
              <option value="informational">Informational</option>
            </select>
          </label>
          <label>
            Search{' '}
            <input
              type="search"
              value={draft}
              placeholder="Title, id or description"
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </form>
      )}
      <ResourceView state={list.resource} feature="The rules API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="rules"
            caption="Rules"
            columns={columns}
            rows={page.items}
            rowKey={(r) => r.id}
            empty={q || enabled || level ? 'No rule matches these filters.' : 'No rules loaded.'}
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
