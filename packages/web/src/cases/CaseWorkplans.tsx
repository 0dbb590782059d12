import { type FormEvent, useState } from 'react';
import { type Workplan, workplansApi } from '../api/cases-api.ts';
import { useHttp } from '../api/http-context.ts';
import { FormError } from '../components/FormError.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatUtc } from '../lib/format.ts';
import { useCaseAction } from './use-case-action.ts';

function AddTask({ plan, onChanged }: { plan: Workplan; onChanged: () => void }) {
  const http = useHttp();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const { run, error } = useCaseAction(onChanged);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const added = await run(() =>
      workplansApi.addTask(http, plan.id, {
        title: title.trim(),
        due_at: due ? new Date(`${due}T00:00:00Z`).toISOString() : null,
      }),
    );
    if (added) {
      setTitle('');
      setDue('');
    }
  };
  return (
    <form className="inline-form" aria-label={`Add a task to ${plan.title}`} onSubmit={submit}>
      <label>
        Task <input value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Due <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <button type="submit" className="button" disabled={!title.trim()}>
        Add task
      </button>
      <FormError error={error} />
    </form>
  );
}

/** Workplans of a case or an alert: tasks with owners, due dates and status; tick a task done. */
export function CaseWorkplans({
  subjectType,
  subjectId,
  plans,
  canWrite,
  onChanged,
}: {
  subjectType: 'alert' | 'case';
  subjectId: string;
  plans: Workplan[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [title, setTitle] = useState('');
  const { run, error } = useCaseAction(onChanged);
  return (
    <section className="card wide" aria-labelledby="case-workplans">
      <h2 id="case-workplans">Workplan</h2>
      {plans.length === 0 && <p className="muted">No workplan yet.</p>}
      {plans.map((plan) => (
        <div key={plan.id}>
          <h3>
            {plan.title}{' '}
            <span className="muted">
              {plan.progress.done}/{plan.progress.total} done
            </span>
          </h3>
          <ul className="recent-list">
            {plan.tasks.map((t) => (
              <li key={t.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={t.status === 'done'}
                    disabled={!canWrite}
                    onChange={(e) =>
                      void run(() =>
                        workplansApi.setTaskStatus(http, plan.id, t.id, e.target.checked ? 'done' : 'todo'),
                      )
                    }
                  />{' '}
                  {t.title}
                </label>{' '}
                <StatusBadge value={t.status} />
                {t.due_at && <span className="muted"> due {formatUtc(t.due_at)}</span>}
              </li>
            ))}
          </ul>
          {canWrite && <AddTask plan={plan} onChanged={onChanged} />}
        </div>
      ))}
      {canWrite && (
        <form
          className="inline-form"
          aria-label="New workplan"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await workplansApi.create(http, {
                title: title.trim(),
                subject_type: subjectType,
                subject_id: subjectId,
              });
              setTitle('');
            });
          }}
        >
          <label>
            New workplan <input value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={!title.trim()}>
            Create
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  );
}
