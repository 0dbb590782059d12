import { CollectionPage } from '../components/CollectionPage.tsx';
import { severityColumn, statusColumn, textColumn, timeColumn } from './columns.tsx';

export function AlertsPage() {
  return (
    <CollectionPage
      title="Alerts"
      path="/api/v1/alerts"
      listKey="alerts"
      feature="The alerts API"
      empty="No alerts match."
      columns={[
        severityColumn(),
        textColumn('title', 'Title', 'title', 'rule_title', 'name'),
        statusColumn(),
        textColumn('device', 'Endpoint', 'device_hostname', 'hostname', 'device_id'),
        textColumn('assignee', 'Assignee', 'assignee_name', 'assigned_to'),
        textColumn('count', 'Events', 'count', 'event_count'),
        timeColumn('last_seen', 'Last seen', 'last_seen', 'updated_at', 'created_at'),
      ]}
    />
  );
}
