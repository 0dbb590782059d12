import { CollectionPage } from '../components/CollectionPage.tsx';
import { severityColumn, statusColumn, textColumn, timeColumn } from './columns.tsx';

export function CasesPage() {
  return (
    <CollectionPage
      title="Cases"
      path="/api/v1/cases"
      listKey="cases"
      feature="The cases API"
      empty="No cases yet."
      columns={[
        severityColumn(),
        textColumn('title', 'Title', 'title'),
        statusColumn(),
        textColumn('owner', 'Owner', 'owner_name', 'owner_id'),
        timeColumn('updated', 'Updated', 'updated_at', 'created_at'),
      ]}
    />
  );
}
