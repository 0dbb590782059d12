import { type FormEvent, useState } from 'react';
import { type AlertDetail, type Assignees, alertsApi } from '../api/alerts-api.ts';
import { useHttp } from '../api/http-context.ts';
import '../styles/triage.css';
import { useUser } from '../auth/session-context.ts';
import { FormError } from '../components/FormError.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useChange } from '../hooks/useChange.ts';
import { statusActions } from '../lib/alert-triage.ts';
import { assigneeNamer, parseAssigneeChoice } from './assignee-names.ts';

function AssigneeOptions({ assignees }: { assignees: Assignees | null }) {
  return (
    <>
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
    </>
  );
}

/** Status moves the server would accept, assignment and escalation of one alert. */
export function AlertTriage({
  alert,
  assignees,
  canTriage,
  onChanged,
}: {
  alert: AlertDetail;
  assignees: Assignees | null;
  canTriage: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const me = useUser();
  const names = assigneeNamer(assignees);
  const [reason, setReason] = useState('');
  const [assignTo, setAssignTo] = useState('');
  const [escalateTo, setEscalateTo] = useState('');
  const [escalateReason, setEscalateReason] = useState('');
  const { busy, error, run } = useChange(onChanged);
  const move = (status: string) =>
    run(async () => {
      await alertsApi.setStatus(http, alert.id, status, reason.trim() || undefined);
      setReason('');
    });
  const assign = (e: FormEvent) => {
    e.preventDefault();
    void run(() => alertsApi.assign(http, alert.id, parseAssigneeChoice(assignTo)));
  };
  const escalate = (e: FormEvent) => {
    e.preventDefault();
    const to = parseAssigneeChoice(escalateTo);
    void run(async () => {
      await alertsApi.escalate(
        http,
        alert.id,
        to.user_id ? { user_id: to.user_id } : { group_id: to.group_id ?? '' },
        escalateReason.trim(),
      );
      setEscalateReason('');
    });
  };

  const assignee = alert.assignee ?? { user_id: null, group_id: null };
  return (
    <section className="card" aria-labelledby="alert-triage">
      <h2 id="alert-triage">Triage</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge value={alert.status} />
        </dd>
        <dt>Assigned to</dt>
        <dd>{names.of(assignee)}</dd>
        <dt>Escalations</dt>
        <dd>{alert.escalation_level ?? 0}</dd>
        {alert.conclusion && (
          <>
            <dt>Conclusion</dt>
            <dd>{alert.conclusion}</dd>
          </>
        )}
      </dl>
      {canTriage && (
        <>
          <div className="stacked-form">
            <label>
              Reason (optional)
              <input value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
            </label>
            <fieldset className="button-row" aria-label="Change status">
              {statusActions(alert.status).map((a) => (
                <button
                  key={a.status}
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void move(a.status)}
                >
                  {a.label}
                </button>
              ))}
              {assignee.user_id !== me.id && (
                <button
                  type="button"
                  className="button ghost"
                  disabled={busy}
                  onClick={() =>
                    void run(() => alertsApi.assign(http, alert.id, { user_id: me.id, group_id: null }))
                  }
                >
                  Assign to me
                </button>
              )}
            </fieldset>
          </div>
          <form className="stacked-form" aria-label="Assign" onSubmit={assign}>
            <label>
              Assign to
              <select value={assignTo} onChange={(e) => setAssignTo(e.target.value)}>
                <option value="">Nobody</option>
                <AssigneeOptions assignees={assignees} />
              </select>
            </label>
            <button type="submit" className="button" disabled={busy}>
              Assign
            </button>
          </form>
          <form className="stacked-form" aria-label="Escalate" onSubmit={escalate}>
            <label>
              Escalate to
              <select value={escalateTo} onChange={(e) => setEscalateTo(e.target.value)}>
                <option value="">Choose…</option>
                <AssigneeOptions assignees={assignees} />
              </select>
            </label>
            <label>
              Why
              <textarea
                rows={2}
                value={escalateReason}
                maxLength={2000}
                onChange={(e) => setEscalateReason(e.target.value)}
              />
            </label>
            <button
              type="submit"
              className="button primary"
              disabled={busy || escalateTo === '' || escalateReason.trim() === ''}
            >
              Escalate
            </button>
          </form>
          <FormError error={error} />
        </>
      )}
    </section>
  );
}
