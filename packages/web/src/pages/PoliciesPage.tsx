import { useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { policiesApi } from '../api/policies-api.ts';
import { useCan } from '../auth/session-context.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { ResponseSwitch } from '../endpoints/ResponseSwitch.tsx';
import { useResource } from '../hooks/useResource.ts';
import { AssignmentsCard } from '../policies/AssignmentsCard.tsx';
import { DetectorsCard } from '../policies/DetectorsCard.tsx';
import { PoliciesCard } from '../policies/PoliciesCard.tsx';
import '../styles/controls.css';
import '../styles/rules.css';

/** Agent policies, where they apply, and detector configurations. */
export function PoliciesPage() {
  const http = useHttp();
  const canWrite = useCan('policies:write');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const data = useResource(
    async (signal) => {
      const [policies, assignments, detectors, targets] = await Promise.all([
        policiesApi.list(http, signal),
        policiesApi.assignments(http, signal),
        policiesApi.detectors(http, signal),
        policiesApi.targets(http, signal),
      ]);
      return { policies, assignments, detectors, targets };
    },
    [version],
  );
  return (
    <>
      <PageHeader title="Policies" />
      <ResourceView state={data} feature="The policies API" onRetry={data.reload}>
        {(d) => (
          <div className="stacked-cards">
            <PoliciesCard policies={d.policies} canWrite={canWrite} onChanged={reload} />
            <AssignmentsCard
              policies={d.policies}
              assignments={d.assignments}
              targets={d.targets}
              canWrite={canWrite}
              onChanged={reload}
            />
            <DetectorsCard detectors={d.detectors} canWrite={canWrite} onChanged={reload} />
            <ResponseSwitch />
          </div>
        )}
      </ResourceView>
    </>
  );
}
