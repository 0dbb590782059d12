import type { ResourceState } from '../hooks/resource-state.ts';

interface Props {
  label: string;
  state: ResourceState<{ value: number }>;
  format?: (n: number) => string;
  hint?: string;
}

/** One figure; shows a dash with the reason instead of a made-up number when the API cannot answer. */
export function KpiCard({ label, state, format = (n) => n.toLocaleString('en-US'), hint }: Props) {
  let body: string;
  let note: string | undefined = hint;
  switch (state.status) {
    case 'ready':
      body = format(state.data.value);
      break;
    case 'loading':
      body = '…';
      break;
    case 'unavailable':
      body = '—';
      note = 'Not available on this server yet';
      break;
    case 'forbidden':
      body = '—';
      note = 'Not allowed';
      break;
    default:
      body = '—';
      note = 'Could not load';
  }
  return (
    <section className="kpi-card" aria-label={label}>
      <h2>{label}</h2>
      <p className="kpi-value">{body}</p>
      {note && <p className="kpi-note">{note}</p>}
    </section>
  );
}
