import { type FormEvent, useState } from 'react';
import { ADMIN_PATHS, type EnrollmentKeyRecord, secretOf } from '../../api/admin-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { useCan } from '../../auth/session-context.ts';
import { FormError } from '../../components/FormError.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { Column } from '../../components/table-types.ts';
import { enrollCommand } from '../../lib/agent-command.ts';
import { formatUtc, relativeTime } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';
import { RevokeButton } from './RevokeButton.tsx';
import { SecretReveal } from './SecretReveal.tsx';

export function EnrollmentKeysPanel() {
  const http = useHttp();
  const canManage = useCan('enrollment:manage');
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const reload = () => setVersion((v) => v + 1);

  const columns: Column<EnrollmentKeyRecord>[] = [
    { id: 'name', header: 'Name', render: (k) => k.name, sortValue: (k) => k.name },
    { id: 'prefix', header: 'Key starts with', render: (k) => <code>{k.prefix}</code> },
    {
      id: 'state',
      header: 'State',
      render: (k) => <StatusBadge value={k.state} />,
      sortValue: (k) => k.state,
    },
    {
      id: 'uses',
      header: 'Uses',
      numeric: true,
      render: (k) => `${k.uses}${k.max_uses !== null ? ` / ${k.max_uses}` : ''}`,
      sortValue: (k) => k.uses,
    },
    {
      id: 'created',
      header: 'Created',
      render: (k) => <time title={formatUtc(k.created_at)}>{relativeTime(k.created_at)}</time>,
      sortValue: (k) => k.created_at,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (k) =>
        k.state === 'revoked' || !canManage ? null : (
          <RevokeButton
            path={`${ADMIN_PATHS.enrollmentKeys}/${encodeURIComponent(k.id)}`}
            what={`key ${k.name}`}
            onDone={reload}
          />
        ),
    },
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = await http.post<unknown>(ADMIN_PATHS.enrollmentKeys, { name: name.trim() });
      setSecret(secretOf(body) ?? null);
      setName('');
      reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Enrollment keys</h2>
      <p className="muted">Agents enroll with a key once and then use their own per-device credentials.</p>
      {canManage && (
        <form className="inline-form" onSubmit={submit} aria-label="Create an enrollment key">
          <label>
            Name <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="button primary">
            Create key
          </button>
        </form>
      )}
      <FormError error={error} />
      {secret && (
        <SecretReveal
          label="New enrollment key."
          secret={secret}
          command={enrollCommand(window.location.origin, secret)}
        />
      )}
      <AdminList<EnrollmentKeyRecord>
        id="admin-enrollment-keys"
        caption="Enrollment keys"
        path={ADMIN_PATHS.enrollmentKeys}
        listKey="items"
        feature="The enrollment keys API"
        columns={columns}
        empty="No enrollment keys."
        version={version}
      />
    </section>
  );
}
