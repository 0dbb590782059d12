import { useHttp } from '../api/http-context.ts';
import { toPage } from '../api/pages.ts';
import { usePagedList } from '../hooks/usePagedList.ts';
import type { Row } from '../lib/fields.ts';
import { rowId } from '../lib/fields.ts';
import { toSortParam } from '../lib/sorting.ts';
import { DataTable } from './DataTable.tsx';
import { PageHeader } from './PageHeader.tsx';
import { Pager } from './Pager.tsx';
import { ResourceView } from './ResourceView.tsx';
import type { Column } from './table-types.ts';

interface Props {
  title: string;
  /** The native list route, e.g. `/api/v1/cases`. */
  path: string;
  /** The key of the list in the response (besides `items`). */
  listKey: string;
  feature: string;
  columns: Column<Row>[];
  empty: string;
}

/**
 * A section that so far only lists its records: server-side pages and sort.
 * While the server lacks the route the page says so instead of showing made-up data.
 */
export function CollectionPage({ title, path, listKey, feature, columns, empty }: Props) {
  const http = useHttp();
  const list = usePagedList<Row>(
    async ({ cursor, limit, sort, signal }) =>
      toPage<Row>(
        await http.get(path, { query: { cursor, limit, sort: toSortParam(sort) }, signal }),
        listKey,
      ),
    path,
  );
  return (
    <>
      <PageHeader title={title} />
      <ResourceView state={list.resource} feature={feature} onRetry={list.resource.reload}>
        {(page) => (
          <DataTable
            id={listKey}
            caption={title}
            columns={columns}
            rows={page.items}
            rowKey={rowId}
            sort={list.sort}
            onSortChange={list.setSort}
            empty={empty}
            footer={<Pager {...list.pager} />}
          />
        )}
      </ResourceView>
    </>
  );
}
