import { useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { useResource } from '../hooks/useResource.ts';
import { relativeTime } from '../lib/format.ts';
import { exposureApi } from './exposure-api.ts';

/** An endpoint's vulnerability risk, findings, hardware facts and installed software. */
export function EndpointInventoryCard({ id }: { id: string }) {
  const http = useHttp();
  const [q, setQ] = useState('');
  const vulns = useResource((signal) => exposureApi.deviceVulnerabilities(http, id, signal), [id]);
  const inventory = useResource((signal) => exposureApi.inventory(http, id, q, signal), [id, q]);
  return (
    <section className="card" aria-labelledby="endpoint-inventory">
      <h2 id="endpoint-inventory">Inventory and vulnerabilities</h2>
      <ResourceView state={vulns} feature="Vulnerabilities">
        {(v) => (
          <>
            <p>
              Vulnerability risk {v.risk.score} / 100{' '}
              {v.risk.level === 'none' ? null : <SeverityBadge value={v.risk.level} />} · {v.risk.findings}{' '}
              findings, {v.risk.kev} known exploited · <Link to="/vulnerabilities">all findings</Link>
            </p>
            {v.findings.length > 0 && (
              <ul aria-label="Findings">
                {v.findings.slice(0, 20).map((f) => (
                  <li key={`${f.advisory_id}|${f.package}`}>
                    <SeverityBadge value={f.severity} /> {f.known_exploited ? <strong>KEV</strong> : null}{' '}
                    {f.package} <span className="mono">{f.installed_version}</span> — {f.advisory_id}
                    {f.fixed_versions.length > 0 ? ` (fixed in ${f.fixed_versions.join(', ')})` : ''}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </ResourceView>
      <ResourceView state={inventory} feature="Software inventory">
        {(inv) => (
          <>
            {inv.hardware && (
              <p className="muted">
                {Object.entries(inv.hardware)
                  .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
                  .slice(0, 12)
                  .map(([key, value]) => `${key}: ${value}`)
                  .join(' · ')}
                {inv.hardware_collected_at ? ` (reported ${relativeTime(inv.hardware_collected_at)})` : ''}
              </p>
            )}
            <label>
              Search packages
              <input value={q} maxLength={256} onChange={(e) => setQ(e.target.value)} />
            </label>
            {inv.software.length === 0 ? (
              <p className="muted">
                No software reported{q ? ' matching the search' : ' by this endpoint’s agent yet'}.
              </p>
            ) : (
              <table className="data-table" aria-label="Installed software">
                <thead>
                  <tr>
                    <th>Package</th>
                    <th>Version</th>
                    <th>Source</th>
                  </tr>
                </thead>
                <tbody>
                  {inv.software.slice(0, 200).map((s) => (
                    <tr key={`${s.source}|${s.name}|${s.arch ?? ''}`}>
                      <td>{s.name}</td>
                      <td className="mono">{s.version}</td>
                      <td>{s.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {inv.software.length > 200 && (
              <p className="muted">First 200 of {inv.software.length}; search to narrow.</p>
            )}
          </>
        )}
      </ResourceView>
    </section>
  );
}
