import type { ReactNode } from 'react';
import { useHttp } from '../../api/http-context.ts';
import { toPage } from '../../api/pages.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ResourceView } from '../../components/ResourceView.tsx';
import type { Column } from '../../components/table-types.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';

interface Props<T extends { id: string }> {
  id: string;
  caption: string;
  path: string;
  listKey: string;
  feature: string;
  columns: Column<T>[];
  empty: string;
  /** Bumped by the page after a create or revoke, to reload. */
  version: number;
  toolbar?: ReactNode;
}

/**
 * A paginated administration list over one identity API collection. Those
 * routes page by cursor but do not sort, so the table sorts the page it shows.
 */
export function AdminList<T extends { id: string }>(props: Props<T>) {
  const http = useHttp();
  const list = usePagedList<T>(
    async ({ cursor, limit, signal }) =>
      toPage<T>(await http.get(props.path, { query: { cursor, limit }, signal }), props.listKey),
    `${props.path}#${props.version}`,
  );
  return (
    <ResourceView state={list.resource} feature={props.feature} onRetry={list.resource.reload}>
      {(page) => (
        <DataTable
          id={props.id}
          caption={props.caption}
          columns={props.columns}
          rows={page.items}
          rowKey={(r) => r.id}
          empty={props.empty}
          toolbar={props.toolbar}
          footer={<Pager {...list.pager} />}
        />
      )}
    </ResourceView>
  );
}
