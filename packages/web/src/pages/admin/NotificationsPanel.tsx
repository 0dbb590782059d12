import { type FormEvent, useState } from 'react';
import { useHttp } from '../../api/http-context.ts';
import {
  DEFAULT_EVENTS,
  type DeliveryRecord,
  type EmailDestinationRecord,
  NOTIFIABLE_EVENTS,
  NOTIFICATION_PATHS,
  parseRecipients,
  type WebhookRecord,
} from '../../api/notifications-api.ts';
import { FormError } from '../../components/FormError.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { Column } from '../../components/table-types.ts';
import { formatUtc, relativeTime } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';
import { SecretReveal } from './SecretReveal.tsx';

const SEVERITIES = ['', 'low', 'medium', 'high', 'critical'] as const;

type Kind = 'webhooks' | 'email';

/** Webhook and e-mail destinations, each with its delivery log and a test button. */
export function NotificationsPanel() {
  return (
    <section aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <p className="muted">
        New alerts, escalations, assignments and case changes, sent as signed webhooks or by e-mail.
      </p>
      <Destinations kind="webhooks" />
      <Destinations kind="email" />
    </section>
  );
}

function Destinations({ kind }: { kind: Kind }) {
  const http = useHttp();
  const base = NOTIFICATION_PATHS[kind];
  const label = kind === 'webhooks' ? 'webhook' : 'e-mail destination';
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<{ id: string; name: string } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const reload = () => setVersion((v) => v + 1);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const test = (d: { id: string; name: string }) =>
    act(async () => {
      const r = await http.post<DeliveryRecord>(`${base}/${encodeURIComponent(d.id)}/test`);
      setOutcome(
        r.status === 'delivered'
          ? `Test sent to ${d.name}.`
          : `Test to ${d.name} failed: ${r.last_error ?? r.status}.`,
      );
      setLogOf({ id: d.id, name: d.name });
    });

  type Row = WebhookRecord | EmailDestinationRecord;
  const columns: Column<Row>[] = [
    { id: 'name', header: 'Name', render: (d) => d.name, sortValue: (d) => d.name },
    kind === 'webhooks'
      ? { id: 'url', header: 'URL', render: (d) => <code>{(d as WebhookRecord).url}</code> }
      : {
          id: 'recipients',
          header: 'Recipients',
          render: (d) => (d as EmailDestinationRecord).recipients.join(', '),
        },
    { id: 'events', header: 'Events', render: (d) => d.event_types.join(', ') },
    { id: 'min', header: 'Minimum severity', render: (d) => d.min_severity ?? 'any' },
    {
      id: 'state',
      header: 'State',
      render: (d) => <StatusBadge value={d.enabled ? 'enabled' : 'disabled'} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (d) => (
        <span className="row-actions">
          <button
            type="button"
            className="button"
            onClick={() => test(d)}
            aria-label={`Send a test to ${d.name}`}
          >
            Test
          </button>
          <button
            type="button"
            className="button"
            aria-label={`Deliveries of ${d.name}`}
            onClick={() => setLogOf({ id: d.id, name: d.name })}
          >
            Deliveries
          </button>
          <button
            type="button"
            className="button"
            aria-label={`${d.enabled ? 'Disable' : 'Enable'} ${d.name}`}
            onClick={() =>
              act(() => http.patch(`${base}/${encodeURIComponent(d.id)}`, { enabled: !d.enabled }))
            }
          >
            {d.enabled ? 'Disable' : 'Enable'}
          </button>
          {kind === 'webhooks' && (
            <button
              type="button"
              className="button"
              aria-label={`New secret for ${d.name}`}
              onClick={() =>
                act(async () => {
                  if (!window.confirm(`Replace the signing secret of ${d.name}? The old one stops working.`))
                    return;
                  const r = await http.post<{ secret: string }>(
                    `${base}/${encodeURIComponent(d.id)}/rotate-secret`,
                  );
                  setSecret(r.secret);
                })
              }
            >
              New secret
            </button>
          )}
          <button
            type="button"
            className="button danger"
            aria-label={`Delete ${d.name}`}
            onClick={() =>
              act(async () => {
                if (!window.confirm(`Delete ${label} ${d.name} and its delivery log?`)) return;
                await http.delete(`${base}/${encodeURIComponent(d.id)}`);
                if (logOf?.id === d.id) setLogOf(null);
              })
            }
          >
            Delete
          </button>
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby={`${kind}-title`}>
      <h3 id={`${kind}-title`}>{kind === 'webhooks' ? 'Webhooks' : 'E-mail'}</h3>
      <CreateForm
        kind={kind}
        onCreated={(s) => {
          setSecret(s);
          reload();
        }}
      />
      <FormError error={error} />
      {secret && <SecretReveal label="Webhook signing secret." secret={secret} />}
      {outcome && <p role="status">{outcome}</p>}
      <AdminList<Row>
        id={`admin-notifications-${kind}`}
        caption={kind === 'webhooks' ? 'Webhooks' : 'E-mail destinations'}
        path={base}
        listKey="items"
        feature="The notifications API"
        columns={columns}
        empty={`No ${label}s.`}
        version={version}
      />
      {logOf && (
        <DeliveryLog
          path={`${base}/${encodeURIComponent(logOf.id)}/deliveries`}
          name={logOf.name}
          version={version}
        />
      )}
    </section>
  );
}

function CreateForm({ kind, onCreated }: { kind: Kind; onCreated: (secret: string | null) => void }) {
  const http = useHttp();
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [events, setEvents] = useState<string[]>([...DEFAULT_EVENTS]);
  const [minSeverity, setMinSeverity] = useState('');
  const [error, setError] = useState<unknown>(null);
  const title = kind === 'webhooks' ? 'New webhook' : 'New e-mail destination';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = await http.post<{ secret?: string }>(NOTIFICATION_PATHS[kind], {
        name: name.trim(),
        ...(kind === 'webhooks' ? { url: target.trim() } : { recipients: parseRecipients(target) }),
        event_types: events,
        min_severity: minSeverity === '' ? null : minSeverity,
      });
      onCreated(typeof body.secret === 'string' ? body.secret : null);
      setName('');
      setTarget('');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label={title}>
      <label>
        Name <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {kind === 'webhooks' ? 'URL' : 'Recipients'}{' '}
        <input
          required
          type={kind === 'webhooks' ? 'url' : 'text'}
          placeholder={
            kind === 'webhooks'
              ? 'https://soar.example.com/hooks/harrier'
              : 'soc@example.com, lead@example.com'
          }
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>Events</legend>
        {NOTIFIABLE_EVENTS.map((t) => (
          <label key={t}>
            <input
              type="checkbox"
              checked={events.includes(t)}
              onChange={(e) =>
                setEvents((prev) => (e.target.checked ? [...prev, t] : prev.filter((x) => x !== t)))
              }
            />{' '}
            {t}
          </label>
        ))}
      </fieldset>
      <label>
        Minimum severity{' '}
        <select value={minSeverity} onChange={(e) => setMinSeverity(e.target.value)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s === '' ? 'any' : s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button primary" disabled={events.length === 0}>
        {kind === 'webhooks' ? 'Add webhook' : 'Add e-mail destination'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function DeliveryLog({ path, name, version }: { path: string; name: string; version: number }) {
  const columns: Column<DeliveryRecord>[] = [
    {
      id: 'created',
      header: 'Queued',
      render: (d) => <time title={formatUtc(d.created_at)}>{relativeTime(d.created_at)}</time>,
    },
    { id: 'event', header: 'Event', render: (d) => d.event_type },
    { id: 'status', header: 'Status', render: (d) => <StatusBadge value={d.status} /> },
    { id: 'attempts', header: 'Attempts', numeric: true, render: (d) => d.attempts },
    { id: 'http', header: 'HTTP', numeric: true, render: (d) => d.response_status ?? '—' },
    { id: 'error', header: 'Last error', render: (d) => d.last_error ?? '' },
    {
      id: 'next',
      header: 'Next attempt',
      render: (d) => (d.next_attempt_at ? formatUtc(d.next_attempt_at) : '—'),
    },
  ];
  return (
    <AdminList<DeliveryRecord>
      id="admin-notification-deliveries"
      caption={`Deliveries of ${name}`}
      path={path}
      listKey="items"
      feature="The delivery log"
      columns={columns}
      empty="Nothing sent yet."
      version={version}
    />
  );
}
