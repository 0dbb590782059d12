import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { useResource } from '../hooks/useResource.ts';
import { relativeTime, toDate } from '../lib/format.ts';
import '../styles/controls.css';
import './exposure.css';
import { AnalysisReport } from './AnalysisReport.tsx';
import {
  type AnalysisSummary,
  analysisKindOf,
  exposureApi,
  formatBytes,
  type PatternRule,
} from './exposure-api.ts';

function UploadForm({ onDone }: { onDone: (id: string) => void }) {
  const http = useHttp();
  const [file, setFile] = useState<File | null>(null);
  const [caseId, setCaseId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onDone((await exposureApi.analyze(http, file, caseId.trim())).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Analyze a file or e-mail" onSubmit={submit}>
      <h2>Analyze a file or e-mail</h2>
      <p>Files are read, never run. An .eml file is analyzed as an e-mail.</p>
      <label>
        File
        <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        Case id (optional)
        <input value={caseId} maxLength={64} onChange={(e) => setCaseId(e.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={!file || busy}>
        {busy ? 'Analyzing…' : file && analysisKindOf(file) === 'email' ? 'Analyze e-mail' : 'Analyze file'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function PatternRules() {
  const http = useHttp();
  const canWrite = useCan('analysis:rules');
  const [version, setVersion] = useState(0);
  const [source, setSource] = useState('');
  const [error, setError] = useState<unknown>(null);
  const rules = useResource((signal) => exposureApi.rules(http, signal), [version]);
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setVersion((v) => v + 1);
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const columns: Column<PatternRule>[] = [
    { id: 'name', header: 'Rule', render: (r) => r.name, sortValue: (r) => r.name },
    { id: 'enabled', header: 'Enabled', render: (r) => (r.enabled ? 'yes' : 'no') },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) =>
        canWrite ? (
          <span className="row-actions">
            <button
              type="button"
              className="button small"
              onClick={() => act(() => exposureApi.setRuleEnabled(http, r.id, !r.enabled))}
            >
              {r.enabled ? 'Disable' : 'Enable'}
            </button>
            <button
              type="button"
              className="button small danger"
              onClick={() => act(() => exposureApi.deleteRule(http, r.id))}
              aria-label={`Delete ${r.name}`}
            >
              Delete
            </button>
          </span>
        ) : null,
    },
  ];
  return (
    <section aria-label="Pattern rules">
      <ResourceView state={rules} feature="Pattern rules">
        {(data) => (
          <DataTable
            id="pattern-rules"
            caption="Pattern rules (built-in rules always apply)"
            columns={columns}
            rows={data.items}
            rowKey={(r) => r.id}
            empty="No rules of your own yet."
          />
        )}
      </ResourceView>
      {canWrite && (
        <form
          className="card stacked-form"
          aria-label="Add a pattern rule"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await act(() => exposureApi.createRule(http, source))) setSource('');
          }}
        >
          <label>
            Rule (YARA subset: strings, hex with ??, any/all/N of them, filesize, uint16(0))
            <textarea
              className="mono"
              rows={8}
              value={source}
              onChange={(e) => setSource(e.target.value)}
              spellCheck={false}
            />
          </label>
          <button type="submit" className="button primary" disabled={!source.trim()}>
            Add rule
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  );
}

/** `/analysis`: upload a file or an e-mail, see its report; past reports; pattern rules. */
export function AnalysisPage() {
  const http = useHttp();
  const canSubmit = useCan('analysis:submit');
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const [version, setVersion] = useState(0);
  const list = usePagedList<AnalysisSummary>(
    ({ cursor, limit, signal }) => exposureApi.analyses(http, cursor, limit, signal),
    String(version),
  );
  const report = useResource(
    (signal) => (selected ? exposureApi.analysis(http, selected, signal) : Promise.resolve(null)),
    [selected],
  );
  const open = (id: string) => setParams({ id });
  const columns: Column<AnalysisSummary>[] = [
    {
      id: 'created',
      header: 'When',
      render: (a) => relativeTime(a.created_at),
      sortValue: (a) => toDate(a.created_at)?.getTime() ?? null,
    },
    {
      id: 'name',
      header: 'Name',
      render: (a) => (
        <button type="button" className="link-button" onClick={() => open(a.id)}>
          {a.name}
        </button>
      ),
      sortValue: (a) => a.name,
    },
    { id: 'kind', header: 'Kind', render: (a) => (a.kind === 'email' ? 'e-mail' : 'file') },
    {
      id: 'verdict',
      header: 'Verdict',
      render: (a) => <span className={`badge verdict-${a.verdict}`}>{a.verdict}</span>,
      sortValue: (a) => a.verdict,
    },
    {
      id: 'size',
      header: 'Size',
      numeric: true,
      render: (a) => formatBytes(a.size),
      sortValue: (a) => a.size,
    },
    {
      id: 'sha256',
      header: 'SHA-256',
      render: (a) => <span className="mono">{a.sha256.slice(0, 16)}…</span>,
      hiddenByDefault: true,
    },
  ];
  return (
    <div className="stacked-cards">
      <PageHeader title="File and e-mail analysis" />
      {canSubmit && (
        <UploadForm
          onDone={(id) => {
            setVersion((v) => v + 1);
            open(id);
          }}
        />
      )}
      {selected && (
        <ResourceView state={report} feature="Analysis">
          {(a) => (a ? <AnalysisReport analysis={a} /> : null)}
        </ResourceView>
      )}
      <ResourceView state={list.resource} feature="Analysis" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="analyses"
            caption="Reports"
            columns={columns}
            rows={page.items}
            rowKey={(a) => a.id}
            empty="Nothing analyzed yet."
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
      <PatternRules />
    </div>
  );
}
