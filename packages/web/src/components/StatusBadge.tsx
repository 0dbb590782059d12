export function StatusBadge({ value }: { value: unknown }) {
  const s = typeof value === 'string' && value !== '' ? value : 'unknown';
  return <span className={`badge status-${s.replace(/[^a-z_-]/gi, '')}`}>{s.replaceAll('_', ' ')}</span>;
}
