import { CollectionPage } from '../components/CollectionPage.tsx';
import { severityColumn, statusColumn, textColumn, timeColumn } from './columns.tsx';

export function DecisionsPage() {
  return (
    <CollectionPage
      title="Decisions"
      path="/api/v1/decisions"
      listKey="decisions"
      feature="The decision engine API"
      empty="No pending decisions."
      columns={[
        timeColumn('created', 'Created', 'created_at'),
        textColumn('agent', 'Endpoint', 'device_hostname', 'agent_id', 'device_id'),
        severityColumn(),
        textColumn('action', 'Action', 'recommended_action'),
        textColumn('priority', 'Priority', 'priority'),
        statusColumn(),
      ]}
    />
  );
}
