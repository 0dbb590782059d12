import { type FormEvent, useState } from 'react';
import { ADMIN_PATHS, type ApiTokenRecord, secretOf } from '../../api/admin-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { useCan } from '../../auth/session-context.ts';
import { FormError } from '../../components/FormError.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { Column } from '../../components/table-types.ts';
import { formatUtc, relativeTime, toDate } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';
import { RevokeButton } from './RevokeButton.tsx';
import { SecretReveal } from './SecretReveal.tsx';

export function ApiTokensPanel() {
  const http = useHttp();
  const canManage = useCan('tokens:manage');
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const reload = () => setVersion((v) => v + 1);

  const columns: Column<ApiTokenRecord>[] = [
    { id: 'name', header: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
    { id: 'prefix', header: 'Token starts with', render: (t) => <code>{t.prefix}</code> },
    {
      id: 'state',
      header: 'State',
      render: (t) => <StatusBadge value={t.revoked_at ? 'revoked' : 'active'} />,
    },
    {
      id: 'expires',
      header: 'Expires',
      render: (t) => (t.expires_at ? formatUtc(t.expires_at) : 'never'),
      sortValue: (t) => toDate(t.expires_at)?.getTime() ?? null,
    },
    {
      id: 'last_used',
      header: 'Last used',
      render: (t) => <time title={formatUtc(t.last_used_at)}>{relativeTime(t.last_used_at)}</time>,
      sortValue: (t) => toDate(t.last_used_at)?.getTime() ?? null,
    },
    {
      id: 'permissions',
      header: 'Permissions',
      hiddenByDefault: true,
      render: (t) => t.permissions.join(', '),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (t) =>
        t.revoked_at ? null : (
          <RevokeButton
            path={`${ADMIN_PATHS.tokens}/${encodeURIComponent(t.id)}`}
            what={`token ${t.name}`}
            onDone={reload}
          />
        ),
    },
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = await http.post<unknown>(ADMIN_PATHS.tokens, {
        name: name.trim(),
        ...(days === 'never' ? {} : { expires_in_days: Number(days) }),
      });
      setSecret(secretOf(body) ?? null);
      setName('');
      reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">For scripts and automation; a token can never do more than you can.</p>
      {canManage && (
        <form className="inline-form" onSubmit={submit} aria-label="Create an API token">
          <label>
            Name <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Expires in{' '}
            <select value={days} onChange={(e) => setDays(e.target.value)}>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
              <option value="365">1 year</option>
              <option value="never">never</option>
            </select>
          </label>
          <button type="submit" className="button primary">
            Create token
          </button>
        </form>
      )}
      <FormError error={error} />
      {secret && <SecretReveal label="New API token." secret={secret} />}
      <AdminList<ApiTokenRecord>
        id="admin-tokens"
        caption="API tokens"
        path={ADMIN_PATHS.tokens}
        listKey="items"
        feature="The API tokens API"
        columns={columns}
        empty="No API tokens."
        version={version}
      />
    </section>
  );
}
