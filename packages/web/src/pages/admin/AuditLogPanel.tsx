import { ADMIN_PATHS, type AuditRecord } from '../../api/admin-api.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { Column } from '../../components/table-types.ts';
import { formatUtc } from '../../lib/format.ts';
import { AdminList } from './AdminList.tsx';

const COLUMNS: Column<AuditRecord>[] = [
  { id: 'when', header: 'When (UTC)', render: (a) => formatUtc(a.time), sortValue: (a) => a.time },
  {
    id: 'actor',
    header: 'Who',
    render: (a) => a.actor.label ?? a.actor.id ?? a.actor.type,
    sortValue: (a) => a.actor.label ?? a.actor.type,
  },
  { id: 'action', header: 'Action', render: (a) => <code>{a.action}</code>, sortValue: (a) => a.action },
  {
    id: 'target',
    header: 'Target',
    render: (a) => [a.target.type, a.target.id].filter(Boolean).join(' ') || '—',
  },
  {
    id: 'outcome',
    header: 'Result',
    render: (a) => <StatusBadge value={a.outcome} />,
    sortValue: (a) => a.outcome,
  },
  {
    id: 'request',
    header: 'Request',
    hiddenByDefault: true,
    render: (a) => (
      <code>
        {a.method} {a.path} → {a.status_code}
      </code>
    ),
  },
  { id: 'ip', header: 'Address', render: (a) => a.client_address ?? '—', hiddenByDefault: true },
];

export function AuditLogPanel() {
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <AdminList<AuditRecord>
        id="admin-audit"
        caption="Audit log"
        path={ADMIN_PATHS.audit}
        listKey="items"
        feature="The audit log API"
        columns={COLUMNS}
        empty="No audit records."
        version={0}
      />
    </section>
  );
}
