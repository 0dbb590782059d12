import { type FormEvent, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { type Assignment, type Policy, policiesApi, type Target } from '../api/policies-api.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useChange } from '../hooks/useChange.ts';

const TARGETS: Array<{ id: Assignment['target_type']; label: string }> = [
  { id: 'org', label: 'The whole organization' },
  { id: 'group', label: 'A device group' },
  { id: 'device', label: 'One device' },
];

/** Which policy applies where: organization < group < device, then priority. */
export function AssignmentsCard({
  policies,
  assignments,
  targets,
  canWrite,
  onChanged,
}: {
  policies: Policy[];
  assignments: Assignment[];
  targets: { group: Target[]; device: Target[] };
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [policyId, setPolicyId] = useState('');
  const [targetType, setTargetType] = useState<Assignment['target_type']>('org');
  const [targetId, setTargetId] = useState('');
  const [priority, setPriority] = useState('100');
  const change = useChange(onChanged);
  const name = (id: string) => policies.find((p) => p.id === id)?.name ?? id;
  const targetName = (a: Assignment) => {
    if (a.target_type === 'org') return 'Organization';
    const known = a.target_id ? targets[a.target_type].find((t) => t.id === a.target_id) : undefined;
    return `${a.target_type === 'group' ? 'Group' : 'Device'} ${known?.name ?? a.target_id ?? ''}`;
  };
  const choices = targetType === 'org' ? [] : targets[targetType];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      await policiesApi.assign(http, {
        policy_id: policyId || policies[0]?.id || '',
        target_type: targetType,
        target_id: targetType === 'org' ? null : ((targetId.trim() || choices[0]?.id) ?? ''),
        priority: Number(priority) || 0,
      });
      setTargetId('');
    });
  };
  return (
    <section className="card" aria-labelledby="assignments-title">
      <h2 id="assignments-title">Assignments</h2>
      <p className="muted small">
        A device gets its organization’s policy, overridden by its groups’, overridden by its own.
      </p>
      {assignments.length === 0 ? (
        <p className="muted">No assignments.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Policy assignments</caption>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Applies to</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => (
              <tr key={a.id}>
                <td>{name(a.policy_id)}</td>
                <td>{targetName(a)}</td>
                <td>{a.priority}</td>
                <td>
                  <StatusBadge value={a.status} />
                </td>
                {canWrite && (
                  <td>
                    <button
                      type="button"
                      className="button small"
                      disabled={change.busy}
                      onClick={() => change.run(() => policiesApi.unassign(http, a.id))}
                      aria-label={`Remove the assignment of ${name(a.policy_id)}`}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && policies.length > 0 && (
        <form className="inline-form assign-form" aria-label="Assign a policy" onSubmit={submit}>
          <label>
            Policy
            <select value={policyId || policies[0]?.id} onChange={(e) => setPolicyId(e.target.value)}>
              {policies.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Applies to
            <select
              value={targetType}
              onChange={(e) => setTargetType(e.target.value as Assignment['target_type'])}
            >
              {TARGETS.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          {targetType !== 'org' &&
            (choices.length > 0 ? (
              <label>
                {targetType === 'group' ? 'Group' : 'Device'}
                <select value={targetId || choices[0]?.id} onChange={(e) => setTargetId(e.target.value)}>
                  {choices.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label>
                {targetType === 'group' ? 'Group id' : 'Device id'}
                <input required value={targetId} onChange={(e) => setTargetId(e.target.value)} />
              </label>
            ))}
          <label>
            Priority
            <input
              type="number"
              min={0}
              max={1_000_000}
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              size={6}
            />
          </label>
          <button type="submit" className="button" disabled={change.busy}>
            Assign
          </button>
        </form>
      )}
      <ChangeError error={change.error} />
    </section>
  );
}
