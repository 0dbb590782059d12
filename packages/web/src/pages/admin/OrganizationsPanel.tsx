import { type FormEvent, useState } from 'react';
import { useHttp } from '../../api/http-context.ts';
import { FormError } from '../../components/FormError.tsx';
import type { Column } from '../../components/table-types.ts';
import { formatUtc } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';

interface OrganizationRecord {
  id: string;
  slug: string;
  name: string;
  ingest_rate_limit_per_minute: number;
  response_enabled: boolean;
  created_at: string;
}

const PATH = '/api/v1/organizations';

const COLUMNS: Column<OrganizationRecord>[] = [
  { id: 'name', header: 'Name', render: (o) => o.name, sortValue: (o) => o.name },
  { id: 'slug', header: 'Slug', render: (o) => <code>{o.slug}</code>, sortValue: (o) => o.slug },
  {
    id: 'rate',
    header: 'Ingest limit / min',
    numeric: true,
    render: (o) => o.ingest_rate_limit_per_minute.toLocaleString('en-US'),
    sortValue: (o) => o.ingest_rate_limit_per_minute,
  },
  {
    id: 'response',
    header: 'Response actions',
    render: (o) => (o.response_enabled ? 'on' : 'off (monitoring only)'),
  },
  {
    id: 'created',
    header: 'Created',
    render: (o) => formatUtc(o.created_at),
    sortValue: (o) => o.created_at,
  },
];

/** Tenants of the instance; only instance administrators reach this tab. */
export function OrganizationsPanel() {
  const http = useHttp();
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await http.post(PATH, { name: name.trim(), slug: slug.trim() });
      setName('');
      setSlug('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="orgs-title">
      <h2 id="orgs-title">Organizations</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Create an organization">
        <label>
          Name <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Slug{' '}
          <input
            required
            pattern="[a-z0-9][a-z0-9-]*"
            title="Lower-case letters, digits and dashes"
            maxLength={63}
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary">
          Create organization
        </button>
      </form>
      <FormError error={error} />
      <AdminList<OrganizationRecord>
        id="admin-orgs"
        caption="Organizations"
        path={PATH}
        listKey="items"
        feature="The organizations API"
        columns={COLUMNS}
        empty="No organizations."
        version={version}
      />
    </section>
  );
}
