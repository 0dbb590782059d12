import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { mapResource } from '../hooks/resource-state.ts';
import { useResource } from '../hooks/useResource.ts';
import { relativeTime, toDate } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';
import '../styles/controls.css';
import './exposure.css';
import { exposureApi, type Finding, type FindingFilter } from './exposure-api.ts';

const PAGE = 100;

function ImportForm({ onImported }: { onImported: () => void }) {
  const http = useHttp();
  const [osv, setOsv] = useState<File | null>(null);
  const [kev, setKev] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const parts: string[] = [];
      if (osv) {
        const r = await exposureApi.importAdvisories(http, osv);
        parts.push(
          `${r.imported} advisories imported, ${r.devices_rescanned} endpoints rescanned${r.problems.length ? `, ${r.problems.length} skipped` : ''}`,
        );
      }
      if (kev) {
        const r = await exposureApi.importKev(http, kev);
        parts.push(`${r.imported} known-exploited CVEs, ${r.findings_flagged} advisories flagged`);
      }
      setNotice(parts.join('; '));
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Import vulnerability data" onSubmit={submit}>
      <h2>Import</h2>
      <label>
        OSV advisories (JSON: one, an array, or an osv.dev answer)
        <input
          type="file"
          accept=".json,application/json"
          onChange={(e) => setOsv(e.target.files?.[0] ?? null)}
        />
      </label>
      <label>
        CISA KEV catalogue (CSV)
        <input type="file" accept=".csv,text/csv" onChange={(e) => setKev(e.target.files?.[0] ?? null)} />
      </label>
      <button type="submit" className="button primary" disabled={busy || (!osv && !kev)}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <FormError error={error} />
    </form>
  );
}

/** `/vulnerabilities`: fleet risk, findings with known-exploited first, and advisory imports. */
export function VulnerabilitiesPage() {
  const http = useHttp();
  const canImport = useCan('vulnerabilities:import');
  const [filter, setFilter] = useState<FindingFilter>({});
  const [offset, setOffset] = useState(0);
  const [version, setVersion] = useState(0);
  const summary = useResource((signal) => exposureApi.summary(http, signal), [version]);
  const findings = useResource(
    (signal) => exposureApi.findings(http, filter, offset, PAGE, signal),
    [filter.severity, filter.kev, filter.package, offset, version],
  );
  const columns: Column<Finding>[] = [
    {
      id: 'severity',
      header: 'Severity',
      render: (f) => <SeverityBadge value={f.severity} />,
      sortValue: (f) => severityRank(f.severity),
    },
    {
      id: 'kev',
      header: 'Exploited',
      render: (f) => (f.known_exploited ? <strong title="Listed in CISA KEV">KEV</strong> : '—'),
      sortValue: (f) => (f.known_exploited ? 1 : 0),
    },
    {
      id: 'endpoint',
      header: 'Endpoint',
      render: (f) => (
        <Link to={`/endpoints/${encodeURIComponent(f.device_id)}`}>{f.hostname ?? f.device_id}</Link>
      ),
      sortValue: (f) => f.hostname ?? f.device_id,
    },
    { id: 'package', header: 'Package', render: (f) => f.package, sortValue: (f) => f.package },
    {
      id: 'installed',
      header: 'Installed',
      render: (f) => <span className="mono">{f.installed_version}</span>,
    },
    {
      id: 'fixed',
      header: 'Fixed in',
      render: (f) => <span className="mono">{f.fixed_versions.join(', ') || '—'}</span>,
    },
    { id: 'advisory', header: 'Advisory', render: (f) => f.advisory_id, sortValue: (f) => f.advisory_id },
    { id: 'cves', header: 'CVEs', render: (f) => f.cves.join(', ') || '—' },
    {
      id: 'first',
      header: 'First seen',
      render: (f) => relativeTime(f.first_seen),
      sortValue: (f) => toDate(f.first_seen)?.getTime() ?? null,
      hiddenByDefault: true,
    },
  ];
  const set = (patch: Partial<FindingFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setOffset(0);
  };
  return (
    <div className="stacked-cards">
      <PageHeader title="Vulnerabilities" />
      <div className="kpi-grid">
        <KpiCard
          label="Fleet risk (mean of endpoints)"
          state={mapResource(summary, (s) => ({ value: s.totals.score }))}
          format={(n) => `${n} / 100`}
        />
        <KpiCard label="Findings" state={mapResource(summary, (s) => ({ value: s.totals.findings }))} />
        <KpiCard label="Known exploited" state={mapResource(summary, (s) => ({ value: s.totals.kev }))} />
        <KpiCard
          label="Advisories imported"
          state={mapResource(summary, (s) => ({ value: s.catalogue.advisories }))}
        />
      </div>
      {canImport && <ImportForm onImported={() => setVersion((v) => v + 1)} />}
      <ResourceView state={findings} feature="The vulnerabilities API" onRetry={findings.reload}>
        {(page) => (
          <DataTable
            id="vulnerability-findings"
            caption="Findings"
            columns={columns}
            rows={page.items}
            rowKey={(f) => `${f.device_id}|${f.advisory_id}|${f.package}`}
            empty="No findings: import advisories, or the fleet carries none of their packages."
            toolbar={
              <div className="filters">
                <label>
                  Severity at least
                  <select
                    value={filter.severity ?? ''}
                    onChange={(e) => set({ severity: e.target.value || undefined })}
                  >
                    <option value="">any</option>
                    <option value="medium">medium</option>
                    <option value="high">high</option>
                    <option value="critical">critical</option>
                  </select>
                </label>
                <label>
                  <input
                    type="checkbox"
                    checked={filter.kev === true}
                    onChange={(e) => set({ kev: e.target.checked ? true : undefined })}
                  />
                  Known exploited only
                </label>
                <label>
                  Package
                  <input
                    value={filter.package ?? ''}
                    maxLength={256}
                    onChange={(e) => set({ package: e.target.value || undefined })}
                  />
                </label>
              </div>
            }
            footer={
              <div className="pager">
                <button
                  type="button"
                  className="button"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE))}
                >
                  Previous
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={page.next_offset === null}
                  onClick={() => setOffset(page.next_offset ?? offset)}
                >
                  Next
                </button>
              </div>
            }
          />
        )}
      </ResourceView>
    </div>
  );
}
