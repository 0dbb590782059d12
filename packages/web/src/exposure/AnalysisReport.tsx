import { Link } from 'react-router';
import { type Analysis, formatBytes } from './exposure-api.ts';

const VERDICT_LABEL = { clean: 'Clean', suspicious: 'Suspicious', malicious: 'Malicious' } as const;

/** One stored analysis: verdict and reasons first, then the facts they rest on. */
export function AnalysisReport({ analysis }: { analysis: Analysis }) {
  const r = analysis.report;
  return (
    <article className="card" aria-label={`Analysis of ${analysis.name}`}>
      <h2>
        {analysis.name}{' '}
        <span className={`badge verdict-${analysis.verdict}`} data-verdict={analysis.verdict}>
          {VERDICT_LABEL[analysis.verdict]}
        </span>
      </h2>
      {analysis.alert_id && (
        <p>
          Raised <Link to={`/alerts/${encodeURIComponent(analysis.alert_id)}`}>an alert</Link>.
        </p>
      )}
      {analysis.case_id && (
        <p>
          Linked to <Link to={`/cases/${encodeURIComponent(analysis.case_id)}`}>a case</Link>.
        </p>
      )}
      <h3>Why</h3>
      {r.reasons.length === 0 ? (
        <p>Nothing found that points to harm.</p>
      ) : (
        <ul aria-label="Reasons">
          {r.reasons.map((x) => (
            <li key={`${x.level}:${x.reason}`} data-level={x.level}>
              <strong>{x.level}</strong> {x.reason}
            </li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Size</dt>
        <dd>{formatBytes(analysis.size)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">{analysis.sha256}</dd>
        {r.md5 && (
          <>
            <dt>MD5 · SHA-1</dt>
            <dd className="mono">
              {r.md5} · {r.sha1}
            </dd>
          </>
        )}
        {r.type && (
          <>
            <dt>Type</dt>
            <dd>
              {r.type.description} ({r.type.mime})
            </dd>
          </>
        )}
        {r.entropy !== undefined && (
          <>
            <dt>Entropy</dt>
            <dd>{r.entropy} bits per byte</dd>
          </>
        )}
        {r.authentication && (
          <>
            <dt>SPF · DKIM · DMARC</dt>
            <dd>
              {r.authentication.spf ?? 'none'} · {r.authentication.dkim ?? 'none'} ·{' '}
              {r.authentication.dmarc ?? 'none'}
            </dd>
            <dt>From</dt>
            <dd>{r.from ?? '—'}</dd>
          </>
        )}
      </dl>
      {r.pe && (
        <section aria-label="PE headers">
          <h3>PE headers</h3>
          <p>
            {r.pe.format} {r.pe.machine}, {r.pe.subsystem}, linked{' '}
            {new Date(r.pe.timestamp * 1000).toISOString()}
          </p>
          <p>
            Sections:{' '}
            {r.pe.sections
              .map(
                (s) => `${s.name}${s.executable ? ' (x)' : ''}${s.entropy !== null ? ` H=${s.entropy}` : ''}`,
              )
              .join(', ')}
          </p>
          {r.pe.imports.length > 0 && (
            <ul aria-label="Imports">
              {r.pe.imports.map((i) => (
                <li key={i.dll}>
                  <strong>{i.dll}</strong>: {i.functions.slice(0, 30).join(', ')}
                  {i.functions.length > 30 ? ` … (${i.functions.length})` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {r.elf && (
        <section aria-label="ELF headers">
          <h3>ELF headers</h3>
          <p>
            {r.elf.bits}-bit {r.elf.type} for {r.elf.machine}; interpreter {r.elf.interpreter ?? 'none'}
            {r.elf.stripped ? '; stripped' : ''}
          </p>
        </section>
      )}
      {r.links && r.links.length > 0 && (
        <section aria-label="Links">
          <h3>Links</h3>
          <ul>
            {r.links.map((l) => (
              <li key={l.href}>
                <span className="mono">{l.href}</span>
                {l.problems.length > 0 && ` — ${l.problems.join('; ')}`}
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.attachments && r.attachments.length > 0 && (
        <section aria-label="Attachments">
          <h3>Attachments</h3>
          <ul>
            {r.attachments.map((a) => (
              <li key={`${a.filename}:${a.report.sha256}`}>
                {a.filename} ({a.contentType}): {a.report.verdict}
                {a.problems.length > 0 && ` — ${a.problems.join('; ')}`}
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.strings && (r.strings.urls.length > 0 || r.strings.ipv4.length > 0) && (
        <section aria-label="Embedded addresses">
          <h3>Embedded addresses</h3>
          <ul>
            {[...r.strings.urls, ...r.strings.ipv4, ...r.strings.emails].slice(0, 50).map((u) => (
              <li key={u} className="mono">
                {u}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
