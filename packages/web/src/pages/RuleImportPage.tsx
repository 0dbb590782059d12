import { useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type RuleImportSummary, rulesApi } from '../api/rules-api.ts';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { countOf } from '../lib/format.ts';
import '../styles/controls.css';
import '../styles/rules.css';

type Result = RuleImportSummary['results'][number];

interface Source {
  name: string;
  data: Blob | string;
}

/** Totals over every file sent so far. */
function addUp(results: readonly Result[]) {
  const count = (s: Result['status']) => results.filter((r) => r.status === s).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    invalid: count('invalid'),
  };
}

/**
 * `/rules/import`: Sigma YAML files (one or many rules each) or zips of them, sent one file at a
 * time so the page can show progress and each file's per-rule results as they come back.
 */
export function RuleImportPage() {
  const http = useHttp();
  const [files, setFiles] = useState<File[]>([]);
  const [pasted, setPasted] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [done, setDone] = useState(0);
  const [total, setTotal] = useState(0);
  const [results, setResults] = useState<Result[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [over, setOver] = useState(false);
  const busy = total > 0 && done < total;

  const start = async () => {
    const sources: Source[] = [
      ...files.map((f) => ({ name: f.name, data: f as Blob })),
      ...(pasted.trim() ? [{ name: 'pasted.yml', data: pasted }] : []),
    ];
    if (sources.length === 0) return;
    setError(null);
    setResults([]);
    setDone(0);
    setTotal(sources.length);
    for (const source of sources) {
      try {
        const summary = await rulesApi.importFile(http, source, enabled);
        const named = summary.results.map((r) => ({ ...r, path: r.path ?? source.name }));
        setResults((prev) => [...prev, ...named]);
      } catch (err) {
        setError(err);
        setResults((prev) => [
          ...prev,
          { status: 'invalid', path: source.name, message: err instanceof Error ? err.message : 'refused' },
        ]);
      }
      setDone((n) => n + 1);
    }
  };

  const totals = addUp(results);
  return (
    <>
      <PageHeader title="Import rules">
        <Link to="/rules" className="button ghost">
          ‹ Rules
        </Link>
      </PageHeader>
      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">Sigma rules to import</h2>
        {/* Dropping is a shortcut for the file field inside, which stays the keyboard's way in. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target, not a control. */}
        <div
          className={over ? 'drop-zone over' : 'drop-zone'}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            setFiles([...files, ...Array.from(e.dataTransfer.files)]);
          }}
        >
          <label>
            Files (.yml, .yaml or .zip; drop them here too){' '}
            <input
              type="file"
              multiple
              accept=".yml,.yaml,.zip,application/zip,application/yaml,text/yaml"
              onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            />
          </label>
          {files.length > 0 && (
            <p className="muted small">
              {countOf(files.length, 'file')}: {files.map((f) => f.name).join(', ')}
            </p>
          )}
        </div>
        <label className="field-label" htmlFor="import-yaml">
          Or paste YAML (several rules separated by <code>---</code>)
        </label>
        <textarea
          id="import-yaml"
          className="code sample-input"
          rows={8}
          spellCheck={false}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <div className="form-actions">
          <label className="switch">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enable
            imported rules
          </label>
          <button
            type="button"
            className="button primary"
            onClick={start}
            disabled={busy || (files.length === 0 && !pasted.trim())}
          >
            Import
          </button>
        </div>
      </section>
      {total > 0 && (
        <section className="card" aria-labelledby="import-results-title">
          <h2 id="import-results-title">Results</h2>
          <label className="field-label" htmlFor="import-progress">
            {busy
              ? `Importing file ${done + 1} of ${total}…`
              : `Imported ${total} file${total === 1 ? '' : 's'}.`}
          </label>
          <progress id="import-progress" className="import-progress" max={total} value={done} />
          <p data-testid="import-totals" aria-live="polite">
            {totals.created} created · {totals.updated} updated · {totals.unchanged} unchanged ·{' '}
            {totals.invalid} invalid
          </p>
          <FormError error={error} />
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Import results per rule</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Rule</th>
                  <th scope="col">File</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: results only ever grow, in order.
                  <tr key={i}>
                    <td className={`status-${r.status}`}>{r.status}</td>
                    <td>
                      {r.id ? (
                        <Link to={`/rules/${encodeURIComponent(r.id)}`}>{r.title ?? r.rule_id}</Link>
                      ) : (
                        (r.title ?? r.rule_id ?? '—')
                      )}
                    </td>
                    <td className="mono">{r.path ?? '—'}</td>
                    <td>
                      {r.status === 'invalid'
                        ? `${r.line ? `line ${r.line}${r.column ? `, column ${r.column}` : ''}: ` : ''}${r.message ?? ''}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
