import { useHttp } from '../api/http-context.ts';
import { rulesApi } from '../api/rules-api.ts';
import { ResourceView } from '../components/ResourceView.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc } from '../lib/format.ts';
import '../styles/controls.css';

/** Every saved version of a rule, newest first, each one's YAML a click away. */
export function RuleVersions({ id, current }: { id: string; current: number }) {
  const http = useHttp();
  const versions = useResource((signal) => rulesApi.versions(http, id, signal), [id, current]);
  return (
    <section className="card wide" aria-labelledby="rule-versions">
      <h2 id="rule-versions">Versions</h2>
      <ResourceView state={versions} feature="Rule versions">
        {(items) => (
          <ol className="version-list" reversed>
            {[...items]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.version} value={v.version}>
                  <details>
                    <summary>
                      Version {v.version}
                      {v.version === current ? ' (current)' : ''} · {formatUtc(v.created_at)} · {v.title}
                    </summary>
                    <pre className="code-block">{v.yaml}</pre>
                  </details>
                </li>
              ))}
          </ol>
        )}
      </ResourceView>
    </section>
  );
}
