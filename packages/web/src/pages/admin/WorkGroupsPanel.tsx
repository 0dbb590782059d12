import { type FormEvent, useState } from 'react';
import { assigneeNamer } from '../../alerts/assignee-names.ts';
import { alertsApi } from '../../api/alerts-api.ts';
import { useHttp } from '../../api/http-context.ts';
import { type WorkGroup, workGroupsApi } from '../../api/work-groups-api.ts';
import { FormError } from '../../components/FormError.tsx';
import { ResourceView } from '../../components/ResourceView.tsx';
import { useResource } from '../../hooks/useResource.ts';

type Users = Array<{ id: string; display_name: string; email: string }>;

/** Members as checkboxes and the lead as a choice among everyone (the server makes the lead a member). */
function GroupEditor({ group, users, onSaved }: { group: WorkGroup; users: Users; onSaved: () => void }) {
  const http = useHttp();
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set(group.member_ids));
  const [lead, setLead] = useState(group.lead_user_id ?? '');
  const [error, setError] = useState<unknown>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await workGroupsApi.update(http, group.id, { member_ids: [...members], lead_user_id: lead || null });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await workGroupsApi.remove(http, group.id);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="stacked-form" aria-label={`Edit ${group.name}`} onSubmit={save}>
      <fieldset className="filters">
        <legend>Members</legend>
        {users.map((u) => (
          <label key={u.id}>
            <input
              type="checkbox"
              checked={members.has(u.id)}
              onChange={() =>
                setMembers((prev) => {
                  const next = new Set(prev);
                  if (next.has(u.id)) next.delete(u.id);
                  else next.add(u.id);
                  return next;
                })
              }
            />{' '}
            {u.display_name || u.email}
          </label>
        ))}
      </fieldset>
      <label>
        Lead
        <select value={lead} onChange={(e) => setLead(e.target.value)}>
          <option value="">No lead</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.display_name || u.email}
            </option>
          ))}
        </select>
      </label>
      <div className="button-row">
        <button type="submit" className="button primary">
          Save {group.name}
        </button>
        <button type="button" className="button ghost" onClick={() => void remove()}>
          Delete {group.name}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}

/** Work groups that alerts are assigned and escalated to: name, members, lead. */
export function WorkGroupsPanel() {
  const http = useHttp();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const groups = useResource((signal) => workGroupsApi.list(http, signal), [version]);
  const people = useResource((signal) => alertsApi.assignees(http, signal), []);
  const users: Users = people.status === 'ready' ? people.data.users : [];
  const names = assigneeNamer(people.status === 'ready' ? people.data : null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await workGroupsApi.create(http, { name: name.trim(), description: description.trim() || null });
      setName('');
      setDescription('');
      reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <form className="inline-form" aria-label="New work group" onSubmit={create}>
        <label>
          Name
          <input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Description
          <input value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" className="button primary" disabled={!name.trim()}>
          Create group
        </button>
      </form>
      <FormError error={error} />
      <ResourceView state={groups} feature="Work groups" onRetry={groups.reload}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No work groups yet.</p>
          ) : (
            <div className="panel-grid">
              {list.map((g) => (
                <section key={g.id} className="card" aria-label={g.name}>
                  <h2>{g.name}</h2>
                  {g.description && <p className="muted">{g.description}</p>}
                  <p>
                    Lead: {g.lead_user_id ? names.user(g.lead_user_id) : 'none'} · {g.member_ids.length}{' '}
                    member
                    {g.member_ids.length === 1 ? '' : 's'}
                  </p>
                  <GroupEditor key={`${g.id}-${g.updated_at}`} group={g} users={users} onSaved={reload} />
                </section>
              ))}
            </div>
          )
        }
      </ResourceView>
    </>
  );
}
