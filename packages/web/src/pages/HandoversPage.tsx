import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type Handover, type HandoverItem, handoversApi } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { parseRecipients } from '../cases/case-logic.ts';
import { useCaseAction } from '../cases/use-case-action.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatUtc } from '../lib/format.ts';

/** What the shift passed on, folded: counts first, the cases and alerts (linked) on demand. */
function OpenWork({ handover: h }: { handover: Handover }) {
  const summary = `${h.open_cases.length} case(s), ${h.open_alerts.length} alert(s)`;
  if (h.open_cases.length + h.open_alerts.length === 0) return <>{summary}</>;
  const item = (kind: 'cases' | 'alerts', i: HandoverItem) => (
    <li key={i.id}>
      <SeverityBadge value={i.severity} /> <Link to={`/${kind}/${encodeURIComponent(i.id)}`}>{i.title}</Link>{' '}
      <span className="muted">{i.status.replaceAll('_', ' ')}</span>
    </li>
  );
  return (
    <details>
      <summary>{summary}</summary>
      <ul className="recent-list">
        {h.open_cases.map((i) => item('cases', i))}
        {h.open_alerts.map((i) => item('alerts', i))}
      </ul>
    </details>
  );
}

const COLUMNS: Column<Handover>[] = [
  { id: 'written', header: 'Written', render: (h) => formatUtc(h.created_at) },
  {
    id: 'shift',
    header: 'Shift',
    render: (h) => `${formatUtc(h.shift_start)} – ${formatUtc(h.shift_end)}`,
  },
  { id: 'notes', header: 'Notes', render: (h) => <span style={{ whiteSpace: 'pre-wrap' }}>{h.notes}</span> },
  { id: 'open', header: 'Open work', render: (h) => <OpenWork handover={h} /> },
  { id: 'recipients', header: 'Recipients', render: (h) => h.recipients.join(', ') || '—' },
];

/** How the e-mail went (the reason on hover), and a second try for a failed one. */
function Delivery({
  handover: h,
  canSend,
  onSent,
}: {
  handover: Handover;
  canSend: boolean;
  onSent: () => void;
}) {
  const http = useHttp();
  const { run, error } = useCaseAction(onSent);
  return (
    <>
      <span title={h.delivery.error ?? undefined}>
        <StatusBadge value={h.delivery.status} />
      </span>
      {canSend && h.delivery.status === 'failed' && (
        <button
          type="button"
          className="button ghost"
          onClick={() => void run(() => handoversApi.resend(http, h.id))}
        >
          Send again
        </button>
      )}
      <FormError error={error} />
    </>
  );
}

function HandoverForm({ onCreated }: { onCreated: () => void }) {
  const http = useHttp();
  const [notes, setNotes] = useState('');
  const [recipients, setRecipients] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Handover | null>(null);
  const parsed = parseRecipients(recipients);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const h = await handoversApi.create(http, { notes: notes.trim(), recipients: parsed.valid });
      setResult(h);
      setNotes('');
      setRecipients('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Write a handover" onSubmit={submit}>
      <h2>Hand over the shift</h2>
      <p className="muted">The open alerts and cases are listed automatically when you send.</p>
      <label>
        Notes for the next shift
        <textarea rows={4} value={notes} maxLength={20_000} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <label>
        Recipients (e-mail addresses)
        <input
          value={recipients}
          placeholder="next-shift@example.com, lead@example.com"
          onChange={(e) => setRecipients(e.target.value)}
        />
      </label>
      {parsed.invalid.length > 0 && (
        <p className="form-error" role="alert">
          Not e-mail addresses: {parsed.invalid.join(', ')}
        </p>
      )}
      <button type="submit" className="button primary" disabled={!notes.trim() || parsed.invalid.length > 0}>
        Hand over
      </button>
      {result && (
        <p className="notice" role="status">
          Handover saved with {result.open_cases.length} open case(s) and {result.open_alerts.length} open
          alert(s); e-mail {result.delivery.status.replaceAll('_', ' ')}
          {result.delivery.error ? `: ${result.delivery.error}` : '.'}
        </p>
      )}
      <FormError error={error} />
    </form>
  );
}

/** Shift handovers (seed 004): write one, see the history and how each e-mail went. */
export function HandoversPage() {
  const http = useHttp();
  const canWrite = useCan('cases:write');
  const [version, setVersion] = useState(0);
  const list = usePagedList<Handover>(
    ({ cursor, limit, signal }) => handoversApi.list(http, cursor, limit, signal),
    `handovers|${version}`,
  );
  return (
    <>
      <PageHeader title="Shift handovers" />
      {canWrite && list.resource.status !== 'unavailable' && (
        <HandoverForm onCreated={() => setVersion((v) => v + 1)} />
      )}
      <ResourceView state={list.resource} feature="The handovers API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="handovers"
            caption="Handover history"
            columns={[
              ...COLUMNS,
              {
                id: 'delivery',
                header: 'E-mail',
                render: (h) => (
                  <Delivery handover={h} canSend={canWrite} onSent={() => setVersion((v) => v + 1)} />
                ),
              },
            ]}
            rows={page.items}
            rowKey={(h) => h.id}
            empty="No handovers yet."
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
