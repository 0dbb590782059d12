import { type FormEvent, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { type Detector, parseJsonObject, policiesApi } from '../api/policies-api.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { useChange } from '../hooks/useChange.ts';

/** Detector configurations: named parameter sets and rule packs, versioned, switchable. */
export function DetectorsCard({
  detectors,
  canWrite,
  onChanged,
}: {
  detectors: Detector[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const http = useHttp();
  const [name, setName] = useState('');
  const [params, setParams] = useState('{\n  "threshold": 5\n}');
  const [packs, setPacks] = useState('');
  const change = useChange(onChanged);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      await policiesApi.createDetector(http, {
        name: name.trim(),
        params: parseJsonObject(params, 'The parameters'),
        rule_packs: packs
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
        enabled: true,
      });
      setName('');
    });
  };
  return (
    <section className="card" aria-labelledby="detectors-title">
      <h2 id="detectors-title">Detectors</h2>
      {detectors.length === 0 ? (
        <p className="muted">No detector configurations.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Detector configurations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Parameters</th>
              <th scope="col">Rule packs</th>
              <th scope="col">Version</th>
              <th scope="col">Enabled</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">Delete</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {detectors.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td className="mono small">{JSON.stringify(d.params)}</td>
                <td>{d.rule_packs.join(', ') || '—'}</td>
                <td>{d.version}</td>
                <td>
                  {canWrite ? (
                    <label className="switch">
                      <input
                        type="checkbox"
                        aria-label={`Enable ${d.name}`}
                        checked={d.enabled}
                        disabled={change.busy}
                        onChange={(e) =>
                          change.run(() =>
                            policiesApi.updateDetector(http, d.id, { enabled: e.target.checked }),
                          )
                        }
                      />
                      {d.enabled ? 'on' : 'off'}
                    </label>
                  ) : d.enabled ? (
                    'on'
                  ) : (
                    'off'
                  )}
                </td>
                {canWrite && (
                  <td>
                    <button
                      type="button"
                      className="button small danger"
                      disabled={change.busy}
                      onClick={() => {
                        if (window.confirm(`Delete the detector ${d.name}?`))
                          void change.run(() => policiesApi.removeDetector(http, d.id));
                      }}
                      aria-label={`Delete ${d.name}`}
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
      {canWrite && (
        <form className="stacked-form" aria-label="New detector" onSubmit={submit}>
          <h3>New detector</h3>
          <label>
            Name
            <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Parameters (JSON)
            <textarea
              className="code json-input"
              rows={4}
              spellCheck={false}
              value={params}
              onChange={(e) => setParams(e.target.value)}
            />
          </label>
          <label>
            Rule packs (comma-separated)
            <input value={packs} onChange={(e) => setPacks(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={change.busy || !name.trim()}>
            Add detector
          </button>
        </form>
      )}
      <ChangeError error={change.error} />
    </section>
  );
}
