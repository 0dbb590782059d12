import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type CaseSummary, casesApi } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { CASE_STATUSES, parseIdList } from '../cases/case-logic.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { SeveritySelect } from '../components/SeveritySelect.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';

const COLUMNS: Column<CaseSummary>[] = [
  {
    id: 'severity',
    header: 'Severity',
    render: (c) => <SeverityBadge value={c.severity} />,
    sortValue: (c) => severityRank(c.severity),
  },
  {
    id: 'title',
    header: 'Title',
    render: (c) => <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title}</Link>,
    sortValue: (c) => c.title,
  },
  {
    id: 'status',
    header: 'Status',
    render: (c) => <StatusBadge value={c.status} />,
    sortValue: (c) => c.status,
  },
  { id: 'owner', header: 'Owner', render: (c) => c.owner_name ?? '—', sortValue: (c) => c.owner_name },
  { id: 'source', header: 'Opened', render: (c) => (c.source === 'auto' ? 'automatically' : 'by hand') },
  {
    id: 'updated',
    header: 'Updated',
    render: (c) => <time title={formatUtc(c.updated_at)}>{relativeTime(c.updated_at)}</time>,
    sortValue: (c) => toDate(c.updated_at)?.getTime() ?? null,
  },
];

/**
 * Opens a case, empty (a title) or from alerts (their ids; title and severity then default to
 * the alerts'). `/cases?alerts=id,id` arrives with the alerts filled in.
 */
function NewCaseForm() {
  const http = useHttp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [title, setTitle] = useState('');
  const [alerts, setAlerts] = useState(params.get('alerts') ?? '');
  const [severity, setSeverity] = useState('');
  const [error, setError] = useState<unknown>(null);
  const alertIds = parseIdList(alerts);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const created = await casesApi.create(http, {
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(severity ? { severity } : {}),
        ...(alertIds.length > 0 ? { alert_ids: alertIds } : {}),
      });
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="filters" aria-label="Open a case" onSubmit={submit}>
      <label>
        New case{' '}
        <input
          value={title}
          maxLength={300}
          placeholder={alertIds.length > 0 ? "Title (default: the first alert's)" : 'Title'}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label>
        From alerts{' '}
        <input
          value={alerts}
          placeholder="alert ids (optional)"
          onChange={(e) => setAlerts(e.target.value)}
        />
      </label>
      <SeveritySelect
        label="Severity"
        value={severity}
        emptyLabel={alertIds.length > 0 ? "The alerts' highest" : 'medium'}
        onChange={setSeverity}
      />
      <button type="submit" className="button primary" disabled={!title.trim() && alertIds.length === 0}>
        Open case
      </button>
      <FormError error={error} />
    </form>
  );
}

/** Cases (seed 004's incidents): the open ones first by default, filtered on the server. */
export function CasesPage() {
  const http = useHttp();
  const canWrite = useCan('cases:write');
  const [status, setStatus] = useState('new,triage,in_progress,contained');
  const [severity, setSeverity] = useState('');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedList<CaseSummary>(
    ({ cursor, limit, signal }) => casesApi.list(http, { cursor, limit, status, severity, q }, signal),
    `${status}|${severity}|${q}`,
  );
  return (
    <>
      <PageHeader title="Cases">
        <Link to="/handovers" className="button ghost">
          Shift handovers
        </Link>
      </PageHeader>
      {canWrite && list.resource.status !== 'unavailable' && <NewCaseForm />}
      {list.resource.status !== 'unavailable' && (
        <form
          className="filters"
          aria-label="Filter cases"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
          }}
        >
          <label>
            Status{' '}
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="new,triage,in_progress,contained">Open</option>
              <option value="">Any</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <SeveritySelect
            label="Severity at or above"
            value={severity}
            emptyLabel="Any"
            onChange={setSeverity}
          />
          <label>
            Search{' '}
            <input
              type="search"
              value={draft}
              placeholder="Title or description"
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </form>
      )}
      <ResourceView state={list.resource} feature="The cases API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="cases"
            caption="Cases"
            columns={COLUMNS}
            rows={page.items}
            rowKey={(c) => c.id}
            empty={q || severity ? 'No case matches these filters.' : 'No cases yet.'}
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
