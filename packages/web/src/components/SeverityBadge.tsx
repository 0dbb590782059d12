import { toSeverity } from '../lib/severity.ts';

export function SeverityBadge({ value }: { value: unknown }) {
  const s = toSeverity(value);
  if (!s) return <span className="badge">{typeof value === 'string' ? value : '—'}</span>;
  return <span className={`badge severity-${s}`}>{s}</span>;
}
