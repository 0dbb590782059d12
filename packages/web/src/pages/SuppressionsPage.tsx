import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { rulesApi, type Suppression } from '../api/rules-api.ts';
import { useCan } from '../auth/session-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import type { Column } from '../components/table-types.ts';
import { useChange } from '../hooks/useChange.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import { formatNumber, formatUtc, relativeTime } from '../lib/format.ts';
import '../styles/controls.css';
import '../styles/rules.css';

const EXPIRIES = [
  { id: '', label: 'Never' },
  { id: '1', label: '1 day' },
  { id: '7', label: '7 days' },
  { id: '30', label: '30 days' },
  { id: '90', label: '90 days' },
];

/** `field=value` per line (several values: `field=a, b`) → the API's conditions object. */
export function parseConditions(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .forEach((line, i) => {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`Line ${i + 1}: write field=value.`);
      const field = line.slice(0, eq).trim();
      const values = line
        .slice(eq + 1)
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (values.length === 0) throw new Error(`Line ${i + 1}: ${field} needs a value.`);
      out[field] = values.length === 1 ? values[0]! : values;
    });
  return out;
}

function conditionText(c: Record<string, unknown>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.length ? parts.join('; ') : '—';
}

function CreateForm({ onCreated }: { onCreated: () => void }) {
  const http = useHttp();
  const [ruleId, setRuleId] = useState('');
  const [conditions, setConditions] = useState('');
  const [reason, setReason] = useState('');
  const [expiry, setExpiry] = useState('7');
  const [error, setError] = useState<unknown>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setInputError(null);
    let parsed: Record<string, string | string[]>;
    try {
      parsed = parseConditions(conditions);
    } catch (err) {
      setInputError((err as Error).message);
      return;
    }
    if (!ruleId.trim() && Object.keys(parsed).length === 0) {
      setInputError('Give a rule id, conditions, or both: a suppression of everything is not allowed.');
      return;
    }
    try {
      await rulesApi.createSuppression(http, {
        rule_id: ruleId.trim() || null,
        conditions: parsed,
        reason: reason.trim(),
        expires_at: expiry ? new Date(Date.now() + Number(expiry) * 86_400_000).toISOString() : null,
      });
      setRuleId('');
      setConditions('');
      setReason('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card stacked-form" aria-label="Add a suppression" onSubmit={submit}>
      <h2>Add a suppression</h2>
      <label>
        Rule id (Sigma id; empty for every rule)
        <input value={ruleId} onChange={(e) => setRuleId(e.target.value)} maxLength={256} />
      </label>
      <label>
        Conditions (one field=value per line; * wildcards)
        <textarea
          className="code"
          rows={3}
          value={conditions}
          placeholder={'User=backup-svc\nImage=*\\rsync'}
          onChange={(e) => setConditions(e.target.value)}
        />
      </label>
      <label>
        Reason
        <input required value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label>
        Expires after
        <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRIES.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button primary" disabled={!reason.trim()}>
        Add suppression
      </button>
      {inputError && (
        <p className="form-error" role="alert">
          {inputError}
        </p>
      )}
      <FormError error={error} />
    </form>
  );
}

/** `/rules/suppressions`: exceptions applied before an alert is raised, with what they held back. */
export function SuppressionsPage() {
  const http = useHttp();
  const canWrite = useCan('rules:write');
  const [version, setVersion] = useState(0);
  const removal = useChange(() => setVersion((v) => v + 1));
  const list = usePagedList<Suppression>(
    ({ cursor, limit, signal }) => rulesApi.suppressions(http, cursor, limit, signal),
    String(version),
  );
  const columns: Column<Suppression>[] = [
    {
      id: 'rule',
      header: 'Rule',
      render: (s) => s.rule_id ?? 'Every rule',
      sortValue: (s) => s.rule_id ?? '',
    },
    {
      id: 'conditions',
      header: 'Conditions',
      render: (s) => <span className="mono">{conditionText(s.conditions)}</span>,
    },
    { id: 'reason', header: 'Reason', render: (s) => s.reason, sortValue: (s) => s.reason },
    {
      id: 'expires',
      header: 'Expires',
      render: (s) =>
        s.expires_at ? (
          <span title={formatUtc(s.expires_at)}>{s.expired ? 'expired' : formatUtc(s.expires_at)}</span>
        ) : (
          'never'
        ),
      sortValue: (s) => s.expires_at ?? '',
    },
    {
      id: 'count',
      header: 'Held back',
      numeric: true,
      render: (s) => formatNumber(s.suppressed_count),
      sortValue: (s) => s.suppressed_count,
    },
    {
      id: 'last',
      header: 'Last held back',
      render: (s) => relativeTime(s.last_suppressed_at),
      hiddenByDefault: true,
    },
    ...(canWrite
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (s: Suppression) => (
              <button
                type="button"
                className="button small danger"
                aria-label={`Delete the suppression: ${s.reason}`}
                disabled={removal.busy}
                onClick={() => {
                  if (window.confirm(`Delete the suppression "${s.reason}"?`)) {
                    void removal.run(() => rulesApi.deleteSuppression(http, s.id));
                  }
                }}
              >
                Delete
              </button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader title="Suppressions">
        <Link to="/rules" className="button ghost">
          ‹ Rules
        </Link>
      </PageHeader>
      {canWrite && <CreateForm onCreated={() => setVersion((v) => v + 1)} />}
      <FormError error={removal.error} />
      <ResourceView state={list.resource} feature="The suppressions API" onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id="suppressions"
            caption="Suppressions"
            columns={columns}
            rows={page.items}
            rowKey={(s) => s.id}
            empty="No suppressions: every match raises its alert."
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
