import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatNumber, formatUtc } from '../lib/format.ts';
import {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportResult,
  type Indicator,
  intelApi,
} from './intel-api.ts';
import '../styles/controls.css';
import '../styles/rules.css';

const TYPES = ['', 'hash', 'ip', 'cidr', 'domain', 'url', 'email'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

/** The per-item outcome of an upload: what was created or refreshed, what was refused and why. */
export function ImportResultView({ result }: { result: ImportResult }) {
  const notable = result.items.filter((i) => i.status === 'rejected' || i.status === 'skipped');
  return (
    <section className="card" aria-label="Import result">
      <h2>Import result</h2>
      <p>
        {formatNumber(result.created)} created, {formatNumber(result.refreshed)} refreshed,{' '}
        {formatNumber(result.rejected)} rejected, {formatNumber(result.skipped)} skipped.
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>Line / item</th>
            <th>Status</th>
            <th>Type</th>
            <th>Value</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {(notable.length > 0
            ? [...notable, ...result.items.filter((i) => !notable.includes(i))]
            : result.items
          )
            .slice(0, 500)
            .map((i) => (
              <tr
                key={`${i.line}-${i.status}-${i.type ?? ''}-${i.value ?? ''}-${i.message ?? ''}`}
                data-status={i.status}
              >
                <td>{i.line}</td>
                <td>{i.status}</td>
                <td>{i.type ?? '—'}</td>
                <td className="mono">{i.value ?? '—'}</td>
                <td>{i.message ?? ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

function UploadForm({ onImported }: { onImported: (r: ImportResult) => void }) {
  const http = useHttp();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('auto');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onImported(await intelApi.upload(http, file, file.name, format, source.trim()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Import indicators" onSubmit={submit}>
      <h2>Import a file</h2>
      <label>
        File (STIX 2.1 bundle, MISP export, CSV or plain list)
        <input
          type="file"
          accept=".json,.csv,.txt,text/plain"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <label>
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)}>
          {IMPORT_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Source (when the file names none)
        <input value={source} maxLength={200} onChange={(e) => setSource(e.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={!file || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function CreateForm({ onCreated }: { onCreated: () => void }) {
  const http = useHttp();
  const [type, setType] = useState('ip');
  const [value, setValue] = useState('');
  const [severity, setSeverity] = useState('high');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await intelApi.create(http, { type, value: value.trim(), severity });
      setValue('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Add an indicator" onSubmit={submit}>
      <h2>Add an indicator</h2>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value)}>
          {TYPES.filter(Boolean).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input required value={value} maxLength={2048} onChange={(e) => setValue(e.target.value)} />
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button primary" disabled={!value.trim()}>
        Add
      </button>
      <FormError error={error} />
    </form>
  );
}

/** `/intelligence`: indicators (hashes, addresses, ranges, domains, URLs, e-mail), uploads with per-item results. */
export function IntelligencePage() {
  const http = useHttp();
  const canWrite = useCan('rules:write');
  const [type, setType] = useState('');
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = usePagedList<Indicator>(
    ({ cursor, limit, signal }) => intelApi.indicators(http, { type, q }, cursor, limit, signal),
    `${type}|${q}|${version}`,
  );
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };
  const columns: Column<Indicator>[] = [
    { id: 'type', header: 'Type', render: (i) => i.type, sortValue: (i) => i.type },
    {
      id: 'value',
      header: 'Value',
      render: (i) => <span className="mono">{i.value}</span>,
      sortValue: (i) => i.value,
    },
    { id: 'severity', header: 'Severity', render: (i) => <SeverityBadge value={i.severity} /> },
    { id: 'source', header: 'Source', render: (i) => i.source ?? '—', sortValue: (i) => i.source ?? '' },
    { id: 'expires', header: 'Expires', render: (i) => (i.expires_at ? formatUtc(i.expires_at) : 'never') },
    { id: 'active', header: 'Active', render: (i) => (i.active ? 'yes' : 'no') },
    {
      id: 'hits',
      header: 'Hits',
      numeric: true,
      render: (i) => formatNumber(i.hit_count),
      sortValue: (i) => i.hit_count,
    },
    ...(canWrite
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (i: Indicator) => (
              <span className="row-actions">
                <button
                  type="button"
                  className="button small"
                  onClick={() => act(() => intelApi.setActive(http, i.id, !i.active))}
                >
                  {i.active ? 'Deactivate' : 'Activate'}
                </button>
                <button
                  type="button"
                  className="button small danger"
                  aria-label={`Delete ${i.value}`}
                  onClick={() => {
                    if (window.confirm(`Delete the indicator ${i.value}?`))
                      void act(() => intelApi.remove(http, i.id));
                  }}
                >
                  Delete
                </button>
              </span>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader title="Intelligence">
        <Link to="/threat-map" className="button ghost">
          Threat map ›
        </Link>
      </PageHeader>
      {canWrite && (
        <div className="form-row">
          <UploadForm
            onImported={(r) => {
              setResult(r);
              setVersion((v) => v + 1);
            }}
          />
          <CreateForm onCreated={() => setVersion((v) => v + 1)} />
        </div>
      )}
      {result && <ImportResultView result={result} />}
      <fieldset className="filters" aria-label="Filter indicators">
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t || 'All'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input value={q} placeholder="value contains…" onChange={(e) => setQ(e.target.value)} />
        </label>
      </fieldset>
      <FormError error={error} />
      <ResourceView state={list.resource} feature="The indicators API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="indicators"
            caption="Indicators"
            columns={columns}
            rows={page.items}
            rowKey={(i) => i.id}
            empty="No indicators yet: import a feed file or add one."
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
