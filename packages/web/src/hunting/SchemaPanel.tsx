import type { TableDescription } from '@harrier/query';
import { ResourceView } from '../components/ResourceView.tsx';
import type { ResourceState } from '../hooks/resource-state.ts';

/** The tables a hunt may read and their fields, so names can be found without guessing. */
export function SchemaPanel({ state }: { state: ResourceState<TableDescription[]> }) {
  return (
    <section className="card" aria-labelledby="schema-title">
      <h2 id="schema-title">Tables</h2>
      <ResourceView state={state} feature="The hunting schema">
        {(tables) => (
          <ul className="schema-list">
            {tables.map((t) => (
              <li key={t.name}>
                <details>
                  <summary>
                    <span className="hl-table">{t.name}</span>
                    {t.aliases.length > 0 && (
                      <span className="muted small"> also {t.aliases.join(', ')}</span>
                    )}
                  </summary>
                  <ul className="schema-columns">
                    {t.columns
                      .filter((c) => !c.alias)
                      .map((c) => (
                        <li key={c.name} title={c.description}>
                          <span className="mono">{c.name}</span> <span className="muted small">{c.type}</span>
                        </li>
                      ))}
                  </ul>
                  {t.openFields && (
                    <p className="muted small">
                      Other fields of the event are read by name, e.g. ['Threat Name'].
                    </p>
                  )}
                </details>
              </li>
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  );
}
