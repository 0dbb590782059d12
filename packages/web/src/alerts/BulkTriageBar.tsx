import { useState } from 'react';
import { type Assignees, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import '../styles/triage.css';
import { FormError } from '../components/FormError.tsx';
import { BULK_STATUSES, bulkSummary } from '../lib/alert-triage.ts';
import { parseAssigneeChoice } from './assignee-names.ts';

/** Status or assignee change for the selected alerts; the server answers per alert. */
export function BulkTriageBar({
  selected,
  assignees,
  onDone,
  onClear,
}: {
  selected: string[];
  assignees: Assignees | null;
  onDone: () => void;
  onClear: () => void;
}) {
  const http = useHttp();
  const [status, setStatus] = useState('');
  const [assignTo, setAssignTo] = useState('');
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const apply = async (work: () => ReturnType<typeof alertsApi.bulkStatus>) => {
    setBusy(true);
    setError(null);
    try {
      setSummary(bulkSummary(await work()));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset className="filters" aria-label="Bulk triage">
      <span>{selected.length} selected</span>
      <label>
        Set status{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Choose…</option>
          {BULK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button"
        disabled={busy || selected.length === 0 || status === ''}
        onClick={() => void apply(() => alertsApi.bulkStatus(http, selected, status))}
      >
        Apply status
      </button>
      <label>
        Assign selected to{' '}
        <select value={assignTo} onChange={(e) => setAssignTo(e.target.value)}>
          <option value="">Nobody</option>
          {(assignees?.users ?? []).map((u) => (
            <option key={u.id} value={`user:${u.id}`}>
              {u.display_name || u.email}
            </option>
          ))}
          {(assignees?.groups ?? []).map((g) => (
            <option key={g.id} value={`group:${g.id}`}>
              Group: {g.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button"
        disabled={busy || selected.length === 0}
        onClick={() => void apply(() => alertsApi.bulkAssign(http, selected, parseAssigneeChoice(assignTo)))}
      >
        Assign
      </button>
      <button type="button" className="button ghost" onClick={onClear} disabled={selected.length === 0}>
        Clear selection
      </button>
      {summary && (
        <output className="muted" aria-live="polite">
          {summary}
        </output>
      )}
      <FormError error={error} />
    </fieldset>
  );
}
