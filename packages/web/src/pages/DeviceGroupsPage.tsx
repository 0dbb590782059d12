import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { parseTags } from '../endpoints/EditEndpointCard.tsx';
import { useChange } from '../hooks/useChange.ts';
import { useResource } from '../hooks/useResource.ts';
import { countOf } from '../lib/format.ts';
import '../styles/controls.css';
import '../styles/rules.css';

/** `GET /api/v1/device-groups` items (presenters/device-presenter.ts). */
interface DeviceGroup {
  id: string;
  name: string;
  description: string | null;
  kind: 'static' | 'tags';
  match_tags: string[];
  member_count: number | null;
}

function CreateGroupForm({
  devices,
  onCreated,
}: {
  devices: Array<{ id: string; hostname: string }>;
  onCreated: () => void;
}) {
  const http = useHttp();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'tags' | 'static'>('tags');
  const [tags, setTags] = useState('');
  const [members, setMembers] = useState<Set<string>>(new Set());
  const change = useChange(onCreated);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      await http.post('/api/v1/device-groups', {
        name: name.trim(),
        kind,
        ...(kind === 'tags' ? { match_tags: parseTags(tags) } : { device_ids: [...members] }),
      });
      setName('');
      setTags('');
      setMembers(new Set());
    });
  };
  const toggle = (id: string) => {
    const next = new Set(members);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setMembers(next);
  };
  return (
    <form className="card stacked-form" aria-label="New device group" onSubmit={submit}>
      <h2>New group</h2>
      <label>
        Name
        <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as 'tags' | 'static')}>
          <option value="tags">Every device with these tags</option>
          <option value="static">These devices</option>
        </select>
      </label>
      {kind === 'tags' ? (
        <label>
          Tags (comma-separated; a device needs all of them)
          <input required value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
      ) : (
        <fieldset className="field-group">
          <legend>Members</legend>
          {devices.length === 0 ? (
            <p className="muted">No devices enrolled.</p>
          ) : (
            devices.map((d) => (
              <label key={d.id} className="check">
                <input type="checkbox" checked={members.has(d.id)} onChange={() => toggle(d.id)} />{' '}
                {d.hostname}
              </label>
            ))
          )}
        </fieldset>
      )}
      <button type="submit" className="button primary" disabled={change.busy || !name.trim()}>
        Create group
      </button>
      <ChangeError error={change.error} />
    </form>
  );
}

/** `/endpoints/groups`: static and tag groups of devices, which policies can be assigned to. */
export function DeviceGroupsPage() {
  const http = useHttp();
  const canWrite = useCan('devices:write');
  const [version, setVersion] = useState(0);
  const [deleting, setDeleting] = useState<DeviceGroup | null>(null);
  const data = useResource(
    async (signal) => {
      const [groups, devices] = await Promise.all([
        http.get<{ items: DeviceGroup[] }>('/api/v1/device-groups', { signal }),
        http.get<{ items: Array<{ id: string; hostname: string }> }>('/api/v1/devices', {
          query: { limit: 200 },
          signal,
        }),
      ]);
      return { groups: groups.items, devices: devices.items };
    },
    [version],
  );
  const removal = useChange(() => setVersion((v) => v + 1));
  return (
    <>
      <PageHeader title="Device groups">
        <Link to="/endpoints" className="button ghost">
          ‹ Endpoints
        </Link>
      </PageHeader>
      <ResourceView state={data} feature="Device groups" onRetry={data.reload}>
        {(d) => (
          <div className="stacked-cards">
            <section className="card" aria-labelledby="groups-title">
              <h2 id="groups-title">Groups</h2>
              {d.groups.length === 0 ? (
                <p className="muted">No groups yet.</p>
              ) : (
                <table className="data-table">
                  <caption className="visually-hidden">Device groups</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Members</th>
                      <th scope="col">Group id</th>
                      {canWrite && (
                        <th scope="col">
                          <span className="visually-hidden">Delete</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {d.groups.map((g) => (
                      <tr key={g.id}>
                        <td>{g.name}</td>
                        <td>
                          {g.kind === 'tags'
                            ? `every device tagged ${g.match_tags.join(' + ')}`
                            : countOf(g.member_count ?? 0, 'device')}
                        </td>
                        <td className="mono small">{g.id}</td>
                        {canWrite && (
                          <td>
                            <button
                              type="button"
                              className="button small danger"
                              onClick={() => setDeleting(g)}
                              aria-label={`Delete the group ${g.name}`}
                            >
                              Delete
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <ChangeError error={removal.error} />
            </section>
            {canWrite && <CreateGroupForm devices={d.devices} onCreated={() => setVersion((v) => v + 1)} />}
          </div>
        )}
      </ResourceView>
      {deleting && (
        <ConfirmDialog
          title={`Delete the group ${deleting.name}?`}
          confirmLabel="Delete group"
          danger
          busy={removal.busy}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await removal.run(() => http.delete(`/api/v1/device-groups/${encodeURIComponent(deleting.id)}`));
            setDeleting(null);
          }}
        >
          <p>The devices stay; policies assigned to the group stop applying to them.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
