import { CollectionPage } from '../components/CollectionPage.tsx';
import { textColumn, timeColumn } from './columns.tsx';

export function PoliciesPage() {
  return (
    <CollectionPage
      title="Policies"
      path="/api/v1/policies"
      listKey="policies"
      feature="The policies API"
      empty="No policies yet."
      columns={[
        textColumn('name', 'Name', 'name'),
        textColumn('version', 'Version', 'version'),
        textColumn('description', 'Description', 'description'),
        timeColumn('updated', 'Updated', 'updated_at', 'created_at'),
      ]}
    />
  );
}
