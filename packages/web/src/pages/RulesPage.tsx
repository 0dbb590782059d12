import { CollectionPage } from '../components/CollectionPage.tsx';
import { severityColumn, textColumn, timeColumn } from './columns.tsx';

export function RulesPage() {
  return (
    <CollectionPage
      title="Rules"
      path="/api/v1/rules"
      listKey="rules"
      feature="The rules API"
      empty="No rules loaded."
      columns={[
        textColumn('title', 'Title', 'title', 'name'),
        severityColumn(),
        textColumn('status', 'Status', 'status'),
        textColumn('enabled', 'Enabled', 'enabled'),
        textColumn('logsource', 'Log source', 'logsource_product', 'product'),
        timeColumn('updated', 'Updated', 'updated_at', 'created_at'),
      ]}
    />
  );
}
