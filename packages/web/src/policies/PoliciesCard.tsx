import { type FormEvent, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { type Policy, parseJsonObject, policiesApi } from '../api/policies-api.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useChange } from '../hooks/useChange.ts';
import { formatUtc, relativeTime } from '../lib/format.ts';
import { PolicyVersions } from './PolicyVersions.tsx';

const EXAMPLE = `{
  "collectors": { "process": true, "network": true, "file_integrity": true },
  "intervals": { "heartbeat_s": 60 },
  "fim_paths": ["/etc/passwd", "/etc/sudoers"],
  "response": { "allowed_actions": ["isolate", "release", "kill_process"] }
}`;

function PolicyEditor({ policy, onDone }: { policy: Policy | null; onDone: () => void }) {
  const http = useHttp();
  const [name, setName] = useState(policy?.name ?? '');
  const [description, setDescription] = useState(policy?.description ?? '');
  const [document, setDocument] = useState(policy ? JSON.stringify(policy.document, null, 2) : EXAMPLE);
  const change = useChange(onDone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      const body = {
        name: name.trim(),
        description: description.trim() || null,
        document: parseJsonObject(document, 'The policy document'),
      };
      if (policy) await policiesApi.update(http, policy.id, body);
      else await policiesApi.create(http, { ...body, enabled: true });
    });
  };
  return (
    <form
      className="stacked-form policy-editor"
      aria-label={policy ? `Edit ${policy.name}` : 'New policy'}
      onSubmit={submit}
    >
      <h3>
        {policy ? `Edit ${policy.name} (a new document is version ${policy.version + 1})` : 'New policy'}
      </h3>
      <label>
        Name
        <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Document (JSON: collectors, intervals, paths, response)
        <textarea
          className="code json-input"
          rows={10}
          spellCheck={false}
          value={document}
          onChange={(e) => setDocument(e.target.value)}
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={change.busy || !name.trim()}>
          {policy ? 'Save policy' : 'Create policy'}
        </button>
      </div>
      <ChangeError error={change.error} />
    </form>
  );
}

/** Agent policies: list, create, edit the document (each change a version), enable, delete. */
export function PoliciesCard({
  policies,
  canWrite,
  onChanged,
}: {
  policies: Policy[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const [historyId, setHistoryId] = useState<string | null>(null);
  // Looked up in the current list, so the versions follow an edit made meanwhile.
  const history = policies.find((p) => p.id === historyId) ?? null;
  const change = useChange(onChanged);
  const done = () => {
    setEditing(null);
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="policies-title">
      <div className="card-header">
        <h2 id="policies-title">Policies</h2>
        {canWrite && editing === null && (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New policy
          </button>
        )}
      </div>
      {policies.length === 0 ? (
        <p className="muted">No policies yet: agents run with the built-in defaults.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Policies</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Enabled</th>
              <th scope="col">Updated</th>
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {policies.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name}
                  {p.description && <div className="muted small">{p.description}</div>}
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setHistoryId(historyId === p.id ? null : p.id)}
                    aria-label={`Versions of ${p.name}`}
                    aria-expanded={historyId === p.id}
                  >
                    {p.version}
                  </button>
                </td>
                <td>
                  {canWrite ? (
                    <label className="switch">
                      <input
                        type="checkbox"
                        aria-label={`Enable ${p.name}`}
                        checked={p.enabled}
                        disabled={change.busy}
                        onChange={(e) =>
                          change.run(() => policiesApi.update(http, p.id, { enabled: e.target.checked }))
                        }
                      />
                      {p.enabled ? 'on' : 'off'}
                    </label>
                  ) : p.enabled ? (
                    'on'
                  ) : (
                    'off'
                  )}
                </td>
                <td title={formatUtc(p.updated_at)}>{relativeTime(p.updated_at)}</td>
                {canWrite && (
                  <td>
                    <span className="row-actions">
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setEditing(p)}
                        aria-label={`Edit ${p.name}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button small danger"
                        onClick={() => setDeleting(p)}
                        aria-label={`Delete ${p.name}`}
                      >
                        Delete
                      </button>
                    </span>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ChangeError error={change.error} />
      {history && <PolicyVersions key={`${history.id}:${history.version}`} policy={history} />}
      {editing !== null && (
        <>
          <PolicyEditor
            key={editing === 'new' ? 'new' : editing.id}
            policy={editing === 'new' ? null : editing}
            onDone={done}
          />
          <button type="button" className="button ghost" onClick={() => setEditing(null)}>
            Close the editor
          </button>
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the policy ${deleting.name}?`}
          confirmLabel="Delete policy"
          danger
          busy={change.busy}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await change.run(() => policiesApi.remove(http, deleting.id));
            setDeleting(null);
          }}
        >
          <p>
            Its assignments go with it; the endpoints it applied to fall back to the next policy that matches
            them.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
