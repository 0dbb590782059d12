import { useHttp } from '../api/http-context.ts';
import { type Policy, policiesApi } from '../api/policies-api.ts';
import { ResourceView } from '../components/ResourceView.tsx';
import { useResource } from '../hooks/useResource.ts';
import { formatUtc } from '../lib/format.ts';

/** Every document a policy has had, newest first. */
export function PolicyVersions({ policy }: { policy: Policy }) {
  const http = useHttp();
  const versions = useResource(
    (signal) => policiesApi.versions(http, policy.id, signal),
    [policy.id, policy.version],
  );
  return (
    <section aria-label={`Versions of ${policy.name}`}>
      <h3>Versions of {policy.name}</h3>
      <ResourceView state={versions} feature="Policy versions">
        {(items) => (
          <ol className="version-list" reversed>
            {[...items]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.version} value={v.version}>
                  <details>
                    <summary>
                      Version {v.version}
                      {v.version === policy.version ? ' (current)' : ''} · {formatUtc(v.created_at)}
                    </summary>
                    <pre className="code-block">{JSON.stringify(v.document, null, 2)}</pre>
                  </details>
                </li>
              ))}
          </ol>
        )}
      </ResourceView>
    </section>
  );
}
