import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { RESPONSE_ACTIONS, responseApi } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormError } from '../components/FormError.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useChange } from '../hooks/useChange.ts';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc, relativeTime } from '../lib/format.ts';
import '../styles/controls.css';

const OPEN = new Set(['pending', 'queued', 'delivered']);

interface Pending {
  type: string;
  params: Record<string, unknown>;
  reason: string;
}

/** What a queued action will do, in words, for the confirmation. */
export function describeAction(p: Pending, hostname: string): string {
  const label = RESPONSE_ACTIONS.find((a) => a.type === p.type)?.label ?? p.type;
  if (p.type === 'kill_process') return `${label} (PID ${String(p.params.pid)}) on ${hostname}`;
  if (p.type === 'run_command') return `${label} on ${hostname}: ${String(p.params.command)}`;
  return `${label}: ${hostname}`;
}

function paramsFor(type: string, pid: string, command: string): Record<string, unknown> | string {
  if (type === 'kill_process') {
    const n = Number(pid);
    if (!Number.isInteger(n) || n <= 1) return 'Give the process id (a whole number above 1).';
    return { pid: n };
  }
  if (type === 'run_command') {
    if (!command.trim()) return 'Give the command (its program must be on the policy’s approved list).';
    return { command: command.trim() };
  }
  return {};
}

/**
 * The endpoint's response actions: the queue (newest first, open ones cancellable) and a form
 * that asks for confirmation before anything is sent to the agent.
 */
export function ResponseActionsCard({ deviceId, hostname }: { deviceId: string; hostname: string }) {
  const http = useHttp();
  const canExecute = useCan('response:execute');
  const [version, setVersion] = useState(0);
  const actions = useResource((signal) => responseApi.actions(http, deviceId, signal), [deviceId, version]);
  const settings = useResource((signal) => responseApi.settings(http, signal), []);
  const off = settings.status === 'ready' && !settings.data.enabled;
  const [type, setType] = useState<string>('isolate');
  const [pid, setPid] = useState('');
  const [command, setCommand] = useState('');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const ask = (e: FormEvent) => {
    e.preventDefault();
    setInputError(null);
    setNotice(null);
    const params = paramsFor(type, pid, command);
    if (typeof params === 'string') {
      setInputError(params);
      return;
    }
    setPending({ type, params, reason: reason.trim() });
  };
  const send = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await responseApi.queue(http, deviceId, {
        type: pending.type,
        params: pending.params,
        ...(pending.reason ? { reason: pending.reason } : {}),
      });
      setNotice(`Queued: ${describeAction(pending, hostname)}. The agent picks it up on its next poll.`);
      setReason('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };
  const cancellation = useChange(() => setVersion((v) => v + 1));

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Response actions</h2>
      {off && (
        <p className="notice">
          Response actions are off for this organization (<Link to="/policies">Policies</Link>): agents only
          monitor.
        </p>
      )}
      {canExecute && !off && (
        <form className="inline-form" aria-label="Queue a response action" onSubmit={ask}>
          <label>
            Action
            <select value={type} onChange={(e) => setType(e.target.value)}>
              {RESPONSE_ACTIONS.map((a) => (
                <option key={a.type} value={a.type}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
          {type === 'kill_process' && (
            <label>
              Process id
              <input inputMode="numeric" value={pid} onChange={(e) => setPid(e.target.value)} size={8} />
            </label>
          )}
          {type === 'run_command' && (
            <label>
              Command
              <input
                value={command}
                onChange={(e) => setCommand(e.target.value)}
                placeholder="/usr/bin/uptime"
              />
            </label>
          )}
          <label>
            Reason
            <input value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="button">
            Queue action…
          </button>
        </form>
      )}
      {inputError && (
        <p className="form-error" role="alert">
          {inputError}
        </p>
      )}
      <FormError error={error ?? cancellation.error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ResourceView state={actions} feature="Response actions" onRetry={actions.reload}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No response actions for this endpoint.</p>
          ) : (
            <table className="data-table compact">
              <caption className="visually-hidden">Response actions of {hostname}</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Status</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Reason</th>
                  <th scope="col">
                    <span className="visually-hidden">Cancel</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((a) => (
                  <tr key={a.id}>
                    <td>{a.type.replaceAll('_', ' ')}</td>
                    <td>
                      <StatusBadge value={a.status} />
                      {a.error && <span className="muted small"> {a.error}</span>}
                    </td>
                    <td title={formatUtc(a.created_at)}>{relativeTime(a.created_at)}</td>
                    <td>{a.reason ?? '—'}</td>
                    <td>
                      {canExecute && OPEN.has(a.status) && (
                        <button
                          type="button"
                          className="button small"
                          disabled={cancellation.busy}
                          onClick={() => cancellation.run(() => responseApi.cancel(http, a.id))}
                          aria-label={`Cancel ${a.type.replaceAll('_', ' ')}`}
                        >
                          Cancel
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </ResourceView>
      {pending && (
        <ConfirmDialog
          title="Send this response action?"
          confirmLabel="Send to the agent"
          danger
          busy={busy}
          onConfirm={send}
          onCancel={() => setPending(null)}
        >
          <p>
            <strong>{describeAction(pending, hostname)}</strong>
          </p>
          <p className="muted">
            The agent runs it on the endpoint when it next asks for work. Every action is audited
            {pending.reason ? '' : '; a reason helps the next analyst'}.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
